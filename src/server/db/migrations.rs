//! `palaver migrate`: applies the pending migrations and says what it did.
//! The server applies them too, at start-up ([`connect`](super::connect));
//! this is for doing it ahead of a deploy, and seeing the outcome.

use sqlx::migrate::{Migrate, MigrateError};

use super::{
    pool::{Pool, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS},
    DbError,
};
use crate::server::config::db::DbSettings;

/// What a migration run found and left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationReport {
    /// Migrations this build knows.
    pub known: usize,
    /// Applied before the run.
    pub applied_before: usize,
    /// Applied after it.
    pub applied_after: usize,
    /// The newest applied version after the run, if any.
    pub version: Option<i64>,
}

impl MigrationReport {
    /// How many this run applied.
    pub fn applied_now(&self) -> usize {
        self.applied_after.saturating_sub(self.applied_before)
    }
}

/// Opens the database named in `settings` (creating a missing SQLite
/// file), applies the pending migrations and closes it again.
#[tracing::instrument(skip_all, err)]
pub async fn migrate(settings: &DbSettings) -> Result<MigrationReport, DbError> {
    let pool = Pool::open(settings).await?;
    let before = applied(&pool).await?;
    let migrated = pool.migrate().await;
    let after = match migrated {
        Ok(()) => applied(&pool).await,
        Err(e) => Err(e),
    };
    match &pool {
        Pool::Sqlite(p) => p.close().await,
        Pool::Postgres(p) => p.close().await,
    }
    let after = after?;
    Ok(MigrationReport {
        known: match pool {
            Pool::Sqlite(_) => SQLITE_MIGRATIONS.iter().count(),
            Pool::Postgres(_) => POSTGRES_MIGRATIONS.iter().count(),
        },
        applied_before: before.len(),
        applied_after: after.len(),
        version: after.iter().copied().max(),
    })
}

/// The versions applied so far. The migrations table is created when
/// missing (as the migrator itself does), under the migrator's lock, so
/// that this cannot race a server migrating the same database.
async fn applied(pool: &Pool) -> Result<Vec<i64>, DbError> {
    async fn list<C: Migrate + ?Sized>(conn: &mut C) -> Result<Vec<i64>, MigrateError> {
        conn.lock().await?;
        let listed = async {
            conn.ensure_migrations_table().await?;
            conn.list_applied_migrations().await
        }
        .await;
        conn.unlock().await?;
        Ok(listed?.into_iter().map(|m| m.version).collect())
    }
    Ok(match pool {
        Pool::Sqlite(p) => list(&mut *p.acquire().await?).await?,
        Pool::Postgres(p) => list(&mut *p.acquire().await?).await?,
    })
}
