//! Conversations written straight into a database that Palaver migrated:
//! far faster than asking for 50,000 answers, and the search indexes are
//! the ones Palaver keeps (SQLite's FTS5 tables by their triggers,
//! PostgreSQL's pg_trgm GIN indexes by the database itself).

use crate::text::{conversation, message, Rng};

/// The rows to write, ids from 1 (the database is fresh).
pub struct Rows {
    /// `(id, title, updated_at, current_leaf_id)`.
    pub conversations: Vec<(i64, String, i64, i64)>,
    pub messages: Vec<Message>,
}

/// One message row.
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub parent_id: Option<i64>,
    pub role: &'static str,
    pub content: String,
    pub created_at: i64,
}

/// `messages` messages in conversations of `per_conversation`, a question
/// and its answer in turn, one a minute back from now.
pub fn rows(messages: usize, per_conversation: usize) -> Rows {
    let mut rng = Rng::new(20_261_204);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let start = now - 60 * messages as i64;
    let mut rows = Rows {
        conversations: Vec::new(),
        messages: Vec::with_capacity(messages),
    };
    let mut n = 0;
    while n < messages {
        let c = rows.conversations.len() as i64 + 1;
        let (main, title) = conversation(&mut rng);
        let mut parent = None;
        for k in 0..per_conversation.min(messages - n) {
            let id = n as i64 + 1;
            let answer = k % 2 == 1;
            let role = if answer { "assistant" } else { "user" };
            let content = message(&mut rng, main, answer, n);
            rows.messages.push(Message {
                id,
                conversation_id: c,
                parent_id: parent,
                role,
                content,
                created_at: start + 60 * n as i64,
            });
            parent = Some(id);
            n += 1;
        }
        let leaf = parent.expect("a message");
        rows.conversations
            .push((c, title, start + 60 * n as i64, leaf));
    }
    rows
}

/// Writes `rows` for `user_id` into Palaver's SQLite database, in one
/// transaction (the FTS5 triggers index each message as it goes in).
pub async fn sqlite(pool: &sqlx::SqlitePool, user_id: i64, rows: &Rows) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for (id, title, at, leaf) in &rows.conversations {
        sqlx::query(
            "INSERT INTO conversations (id, user_id, title, model, created_at, updated_at, current_leaf_id)
             VALUES (?1, ?2, ?3, 'bench', ?4, ?4, ?5)",
        )
        .bind(id)
        .bind(user_id)
        .bind(title)
        .bind(at)
        .bind(leaf)
        .execute(&mut *tx)
        .await?;
    }
    for m in &rows.messages {
        sqlx::query(
            "INSERT INTO messages (id, conversation_id, parent_id, role, content, status, model, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'complete', CASE ?4 WHEN 'assistant' THEN 'bench' END, ?6)",
        )
        .bind(m.id)
        .bind(m.conversation_id)
        .bind(m.parent_id)
        .bind(m.role)
        .bind(&m.content)
        .bind(m.created_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Writes `rows` for `user_id` into Palaver's PostgreSQL database, 10,000
/// rows a statement, then moves the id sequences past them and updates
/// the planner's statistics (autovacuum would, within a minute).
pub async fn postgres(pool: &sqlx::PgPool, user_id: i64, rows: &Rows) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for chunk in rows.conversations.chunks(10_000) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
        let titles: Vec<&str> = chunk.iter().map(|r| r.1.as_str()).collect();
        let ats: Vec<i64> = chunk.iter().map(|r| r.2).collect();
        let leaves: Vec<i64> = chunk.iter().map(|r| r.3).collect();
        sqlx::query(
            "INSERT INTO conversations (id, user_id, title, model, created_at, updated_at, current_leaf_id)
             SELECT id, $1, title, 'bench', at, at, leaf
             FROM UNNEST($2::bigint[], $3::text[], $4::bigint[], $5::bigint[]) AS r (id, title, at, leaf)",
        )
        .bind(user_id)
        .bind(&ids)
        .bind(&titles)
        .bind(&ats)
        .bind(&leaves)
        .execute(&mut *tx)
        .await?;
    }
    for chunk in rows.messages.chunks(10_000) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.id).collect();
        let convs: Vec<i64> = chunk.iter().map(|r| r.conversation_id).collect();
        let parents: Vec<Option<i64>> = chunk.iter().map(|r| r.parent_id).collect();
        let roles: Vec<&str> = chunk.iter().map(|r| r.role).collect();
        let contents: Vec<&str> = chunk.iter().map(|r| r.content.as_str()).collect();
        let ats: Vec<i64> = chunk.iter().map(|r| r.created_at).collect();
        sqlx::query(
            "INSERT INTO messages (id, conversation_id, parent_id, role, content, status, model, created_at)
             SELECT id, c, parent, role, content, 'complete',
                    CASE role WHEN 'assistant' THEN 'bench' END, at
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[])
                  AS r (id, c, parent, role, content, at)",
        )
        .bind(&ids)
        .bind(&convs)
        .bind(&parents)
        .bind(&roles)
        .bind(&contents)
        .bind(&ats)
        .execute(&mut *tx)
        .await?;
    }
    for table in ["conversations", "messages"] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE conversations, messages")
        .execute(pool)
        .await?;
    Ok(())
}
