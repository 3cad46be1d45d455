//! The PostgreSQL implementation of [`Repo`], for several instances on one
//! database. Same behaviour as SQLite, its own SQL and migrations.

use std::{str::FromStr, time::Duration};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

mod accounts;
mod chat;
mod queue;

use super::{
    Conversation, DbError, JobFn, MailOutcome, Message, MessageStatus, NewUser, PoolSettings,
    QueuedMail, ResetDone, Role, SessionRow, User,
};

/// PostgreSQL storage over a connection pool.
#[derive(Clone, Debug)]
pub struct PgRepo {
    pool: PgPool,
}

impl PgRepo {
    /// Connects and runs the migrations. Connections that break (a database
    /// restart) are dropped and replaced by the pool on the next use.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str, pool: PoolSettings) -> Result<Self, DbError> {
        let options = PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
        let pool = PgPoolOptions::new()
            .max_connections(pool.max_connections)
            .acquire_timeout(pool.acquire_timeout)
            .idle_timeout(Some(Duration::from_secs(600)))
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        tracing::info!("postgres database ready");
        Ok(Self { pool })
    }
}

super::repo_impl::impl_repo!(PgRepo);
