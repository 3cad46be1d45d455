//! Outgoing mail over lettre: SMTP when `SMTP_URL` is set, else `.eml` files
//! in the outbox folder (development only; production refuses to start
//! without SMTP). Mails are queued in the database first ([`worker`]).

pub mod jobs;
pub mod outbox;
pub mod worker;

pub use outbox::Outbox;

use std::time::Duration;

use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use super::config::MailSettings;

/// A rendered mail, ready to address.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// Why a mail could not be sent. The message never contains credentials.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The configuration cannot make a transport.
    #[error("mail transport setup failed: {0}")]
    Setup(String),
    /// The message could not be built (an address lettre cannot parse...):
    /// no retry can mend it.
    #[error("cannot build the message: {0}")]
    Build(String),
    /// The server refused the mail for good (an SMTP 5xx, such as an
    /// unknown recipient): no retry can mend it either.
    #[error("the mail was refused: {0}")]
    Refused(String),
    /// The transport failed (connection, timeout, 4xx); worth retrying.
    #[error("sending failed: {0}")]
    Send(String),
}

impl MailError {
    /// True when trying again later cannot succeed.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Build(_) | Self::Refused(_))
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

/// Sends rendered mails from the configured sender.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
        };
        write!(f, "Mailer({kind}, from {})", self.from)
    }
}

impl Mailer {
    /// Builds the transport named by the settings. The file outbox folder is
    /// created here, and its place logged.
    pub fn new(settings: &MailSettings, production: bool) -> Result<Self, MailError> {
        let from = Mailbox::new(
            Some(settings.sender_name.clone()),
            settings
                .from_address
                .parse()
                .map_err(|e| MailError::Setup(format!("MAIL_FROM: {e}")))?,
        );
        let transport = match &settings.smtp_url {
            Some(url) => {
                if production && !url.uses_tls() {
                    tracing::warn!("SMTP_URL sends mail without TLS; use smtps:// or ?tls=required unless the relay is local");
                }
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| MailError::Setup(format!("SMTP_URL: {e}")))?
                    .timeout(Some(Duration::from_secs(15)))
                    .build();
                tracing::info!(smtp = ?url, "mail goes out over SMTP");
                Transport::Smtp(smtp)
            }
            None => {
                std::fs::create_dir_all(&settings.outbox_dir).map_err(|e| {
                    MailError::Setup(format!("{}: {e}", settings.outbox_dir.display()))
                })?;
                tracing::info!(dir = %settings.outbox_dir.display(), "no SMTP_URL: mails are written as .eml files");
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(
                    &settings.outbox_dir,
                ))
            }
        };
        Ok(Self { transport, from })
    }

    /// Sends one mail (text and HTML alternatives) to `to`.
    #[tracing::instrument(skip_all)]
    pub async fn send(&self, to: &str, mail: &Rendered) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| MailError::Build(format!("recipient: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(mail.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(mail.html.clone()),
                    ),
            )
            .map_err(|e| MailError::Build(e.to_string()))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    MailError::Refused(e.to_string())
                } else {
                    MailError::Send(e.to_string())
                }
            }),
            Transport::File(file) => file
                .send(message)
                .await
                .map(drop)
                .map_err(|e| MailError::Send(e.to_string())),
        }
    }
}
