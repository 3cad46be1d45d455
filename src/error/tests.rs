use serde_json::{json, Value};
use server_fn::error::FromServerFnError;

use super::*;

/// Every variant, with the parameters it can carry.
fn every_error() -> Vec<AppError> {
    vec![
        AppError::BadRequest("invalid JSON body: expected `,`".into()),
        AppError::InvalidEmail,
        AppError::WeakPassword(Some(PasswordError::TooShort)),
        AppError::WeakPassword(None),
        AppError::InvalidDisplayName,
        AppError::InvalidPhone,
        AppError::InvalidToken,
        AppError::EmptyMessage,
        AppError::MessageTooLong { max: 4000 },
        AppError::UnknownModel,
        AppError::InvalidTitle { max: 120 },
        AppError::SystemPromptTooLong { max: 8000 },
        AppError::InvalidKeyName { max: 60 },
        AppError::TooManyKeys { max: 20 },
        AppError::InvalidCredentials,
        AppError::Unauthorized,
        AppError::Forbidden,
        AppError::SessionRequired,
        AppError::SignupClosed,
        AppError::PendingApproval,
        AppError::EmailUnverified,
        AppError::MfaRequired,
        AppError::InvalidMfaCode { at_sign_in: true },
        AppError::MfaAlreadyEnabled,
        AppError::MfaNotEnabled,
        AppError::LastAdmin,
        AppError::NotFound,
        AppError::EmailTaken,
        AppError::PayloadTooLarge,
        AppError::RateLimited,
        AppError::Unavailable,
        AppError::NotConfigured("Set LLM_API_KEY".into()),
        AppError::Internal,
    ]
}

fn decode(body: Value) -> AppError {
    AppError::de(serde_json::to_vec(&body).unwrap().into())
}

#[test]
fn the_wire_form_carries_the_message_and_the_code() {
    assert_eq!(
        serde_json::to_value(AppError::InvalidCredentials).unwrap(),
        json!({"ok": false, "error": "Invalid credentials", "code": "invalid_credentials"})
    );
    assert_eq!(
        serde_json::to_value(AppError::BadRequest("invalid JSON body: EOF".into())).unwrap(),
        json!({"ok": false, "error": "invalid JSON body: EOF", "code": "bad_request"}),
        "API clients get the server's whole reason"
    );
    assert_eq!(
        serde_json::to_value(AppError::WeakPassword(Some(PasswordError::Common))).unwrap()
            ["reason"],
        "common"
    );
    assert_eq!(
        serde_json::to_value(AppError::MessageTooLong { max: 4000 }).unwrap()["max"],
        4000
    );
    let bytes = AppError::EmailTaken.ser();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["code"], "email_taken");
}

#[test]
fn codes_are_unique_snake_case_and_round_trip() {
    let errors = every_error();
    let mut codes: Vec<_> = errors.iter().map(AppError::code).collect();
    for code in &codes {
        assert!(
            code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{code}"
        );
    }
    codes.sort_unstable();
    codes.dedup();
    // WeakPassword appears twice in the list, with and without a reason.
    assert_eq!(codes.len(), errors.len() - 1, "two variants share a code");

    for err in errors {
        let back = decode(serde_json::to_value(&err).unwrap());
        assert_eq!(back.code(), err.code(), "{err:?}");
        assert_eq!(back.status(), err.status(), "{err:?}");
        match &err {
            // Their text came over the wire, so the reader gets fixed words.
            AppError::BadRequest(_) | AppError::NotConfigured(_) => {
                assert_ne!(back.to_string(), err.to_string())
            }
            _ => assert_eq!(back, err, "typed parameters survive the trip"),
        }
    }
}

#[test]
fn a_redirect_code_alone_rebuilds_the_error() {
    for err in every_error() {
        let from_url = AppError::from_code(err.code());
        match err {
            AppError::MessageTooLong { .. }
            | AppError::InvalidTitle { .. }
            | AppError::SystemPromptTooLong { .. }
            | AppError::InvalidKeyName { .. }
            | AppError::TooManyKeys { .. } => {
                // Its limit is not in the URL: no number is made up.
                assert_eq!(from_url.to_string(), "Please check the form and try again")
            }
            AppError::WeakPassword(_) => {
                // The code alone states the whole policy; the reason comes
                // from `from_query`.
                assert_eq!(from_url, AppError::WeakPassword(None));
                assert!(from_url.to_string().contains("8 to 128"));
            }
            AppError::BadRequest(_) | AppError::NotConfigured(_) => {
                assert_eq!(from_url.code(), err.code())
            }
            other => assert_eq!(from_url, other),
        }
    }
}

#[test]
fn crafted_bodies_never_put_their_text_on_a_page() {
    let script = "<script>x</script>";
    let crafted = [
        json!({"ok": false, "error": script, "code": "bad_request"}),
        json!({"ok": false, "error": script, "code": "not_configured"}),
        json!({"ok": false, "error": script, "code": "invalid_credentials"}),
        json!({"ok": false, "error": script, "code": "no_such_code"}),
        json!({"ok": false, "error": script}),
        json!({"ok": false, "error": script, "code": script}),
        json!({"ok": false, "error": script, "code": 7, "max": "many", "reason": script}),
        json!({"ok": false, "error": script, "code": "message_too_long"}),
        json!(script),
        json!([script]),
    ];
    for body in crafted {
        let err = decode(body.clone());
        let shown = err.to_string();
        assert!(!shown.contains("script"), "{body} showed {shown:?}");
    }
    assert_eq!(
        decode(json!({"ok": false, "error": script, "code": "bad_request"})).to_string(),
        "Please check the form and try again"
    );
    assert_eq!(
        decode(json!({"ok": false, "error": script, "code": "no_such_code"})).to_string(),
        "Please check the form and try again"
    );
    assert_eq!(
        decode(json!({"ok": false, "error": script, "code": "invalid_credentials"})),
        AppError::InvalidCredentials
    );
    // Not even JSON: serde's own message would quote the input.
    let garbled = AppError::de(bytes::Bytes::from_static(b"{\"ok\": \"<script>x</script>"));
    assert_eq!(garbled.to_string(), "Please check the form and try again");
    assert_eq!(
        AppError::from_code("<script>").to_string(),
        "Please check the form and try again"
    );
}

#[test]
fn a_weak_password_message_names_the_rule_it_broke() {
    for (reason, needle) in [
        (PasswordError::TooShort, "at least 8 characters"),
        (PasswordError::TooLong, "at most 128 characters"),
        (
            PasswordError::OneKindOfCharacter,
            "only one kind of character",
        ),
        (PasswordError::Common, "common password"),
    ] {
        let err = AppError::WeakPassword(Some(reason));
        let body = serde_json::to_value(err.clone()).unwrap();
        assert_eq!(body["code"], "weak_password", "the code stays");
        assert!(body["error"].as_str().unwrap().contains(needle), "{body}");
        // The no-JavaScript redirect's query gives the same message.
        let back = AppError::from_query("weak_password", Some(reason.as_str()));
        assert_eq!(back, err);
    }
    assert_eq!(
        AppError::from_query("weak_password", Some("<script>")),
        AppError::WeakPassword(None)
    );
    assert!(AppError::WeakPassword(None)
        .to_string()
        .contains("8 to 128"));
}

#[test]
fn an_unknown_password_reason_keeps_the_code() {
    let err = decode(json!({"ok": false, "error": "", "code": "weak_password", "reason": "??"}));
    assert_eq!(err, AppError::WeakPassword(None));
}

#[test]
fn domain_reasons_map_to_their_codes() {
    use crate::domain::{DisplayName, Email, Password, Phone};
    let code = |err: AppError| err.code();
    assert_eq!(
        code(Email::parse("nope").unwrap_err().into()),
        "invalid_email"
    );
    assert_eq!(
        code(Password::parse("short").unwrap_err().into()),
        "weak_password"
    );
    assert_eq!(
        AppError::from(Password::parse("abcdefgh").unwrap_err()),
        AppError::WeakPassword(Some(PasswordError::OneKindOfCharacter))
    );
    assert_eq!(
        code(DisplayName::parse(" ").unwrap_err().into()),
        "invalid_display_name"
    );
    assert_eq!(
        code(Phone::parse_optional(Some("12")).unwrap_err().into()),
        "invalid_phone"
    );
}

#[test]
fn framework_failures_get_codes() {
    let from = AppError::from_server_fn_error;
    assert_eq!(
        from(ServerFnErrorErr::Args("missing field `password`".into())).code(),
        "bad_request"
    );
    assert_eq!(
        from(ServerFnErrorErr::MissingArg("password".into())).code(),
        "bad_request"
    );
    assert_eq!(
        from(ServerFnErrorErr::Deserialization(
            "length limit exceeded".into()
        )),
        AppError::PayloadTooLarge
    );
    assert_eq!(
        from(ServerFnErrorErr::Request("offline".into())),
        AppError::Unavailable
    );
}
