//! The rules of a chat turn and of managing conversations, called directly
//! on the app's state (no HTTP between the test and the rules; the session
//! only serves to get a real signed-in user).

use std::time::Duration;

use palaver::{
    api::{
        auth::MeResponse,
        chat_types::{ChatRequest, Role},
    },
    domain::User,
    error::AppError,
    server::chat::{answer, attach, conversations, turn},
};

use crate::{
    fake_llm::{sse, FakeLlm, Script},
    helpers::{spawn_app_with, TestApp},
};

async fn app_with_model(answer: &str) -> (FakeLlm, TestApp) {
    let fake = FakeLlm::start(Script::Stream {
        writes: vec![sse(&[answer])],
        pause: Duration::ZERO,
    })
    .await;
    let app = spawn_app_with(&[
        ("LLM_BASE_URL", fake.base_url.as_str()),
        ("LLM_API_KEY", "test-key"),
        ("LLM_MODELS", "alt-model"),
    ])
    .await;
    (fake, app)
}

/// Registers `email` and returns the user as the server sees them.
async fn user(app: &TestApp, email: &str) -> User {
    let cookie = app.signed_in(email).await;
    let me: MeResponse = app.get_as("/auth/me", &cookie).await.json().await.unwrap();
    me.user
}

fn ask(message: &str, conversation_id: Option<i64>, model: Option<&str>) -> ChatRequest {
    ChatRequest {
        message: message.into(),
        conversation_id,
        model: model.map(str::to_owned),
        parent_id: None,
    }
}

/// Runs a turn's answer to its end, as the handler would, and returns the
/// lines the client would have read.
async fn answered(app: &TestApp, turn: turn::Turn) -> Vec<String> {
    // The answer streams to a real session (the latest one signed in).
    let session = crate::helpers::query_text_int(
        &app.db_url,
        "SELECT id, user_id FROM sessions ORDER BY expires_at DESC LIMIT 1",
    )
    .await
    .pop()
    .expect("a signed-in session");
    let watch = app.state.sign_outs.watch(
        session.1,
        palaver::server::sign_outs::Credential::Session(session.0),
    );
    let exchange = turn.exchange;
    let (running, attached) = answer::spawn(&app.state, turn, session.1);
    let lines = attach::reader(
        &app.state,
        exchange,
        Some((running, Some(attached))),
        attach::Start::Fresh,
        watch,
    );
    use futures_util::StreamExt;
    lines
        .map(|line| String::from_utf8(line.to_vec()).unwrap())
        .collect()
        .await
}

#[tokio::test]
async fn a_turn_refuses_empty_and_overlong_messages_and_unknown_models_before_asking() {
    let (fake, app) = app_with_model("unused").await;
    let alice = user(&app, "rules@example.com").await;
    let refused = [
        (ask(" \n\t ", None, None), AppError::EmptyMessage),
        (
            ask(&"字".repeat(4001), None, None),
            AppError::MessageTooLong { max: 4000 },
        ),
        (ask("hi", None, Some("gpt-secret")), AppError::UnknownModel),
    ];
    for (request, why) in refused {
        let err = turn::start(&app.state, &alice, &request).await.err();
        assert_eq!(err, Some(why));
    }
    assert!(
        fake.requests.lock().await.is_empty(),
        "the model was never asked"
    );
    assert!(conversations::list(&app.state, &alice)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_turn_without_a_model_configured_says_what_to_set() {
    let app = spawn_app_with(&[]).await;
    let alice = user(&app, "nokey-turn@example.com").await;
    match turn::start(&app.state, &alice, &ask("hi", None, None)).await {
        Err(AppError::NotConfigured(notice)) => assert!(notice.contains("LLM_API_KEY"), "{notice}"),
        other => panic!("expected NotConfigured, got {:?}", other.err()),
    }
}

#[tokio::test]
async fn another_users_conversation_is_not_found_and_stays_untouched() {
    let (fake, app) = app_with_model("Private.").await;
    let alice = user(&app, "alice-turn@example.com").await;
    let mallory = user(&app, "mallory-turn@example.com").await;
    let started = turn::start(&app.state, &alice, &ask("My secret", None, None))
        .await
        .unwrap();
    let id = started.conversation.id;
    let lines = answered(&app, started).await;
    assert_eq!(lines.last().unwrap(), "{\"done\":true}\n");

    let state = &app.state;
    let continued = turn::start(state, &mallory, &ask("Me too", Some(id), None)).await;
    assert_eq!(continued.err(), Some(AppError::NotFound));
    assert_eq!(
        conversations::load(state, &mallory, id).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        conversations::rename(state, &mallory, id, "Mine now").await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        conversations::clear(state, &mallory, id).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        conversations::delete(state, &mallory, id).await,
        Err(AppError::NotFound)
    );
    assert!(conversations::list(state, &mallory)
        .await
        .unwrap()
        .is_empty());

    assert_eq!(
        fake.requests.lock().await.len(),
        1,
        "only Alice's turn asked"
    );
    let kept = conversations::load(state, &alice, id).await.unwrap();
    let kept: Vec<_> = kept.iter().map(|m| (m.role, m.content.as_str())).collect();
    assert_eq!(
        kept,
        [(Role::User, "My secret"), (Role::Assistant, "Private.")]
    );
    assert_eq!(
        conversations::list(state, &alice).await.unwrap()[0].title,
        "My secret"
    );
}

#[tokio::test]
async fn a_conversation_keeps_its_model_until_another_is_asked_for() {
    let (_fake, app) = app_with_model("Fine.").await;
    let alice = user(&app, "models@example.com").await;
    let state = &app.state;

    let first = turn::start(state, &alice, &ask("  Hello  ", None, Some("alt-model")))
        .await
        .unwrap();
    assert_eq!(first.model, "alt-model");
    assert_eq!(first.conversation.model, "alt-model");
    let id = first.conversation.id;
    answered(&app, first).await;

    let second = turn::start(state, &alice, &ask("Again", Some(id), None))
        .await
        .unwrap();
    assert_eq!(second.model, "alt-model", "the conversation's own model");
    assert_eq!(second.conversation.id, id);
    answered(&app, second).await;

    let third = turn::start(state, &alice, &ask("Switch", Some(id), Some("gpt-4o-mini")))
        .await
        .unwrap();
    assert_eq!(third.model, "gpt-4o-mini", "asked for explicitly");
    answered(&app, third).await;

    let other = turn::start(state, &alice, &ask("Elsewhere", None, None))
        .await
        .unwrap();
    assert_eq!(
        other.model, "gpt-4o-mini",
        "a new conversation gets the default"
    );
    assert_ne!(other.conversation.id, id);

    // Each turn stored its trimmed question before the answer streamed.
    let stored = conversations::load(state, &alice, id).await.unwrap();
    let questions: Vec<_> = stored
        .iter()
        .filter(|m| m.role == Role::User)
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(questions, ["Hello", "Again", "Switch"]);
    // Each answer names the model that wrote it; questions name none.
    let models: Vec<_> = stored.iter().map(|m| m.model.as_deref()).collect();
    assert_eq!(
        models,
        [
            None,
            Some("alt-model"),
            None,
            Some("alt-model"),
            None,
            Some("gpt-4o-mini")
        ]
    );
    // The conversation goes on with the model it last used (so a reload
    // shows that one in the picker).
    let next = turn::start(state, &alice, &ask("And now?", Some(id), None))
        .await
        .unwrap();
    assert_eq!(next.conversation.model, "gpt-4o-mini");
    assert_eq!(next.model, "gpt-4o-mini");
}

#[tokio::test]
async fn titles_are_trimmed_and_limited_to_120_characters() {
    let (_fake, app) = app_with_model("Ok.").await;
    let alice = user(&app, "titles@example.com").await;
    let state = &app.state;
    let started = turn::start(state, &alice, &ask("Plans", None, None))
        .await
        .unwrap();
    let id = started.conversation.id;
    answered(&app, started).await;

    let too_long = AppError::InvalidTitle { max: 120 };
    for refused in ["   ".to_owned(), "字".repeat(121)] {
        assert_eq!(
            conversations::rename(state, &alice, id, &refused).await,
            Err(too_long.clone())
        );
    }
    assert_eq!(
        conversations::list(state, &alice).await.unwrap()[0].title,
        "Plans"
    );

    conversations::rename(state, &alice, id, "  Trip to Huế  ")
        .await
        .unwrap();
    assert_eq!(
        conversations::list(state, &alice).await.unwrap()[0].title,
        "Trip to Huế"
    );
    let longest = "字".repeat(120);
    conversations::rename(state, &alice, id, &longest)
        .await
        .unwrap();
    assert_eq!(
        conversations::list(state, &alice).await.unwrap()[0].title,
        longest
    );
}
