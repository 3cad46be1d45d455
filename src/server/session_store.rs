//! A tower-sessions store over our [`Repo`], so sessions live in the same
//! database as everything else and every instance on it sees them.
//! The signed-in user's id is copied into its own indexed column, so all of a
//! user's sessions can be ended without scanning. Records are stored under
//! the SHA-256 of the session id ([`stored_id`]), so a read of the sessions
//! table yields no cookie that would sign anyone in.

use std::sync::Arc;

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion, SessionStore},
};

use super::{
    clock::Clock,
    db::{DbError, Repo, SessionRow},
};

/// The key under which a session holds the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";

/// Sessions in the application database.
#[derive(Clone)]
pub struct DbSessionStore {
    db: Arc<dyn Repo>,
    clock: Clock,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    /// A store over `db`, judging expiry by `clock`.
    pub fn new(db: Arc<dyn Repo>, clock: Clock) -> Self {
        Self { db, clock }
    }
}

fn backend(err: DbError) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

/// The key a session is stored under: hex SHA-256 of its id (the cookie's
/// value). The id is 128 random bits, so an unsalted fast hash is enough.
pub fn stored_id(id: &Id) -> String {
    Sha256::digest(id.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn to_row(record: &Record) -> Result<SessionRow, session_store::Error> {
    Ok(SessionRow {
        id: stored_id(&record.id),
        user_id: record
            .data
            .get(USER_ID_KEY)
            .and_then(serde_json::Value::as_i64),
        data: serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?,
        expires_at: record.expiry_date.unix_timestamp(),
    })
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id until the insert wins; a collision of 128 random bits is
        // all but impossible, but a silent overwrite would be a session leak.
        loop {
            if self
                .db
                .session_insert(&to_row(record)?)
                .await
                .map_err(backend)?
            {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.db
            .session_upsert(&to_row(record)?)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = self
            .db
            .session_load(&stored_id(id), self.clock.now())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.db
            .session_delete(&stored_id(id))
            .await
            .map_err(backend)
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        self.db
            .delete_expired(self.clock.now())
            .await
            .map_err(backend)?;
        Ok(())
    }
}
