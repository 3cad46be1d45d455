//! The one implementation of [`Repo`](super::Repo)'s plumbing, shared by the
//! backends through a macro (async trait impls cannot be generic over sqlx's
//! pool types without repeating every bound).

/// Implements [`Repo`] for a backend type with a `pool` field, by calling
/// the same-named functions of its `accounts`, `chat` and `queue` modules:
/// each backend keeps its own SQL, and none repeats the plumbing.
macro_rules! impl_repo {
    ($ty:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::db::Repo for $ty {
            #[tracing::instrument(skip_all)]
            async fn ping(&self) -> Result<(), DbError> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn close(&self) {
                self.pool.close().await;
            }

            #[tracing::instrument(skip_all)]
            async fn create_user(
                &self,
                new: &NewUser<'_>,
                now: i64,
                welcome: JobFn<'_>,
            ) -> Result<User, DbError> {
                accounts::create_user(&self.pool, new, now, welcome).await
            }

            #[tracing::instrument(skip_all)]
            async fn user_by_email(
                &self,
                email: &str,
            ) -> Result<Option<(User, Option<String>)>, DbError> {
                accounts::user_by_email(&self.pool, email).await
            }

            #[tracing::instrument(skip_all)]
            async fn user_by_id(&self, id: i64) -> Result<Option<User>, DbError> {
                accounts::user_by_id(&self.pool, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn user_by_session(
                &self,
                session_id: &str,
                now: i64,
            ) -> Result<Option<User>, DbError> {
                accounts::user_by_session(&self.pool, session_id, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn set_password_hash(
                &self,
                user_id: i64,
                hash: &str,
                now: i64,
            ) -> Result<(), DbError> {
                accounts::set_password_hash(&self.pool, user_id, hash, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn session_insert(&self, row: &SessionRow) -> Result<bool, DbError> {
                accounts::session_insert(&self.pool, row).await
            }

            #[tracing::instrument(skip_all)]
            async fn session_upsert(&self, row: &SessionRow) -> Result<(), DbError> {
                accounts::session_upsert(&self.pool, row).await
            }

            #[tracing::instrument(skip_all)]
            async fn session_load(
                &self,
                id: &str,
                now: i64,
            ) -> Result<Option<SessionRow>, DbError> {
                accounts::session_load(&self.pool, id, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn session_delete(&self, id: &str) -> Result<(), DbError> {
                accounts::session_delete(&self.pool, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn sessions_delete_for_user(&self, user_id: i64) -> Result<u64, DbError> {
                accounts::sessions_delete_for_user(&self.pool, user_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn delete_expired(&self, now: i64) -> Result<u64, DbError> {
                queue::delete_expired(&self.pool, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn rate_limit_hit(
                &self,
                key: &str,
                window_secs: i64,
                now: i64,
            ) -> Result<i64, DbError> {
                queue::rate_limit_hit(&self.pool, key, window_secs, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn mail_enqueue(&self, job: &str, now: i64) -> Result<i64, DbError> {
                Ok(queue::mail_enqueue(&self.pool, job, now).await?)
            }

            #[tracing::instrument(skip_all)]
            async fn mail_claim(
                &self,
                now: i64,
                lease_secs: i64,
                limit: i64,
            ) -> Result<Vec<QueuedMail>, DbError> {
                queue::mail_claim(&self.pool, now, lease_secs, limit).await
            }

            #[tracing::instrument(skip_all)]
            async fn mail_finish(
                &self,
                id: i64,
                outcome: &MailOutcome,
                now: i64,
            ) -> Result<(), DbError> {
                queue::mail_finish(&self.pool, id, outcome, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn reset_token_create(
                &self,
                user_id: i64,
                token_hash: &str,
                expires_at: i64,
                now: i64,
            ) -> Result<(), DbError> {
                accounts::reset_token_create(&self.pool, user_id, token_hash, expires_at, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn reset_token_valid(&self, token_hash: &str, now: i64) -> Result<bool, DbError> {
                accounts::reset_token_valid(&self.pool, token_hash, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn reset_password(
                &self,
                token_hash: &str,
                password_hash: &str,
                now: i64,
                confirmation: JobFn<'_>,
            ) -> Result<Option<ResetDone>, DbError> {
                accounts::reset_password(&self.pool, token_hash, password_hash, now, confirmation)
                    .await
            }

            #[tracing::instrument(skip_all)]
            async fn conversation_start(
                &self,
                user_id: i64,
                title: &str,
                model: &str,
                first_message: &str,
                now: i64,
            ) -> Result<Conversation, DbError> {
                chat::conversation_start(&self.pool, user_id, title, model, first_message, now)
                    .await
            }

            #[tracing::instrument(skip_all)]
            async fn conversation_get(
                &self,
                user_id: i64,
                id: i64,
            ) -> Result<Option<Conversation>, DbError> {
                chat::conversation_get(&self.pool, user_id, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn conversations_list(&self, user_id: i64) -> Result<Vec<Conversation>, DbError> {
                chat::conversations_list(&self.pool, user_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn conversation_rename(
                &self,
                user_id: i64,
                id: i64,
                title: &str,
                now: i64,
            ) -> Result<bool, DbError> {
                chat::conversation_rename(&self.pool, user_id, id, title, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn conversation_delete(&self, user_id: i64, id: i64) -> Result<bool, DbError> {
                chat::conversation_delete(&self.pool, user_id, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn conversation_clear(&self, user_id: i64, id: i64) -> Result<bool, DbError> {
                chat::conversation_clear(&self.pool, user_id, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn message_add(
                &self,
                conversation_id: i64,
                role: Role,
                content: &str,
                status: MessageStatus,
                now: i64,
            ) -> Result<i64, DbError> {
                chat::message_add(&self.pool, conversation_id, role, content, status, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn messages(
                &self,
                conversation_id: i64,
                limit: Option<i64>,
            ) -> Result<Vec<Message>, DbError> {
                chat::messages(&self.pool, conversation_id, limit).await
            }
        }
    };
}
pub(super) use impl_repo;
