//! `GET /api/conversations/search`: titles and messages, in English,
//! Chinese and Vietnamese, with a highlighted snippet; only one's own.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    chat_lines::{app_with, ids, post_lines},
    fake_llm::{sse, FakeLlm, Script},
    helpers::{failure, TestApp},
};

async fn said(app: &TestApp, cookie: &str, message: &str) -> (i64, i64, i64) {
    let (status, lines) = post_lines(app, "/api/chat", &json!({"message": message}), cookie).await;
    assert_eq!(status, 200);
    assert_eq!(lines.last().unwrap(), &json!({"done": true}));
    ids(&lines[0])
}

async fn search(app: &TestApp, cookie: &str, q: &str) -> Vec<Value> {
    let res = app
        .client
        .get(app.url("/api/conversations/search"))
        .query(&[("q", q)])
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true, "{body}");
    body["results"].as_array().unwrap().clone()
}

fn message_ids(results: &[Value]) -> Vec<i64> {
    results
        .iter()
        .filter_map(|r| r["message_id"].as_i64())
        .collect()
}

#[tokio::test]
async fn search_finds_words_in_english_chinese_and_vietnamese_with_a_marked_snippet() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["Vâng, tôi biết."])],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("search@example.com").await;
    let (english, en_q, _) = said(&app, &cookie, "How does <b>Binary</b> search work?").await;
    let (chinese, zh_q, _) = said(&app, &cookie, "请用Rust写二分查找").await;
    let (vietnamese, vi_q, vi_a) = said(&app, &cookie, "Thành phố Huế có gì đẹp?").await;

    let hits = search(&app, &cookie, "binary").await;
    assert_eq!(message_ids(&hits), [en_q]);
    assert_eq!(hits[0]["conversation_id"], english);
    assert_eq!(hits[0]["title"], "How does <b>Binary</b> search work?");
    // The snippet is HTML: the text escaped, the match in <mark>.
    assert!(
        hits.iter().any(|h| h["snippet"]
            == "How does &lt;b&gt;<mark>Binary</mark>&lt;/b&gt; search work?"),
        "{hits:?}"
    );

    // A two-character Chinese word, below the trigram's three characters.
    let hits = search(&app, &cookie, "二分").await;
    assert_eq!(message_ids(&hits), [zh_q], "{hits:?}");
    assert_eq!(hits[0]["conversation_id"], chinese);
    assert!(hits[0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>二分</mark>查找"));
    assert_eq!(
        message_ids(&search(&app, &cookie, "二分查找").await),
        [zh_q]
    );
    assert!(search(&app, &cookie, "三分").await.is_empty());

    // Vietnamese, with its diacritics, whatever the case; every word must
    // be there.
    let hits = search(&app, &cookie, "huế PHỐ").await;
    assert_eq!(message_ids(&hits), [vi_q], "{hits:?}");
    assert_eq!(hits[0]["conversation_id"], vietnamese);
    assert_eq!(
        hits[0]["snippet"],
        "Thành <mark>phố</mark> <mark>Huế</mark> có gì đẹp?"
    );
    assert!(search(&app, &cookie, "Huế Paris").await.is_empty());
    assert!(
        search(&app, &cookie, "hue").await.is_empty(),
        "diacritics count"
    );
    // Answers are found too, newest first.
    let hits = search(&app, &cookie, "biết").await;
    assert_eq!(message_ids(&hits)[0], vi_a);
    assert_eq!(message_ids(&hits).len(), 3, "one answer per conversation");

    // A renamed title is found, without a message.
    let res = app
        .post_json(
            "/api/conversations/rename",
            &json!({"id": english, "title": "Thuật toán tìm kiếm"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    let hits = search(&app, &cookie, "thuật toán").await;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["conversation_id"], english);
    assert_eq!(hits[0]["message_id"], Value::Null);
    assert_eq!(
        hits[0]["snippet"],
        "<mark>Thuật</mark> <mark>toán</mark> tìm kiếm"
    );

    // Blank finds nothing; someone else finds nothing of hers.
    assert!(search(&app, &cookie, "   ").await.is_empty());
    let mallory = app.signed_in("mallory-search@example.com").await;
    assert!(search(&app, &mallory, "binary").await.is_empty());
    assert!(search(&app, &mallory, "二分").await.is_empty());
    failure(
        app.get("/api/conversations/search?q=binary").await,
        401,
        "unauthorized",
    )
    .await;

    // Deleted conversations leave the index with their messages.
    let res = app
        .post_json(
            "/api/conversations/delete",
            &json!({"id": chinese}),
            Some(&cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(search(&app, &cookie, "二分查找").await.is_empty());
}

#[tokio::test]
async fn the_newest_matches_come_first_whether_or_not_the_newest_messages_hold_a_page() {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&["ok"])],
        pause: Duration::ZERO,
    })
    .await;
    let app = app_with(&fake, &[]).await;
    let cookie = app.signed_in("many-messages@example.com").await;
    let (conversation, _, _) = said(&app, &cookie, "hello").await;
    // More messages than a search reads from the newest first (5,000):
    // `二分` is in 60 new ones, `quokka` in 60 old ones and 10 new ones.
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
         INSERT INTO messages (conversation_id, role, content, status, created_at)
         SELECT {conversation}, 'user',
                CASE WHEN i <= 60 THEN 'old quokka'
                     WHEN i > 5990 THEN 'new 二分 quokka'
                     WHEN i > 5940 THEN 'new 二分'
                     ELSE 'filler' END,
                'complete', 1000 + i
         FROM n"
    );
    crate::helpers::execute(&app.db_url, &sql).await;
    let texts = |hits: &[Value]| -> Vec<String> {
        hits.iter()
            .map(|h| {
                h["snippet"]
                    .as_str()
                    .unwrap()
                    .replace("<mark>", "")
                    .replace("</mark>", "")
            })
            .collect()
    };
    let newest_first = |hits: &[Value]| {
        let ids = message_ids(hits);
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    };

    // A page of matches among the newest.
    let hits = search(&app, &cookie, "二分").await;
    assert_eq!(hits.len(), 50);
    assert!(
        texts(&hits).iter().all(|t| t.starts_with("new 二分")),
        "{hits:?}"
    );
    newest_first(&hits);
    // Too few among the newest: the older ones fill the page, after them.
    for q in ["quokka", "QUOKKA old"] {
        let hits = search(&app, &cookie, q).await;
        assert_eq!(hits.len(), 50, "{q}");
        newest_first(&hits);
    }
    let hits = search(&app, &cookie, "quokka").await;
    let quokkas = message_ids(&hits);
    let texts = texts(&hits);
    assert!(
        texts[..10].iter().all(|t| t == "new 二分 quokka"),
        "{texts:?}"
    );
    assert!(texts[10..].iter().all(|t| t == "old quokka"), "{texts:?}");
    // None among the newest at all.
    assert_eq!(search(&app, &cookie, "old").await.len(), 50);
    assert!(search(&app, &cookie, "nowhere").await.is_empty());

    let fillers = message_ids(&search(&app, &cookie, "filler").await);
    assert_eq!(fillers.len(), 50);
    assert!(
        fillers
            .iter()
            .enumerate()
            .all(|(i, id)| *id == fillers[0] - i as i64),
        "the 50 newest fillers, one after another: {fillers:?}"
    );

    // With the table's statistics, PostgreSQL's planner expects `filler`
    // in thousands of messages (read from the newest first) and `quokka`
    // in a few (looked up through the index; without statistics it
    // expects few of either): the answers stay the same.
    crate::helpers::execute(&app.db_url, "ANALYZE messages").await;
    assert_eq!(message_ids(&search(&app, &cookie, "filler").await), fillers);
    assert_eq!(message_ids(&search(&app, &cookie, "quokka").await), quokkas);
    assert!(search(&app, &cookie, "nowhere").await.is_empty());
}
