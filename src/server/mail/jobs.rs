//! What the outbox holds (jobs, never secrets) and how each becomes a mail.

use serde::{Deserialize, Serialize};
use url::Url;

use super::Rendered;

/// One queued mail, as stored in `mail_outbox.job`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailJob {
    /// After registration.
    Welcome {
        /// The new user.
        user_id: i64,
    },
    /// Someone asked for a reset link for this address (known or not: the
    /// worker decides, off the request path).
    PasswordReset {
        /// The normalised address asked for.
        email: String,
    },
    /// After a successful reset.
    PasswordChanged {
        /// Whose password changed.
        user_id: i64,
    },
}

impl MailJob {
    /// The JSON stored in the outbox.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("mail jobs always serialise")
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html_page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:560px;margin:auto;padding:24px\">\
         {body}<p style=\"color:#666;font-size:13px\">Palaver</p></body></html>"
    )
}

// No mail carries the display name or any other text chosen at
// registration: nobody has proved they own the address, so whoever
// registered someone else's address would write into that person's inbox
// ("Hello <your bank: call 555...>"). Mails greet plainly instead.

/// The welcome mail.
pub fn welcome(base: &Url) -> Rendered {
    let app = base
        .join("app")
        .map(String::from)
        .unwrap_or_else(|_| base.to_string());
    Rendered {
        subject: "Welcome to Palaver".into(),
        text: format!("Hello,\n\nyour Palaver account is ready. Start a conversation at {app}\n\nIf you did not sign up, you can ignore this mail.\n"),
        html: html_page(&format!(
            "<p>Hello,</p><p>your Palaver account is ready.</p><p><a href=\"{app}\">Start a conversation</a></p>\
             <p style=\"color:#666\">If you did not sign up, you can ignore this mail.</p>"
        )),
    }
}

/// The reset link mail; `link` carries the token.
pub fn password_reset(link: &str, ttl_secs: i64) -> Rendered {
    let minutes = (ttl_secs + 59) / 60;
    Rendered {
        subject: "Reset your Palaver password".into(),
        text: format!(
            "Hello,\n\nsomeone (hopefully you) asked to reset your Palaver password. Open this link to choose a new one:\n\n{link}\n\n\
             The link works once, for {minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.\n"
        ),
        html: html_page(&format!(
            "<p>Hello,</p><p>someone (hopefully you) asked to reset your Palaver password.</p>\
             <p><a href=\"{}\" style=\"display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none\">Choose a new password</a></p>\
             <p style=\"color:#666\">The link works once, for {minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.</p>",
            escape(link)
        )),
    }
}

/// The confirmation after a reset.
pub fn password_changed(base: &Url) -> Rendered {
    let forgot = base
        .join("forgot-password")
        .map(String::from)
        .unwrap_or_else(|_| base.to_string());
    Rendered {
        subject: "Your Palaver password was changed".into(),
        text: format!(
            "Hello,\n\nyour Palaver password was just changed, and every device was signed out.\n\n\
             If this was not you, reset it now: {forgot}\n"
        ),
        html: html_page(&format!(
            "<p>Hello,</p><p>your Palaver password was just changed, and every device was signed out.</p>\
             <p>If this was not you, <a href=\"{forgot}\">reset it now</a>.</p>"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_round_trip_without_secrets() {
        let job = MailJob::PasswordReset {
            email: "a@example.com".into(),
        };
        assert_eq!(
            job.to_json(),
            r#"{"kind":"password_reset","email":"a@example.com"}"#
        );
        assert_eq!(
            serde_json::from_str::<MailJob>(&job.to_json()).unwrap(),
            job
        );
    }

    #[test]
    fn links_are_escaped_in_html() {
        let base = Url::parse("https://chat.example.com/").unwrap();
        assert!(welcome(&base).text.contains("https://chat.example.com/app"));
        let mail = password_reset("https://chat.example.com/reset-password?token=a&b=\"", 900);
        assert!(mail.html.contains("token=a&amp;b=&quot;"), "{}", mail.html);
        assert!(mail.text.contains("15 minutes"));
    }
}
