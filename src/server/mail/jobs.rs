//! What the outbox holds (jobs, never secrets) and how each becomes a mail.

use leptos_i18n::Locale as _; // as_str
use serde::{Deserialize, Serialize};
use url::Url;

use super::Rendered;
use crate::{lang::Locale, tr_in};

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
    /// After registration when addresses must be confirmed: the link is
    /// made when the mail is sent.
    VerifyEmail {
        /// The new user.
        user_id: i64,
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

fn html_page(lang: Locale, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:560px;margin:auto;padding:24px\">\
         {body}<p style=\"color:#666;font-size:13px\">Palaver</p></body></html>",
        lang.as_str()
    )
}

// No mail carries the display name or any other text chosen at
// registration: nobody has proved they own the address, so whoever
// registered someone else's address would write into that person's inbox
// ("Hello <your bank: call 555...>"). Mails greet plainly instead.

/// The welcome mail, in the account's language.
pub fn welcome(base: &Url, lang: Locale) -> Rendered {
    let app = base
        .join("app")
        .map(String::from)
        .unwrap_or_else(|_| base.to_string());
    let (hello, ready, start, ignore) = (
        tr_in!(lang, mail.hello),
        tr_in!(lang, mail.welcome.ready),
        tr_in!(lang, mail.welcome.start),
        tr_in!(lang, mail.welcome.ignore),
    );
    Rendered {
        subject: tr_in!(lang, mail.welcome.subject).into(),
        text: format!("{hello}\n\n{ready}\n\n{start}\n{app}\n\n{ignore}\n"),
        html: html_page(
            lang,
            &format!(
                "<p>{hello}</p><p>{ready}</p><p><a href=\"{}\">{start}</a></p>\
             <p style=\"color:#666\">{ignore}</p>",
                escape(&app)
            ),
        ),
    }
}

/// The reset link mail; `link` carries the token.
pub fn password_reset(link: &str, ttl_secs: i64, lang: Locale) -> Rendered {
    let minutes = (ttl_secs + 59) / 60;
    let (hello, asked, choose, once) = (
        tr_in!(lang, mail.hello),
        tr_in!(lang, mail.reset.asked),
        tr_in!(lang, mail.reset.choose),
        tr_in!(lang, mail.reset.once, minutes = minutes),
    );
    Rendered {
        subject: tr_in!(lang, mail.reset.subject).into(),
        text: format!("{hello}\n\n{asked}\n\n{choose}\n{link}\n\n{once}\n"),
        html: html_page(lang, &format!(
            "<p>{hello}</p><p>{asked}</p>\
             <p><a href=\"{}\" style=\"display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none\">{choose}</a></p>\
             <p style=\"color:#666\">{once}</p>",
            escape(link)
        )),
    }
}

/// The verification link mail; `link` carries the token.
pub fn verify_email(link: &str, lang: Locale) -> Rendered {
    let (hello, asked, confirm, once) = (
        tr_in!(lang, mail.hello),
        tr_in!(lang, mail.verify.asked),
        tr_in!(lang, mail.verify.confirm),
        tr_in!(lang, mail.verify.once),
    );
    Rendered {
        subject: tr_in!(lang, mail.verify.subject).into(),
        text: format!("{hello}\n\n{asked}\n\n{confirm}\n{link}\n\n{once}\n"),
        html: html_page(lang, &format!(
            "<p>{hello}</p><p>{asked}</p>\
             <p><a href=\"{}\" style=\"display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none\">{confirm}</a></p>\
             <p style=\"color:#666\">{once}</p>",
            escape(link)
        )),
    }
}

/// The confirmation after a reset.
pub fn password_changed(base: &Url, lang: Locale) -> Rendered {
    let forgot = base
        .join("forgot-password")
        .map(String::from)
        .unwrap_or_else(|_| base.to_string());
    let (hello, changed, not_you, reset_now) = (
        tr_in!(lang, mail.hello),
        tr_in!(lang, mail.changed.done),
        tr_in!(lang, mail.changed.not_you),
        tr_in!(lang, mail.changed.reset_now),
    );
    Rendered {
        subject: tr_in!(lang, mail.changed.subject).into(),
        text: format!("{hello}\n\n{changed}\n\n{not_you} {reset_now}\n{forgot}\n"),
        html: html_page(
            lang,
            &format!(
                "<p>{hello}</p><p>{changed}</p>\
             <p>{not_you} <a href=\"{}\">{reset_now}</a></p>",
                escape(&forgot)
            ),
        ),
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
        assert!(welcome(&base, Locale::en)
            .text
            .contains("https://chat.example.com/app"));
        let mail = password_reset(
            "https://chat.example.com/reset-password?token=a&b=\"",
            900,
            Locale::en,
        );
        assert!(mail.html.contains("token=a&amp;b=&quot;"), "{}", mail.html);
        assert!(mail.text.contains("15 minutes"));
    }

    #[test]
    fn each_language_has_its_own_mail() {
        let base = Url::parse("https://chat.example.com/").unwrap();
        let zh = password_reset("https://chat.example.com/r?token=t", 900, Locale::zh_CN);
        assert!(zh.subject.contains("密码"), "{}", zh.subject);
        assert!(zh.text.contains("15 分钟"), "{}", zh.text);
        let vi = password_changed(&base, Locale::vi);
        assert!(vi.subject.contains("mật khẩu"), "{}", vi.subject);
        assert!(vi.html.contains("https://chat.example.com/forgot-password"));
        let en = welcome(&base, Locale::en);
        assert_ne!(en.subject, welcome(&base, Locale::vi).subject);
    }
}
