//! `palaver user create`: an account made by the operator, under the same
//! rules as one made on the registration page.

use std::io::{BufRead, IsTerminal, Write};

use leptos_i18n::Locale as _; // as_str

use super::Exit;
use crate::{
    domain::{DisplayName, Email, Password, Role},
    error::AppError,
    lang::Locale,
    server::{
        audit,
        clock::Clock,
        config::Settings,
        db::{self, AuditEvent, DbError, NewUser},
        mail::jobs::MailJob,
        password::PasswordHashing,
    },
};

/// The first line of `input`, without its line ending. Everything else on
/// the line, spaces included, is the password, as in the registration form.
pub(super) fn first_line(mut input: impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    if line.ends_with('\n') {
        line.pop();
        if line.ends_with('\r') {
            line.pop();
        }
    }
    Ok(line)
}

/// What registration checks, in its order: the address, the password
/// policy, the display name (the e-mail's local part when none is given).
fn validate(
    email: &str,
    password: &str,
    name: Option<&str>,
) -> Result<(Email, Password, DisplayName), AppError> {
    let email = Email::parse(email)?;
    let password = Password::parse(password)?;
    let display_name = DisplayName::for_account(name, &email)?;
    Ok((email, password, display_name))
}

/// Creates the account and prints `created user <id> <email>`.
pub(super) async fn create(
    settings: &Settings,
    email: &str,
    name: Option<&str>,
    admin: bool,
) -> Exit {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // Not hidden: reading a terminal without echo needs a crate for
        // one prompt; scripts pipe the password in anyway.
        eprint!("password for {email} (shown as you type): ");
        let _ = std::io::stderr().flush();
    }
    let password = match first_line(stdin.lock()) {
        Ok(line) => line,
        Err(e) => {
            eprintln!("palaver: cannot read the password from standard input: {e}");
            return Exit::Failure;
        }
    };
    let (email, password, display_name) = match validate(email, &password, name) {
        Ok(valid) => valid,
        Err(e) => {
            eprintln!("palaver: refused: {e} ({})", e.code());
            return Exit::Refused;
        }
    };

    let repo = match db::connect(&settings.db).await {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("palaver: {e}");
            return Exit::Failure;
        }
    };
    let hash = match PasswordHashing::new(settings.argon2).await {
        Ok(hashing) => hashing.hash(password.expose()).await,
        Err(e) => Err(e),
    };
    let Ok(password_hash) = hash else {
        eprintln!("palaver: hashing the password failed");
        repo.close().await;
        return Exit::Failure;
    };
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let new = NewUser {
        uid: &uid,
        email: email.as_str(),
        phone: None,
        display_name: display_name.as_str(),
        password_hash: &password_hash,
        lang: Locale::en.as_str(),
        role: if admin { Role::Admin } else { Role::User },
        // The operator vouches for the address.
        verified: true,
        event: AuditEvent::new(audit::kind::ACCOUNT_CREATED, None, None)
            .with(serde_json::json!({"by": "cli", "role": if admin { "admin" } else { "user" }})),
    };
    // The welcome mail is queued as for a registration; the server's
    // outbox worker sends it.
    let welcome = |user_id| MailJob::Welcome { user_id }.to_json();
    let created = repo
        .create_user(&new, Clock::default().now(), &welcome)
        .await;
    repo.close().await;
    match created {
        Ok(user) => {
            super::print_lines([format!("created user {} {}", user.id, user.email)]);
            Exit::Ok
        }
        Err(DbError::Conflict(_)) => {
            eprintln!("palaver: {} is already taken", email.as_str());
            Exit::EmailTaken
        }
        Err(e) => {
            eprintln!("palaver: {e}");
            Exit::Failure
        }
    }
}

/// `user reset-mfa --email E`: turns two-factor sign-in off, recorded.
pub(super) async fn reset_mfa(settings: &Settings, email: &str) -> Exit {
    let Ok(email) = Email::parse(email) else {
        eprintln!("palaver: refused: not an e-mail address");
        return Exit::Refused;
    };
    let repo = match db::connect(&settings.db).await {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("palaver: {e}");
            return Exit::Failure;
        }
    };
    let result = async {
        let Some((user, _)) = repo.user_by_email(email.as_str()).await? else {
            return Ok(None);
        };
        let event = AuditEvent::new(audit::kind::MFA_DISABLED, Some(user.id), None)
            .with(serde_json::json!({"by": "cli"}));
        let was_on = repo
            .mfa_disable(user.id, &event, Clock::default().now())
            .await?;
        Ok::<_, DbError>(Some(was_on))
    }
    .await;
    repo.close().await;
    match result {
        Ok(Some(true)) => {
            super::print_lines([format!(
                "two-factor sign-in turned off for {}",
                email.as_str()
            )]);
            Exit::Ok
        }
        Ok(Some(false)) => {
            super::print_lines([format!(
                "two-factor sign-in was not on for {}",
                email.as_str()
            )]);
            Exit::Ok
        }
        Ok(None) => {
            eprintln!("palaver: no account has the address {}", email.as_str());
            Exit::Mismatch
        }
        Err(e) => {
            eprintln!("palaver: {e}");
            Exit::Failure
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line_without_its_ending() {
        for (input, expected) in [
            ("pw with spaces \n", "pw with spaces "),
            ("windows\r\nsecond line\n", "windows"),
            ("no newline", "no newline"),
            ("", ""),
        ] {
            assert_eq!(first_line(input.as_bytes()).unwrap(), expected);
        }
    }

    #[test]
    fn the_rules_are_registrations() {
        let (email, _, name) = validate(" Ann@Example.COM ", "correct-horse-9", None).unwrap();
        assert_eq!(email.as_str(), "ann@example.com");
        assert_eq!(name.as_str(), "ann");
        assert_eq!(
            validate("a@b.co", "short1", None).unwrap_err().code(),
            "weak_password"
        );
        assert_eq!(
            validate("a@b.co", "password123", None).unwrap_err().code(),
            "weak_password"
        );
        assert_eq!(
            validate("nope", "correct-horse-9", None)
                .unwrap_err()
                .code(),
            "invalid_email"
        );
        assert_eq!(
            validate("a@b.co", "correct-horse-9", Some("x\u{7}"))
                .unwrap_err()
                .code(),
            "invalid_display_name"
        );
    }
}
