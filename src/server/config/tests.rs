use super::*;
use std::collections::HashMap;

fn load(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    Settings::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn defaults_match_the_contract() {
    let s = load(&[]).unwrap();
    assert_eq!(s.site_addr, "127.0.0.1:3000".parse().unwrap());
    assert_eq!(s.app_env, AppEnv::Development);
    assert_eq!(
        s.db.url,
        DatabaseUrl::Sqlite("sqlite://data/palaver.db".into())
    );
    assert_eq!(s.db.max_connections, 10);
    assert_eq!(s.public_base_url.as_str(), "http://127.0.0.1:3000/");
    assert!(s.trusted_proxies.is_empty());
    assert!(s.https_redirect);
    assert_eq!(s.log_filter, "info");
    assert_eq!(s.session_ttl_secs, 604_800);
    assert_eq!(s.cookie_name, "palaver_session");
    assert_eq!(s.argon2, Argon2Cost::MINIMUM);
    assert_eq!(s.rate_limits.login_ip.to_string(), "10/600");
}

#[test]
fn each_bad_value_names_its_variable() {
    for (var, value) in [
        ("LEPTOS_SITE_ADDR", "not-an-address"),
        ("APP_ENV", "staging"),
        ("DATABASE_URL", "mysql://localhost/db"),
        ("DATABASE_URL", "palaver.db"),
        ("PUBLIC_BASE_URL", "::nope"),
        ("PUBLIC_BASE_URL", "ftp://example.com"),
        ("TRUSTED_PROXIES", "10.0.0.0/8, banana"),
        ("DISABLE_HTTPS_REDIRECT", "maybe"),
        ("SESSION_TTL_SECONDS", "-5"),
        ("AUTH_COOKIE_NAME", "bad name;"),
        ("RATE_LIMIT_LOGIN_IP", "lots"),
        ("ARGON2_MEMORY_KIB", "1024"),
        ("SMTP_URL", "http://mail.example.com"),
        ("MAIL_FROM", "not an address"),
        ("PWRESET_TOKEN_TTL", "0"),
    ] {
        let err = load(&[(var, value)]).unwrap_err();
        assert_eq!(err.var, var, "{value}");
        assert!(err.to_string().starts_with(&format!("invalid {var}: ")));
    }
}

#[test]
fn proxies_accept_cidrs_and_bare_addresses() {
    let s = load(&[("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1,::1")]).unwrap();
    assert_eq!(s.trusted_proxies.len(), 3);
    assert!(s.trusted_proxies[1].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
}

#[test]
fn postgres_urls_are_recognised() {
    let s = load(&[("DATABASE_URL", "postgres://u:secret@localhost/palaver")]).unwrap();
    assert!(matches!(s.db.url, DatabaseUrl::Postgres(_)));
    assert_eq!(s.db.url.expose(), "postgres://u:secret@localhost/palaver");
    let debug = format!("{s:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(
        debug.contains("postgres://u:***@localhost/palaver"),
        "{debug}"
    );
}

#[test]
fn production_needs_smtp() {
    let err = load(&[("APP_ENV", "production")]).unwrap_err();
    assert_eq!(err.var, "SMTP_URL");
    let s = load(&[
        ("APP_ENV", "production"),
        ("SMTP_URL", "smtps://u:secret@mail.example.com:465"),
        ("PUBLIC_BASE_URL", "https://chat.example.com"),
    ])
    .unwrap();
    let debug = format!("{:?}", s.mail.smtp_url);
    assert!(!debug.contains("secret"), "{debug}");
    assert!(s.mail.smtp_url.unwrap().uses_tls());
}

#[test]
fn production_and_redirect_switch() {
    let s = load(&[
        ("APP_ENV", "production"),
        ("DISABLE_HTTPS_REDIRECT", "1"),
        ("SMTP_URL", "smtp://127.0.0.1:2525"),
    ])
    .unwrap();
    assert!(s.is_production());
    assert!(!s.https_redirect);
}

#[test]
fn numbers_past_their_bound_stop_start_up() {
    for (var, value) in [
        ("SESSION_TTL_SECONDS", "99999999999"),
        ("PWRESET_TOKEN_TTL", "18446744073709551615"),
        ("DB_ACQUIRE_TIMEOUT_SECONDS", "86401"),
        ("DB_MAX_CONNECTIONS", "1000000"),
        ("ARGON2_ITERATIONS", "4294967295"),
        ("LLM_TIMEOUT_SECONDS", "18446744073709551615"),
        ("RATE_LIMIT_LOGIN_IP", "10/9999999999999"),
    ] {
        let err = load(&[(var, value)]).unwrap_err();
        assert_eq!(err.var, var, "{value}");
        assert!(
            err.to_string().starts_with(&format!("invalid {var}: ")),
            "{err}"
        );
    }
}

#[test]
fn production_needs_its_https_origin_unless_the_redirect_is_off() {
    let smtp = ("SMTP_URL", "smtp://127.0.0.1:2525");
    for base in [None, Some("http://chat.example.com")] {
        let mut vars = vec![("APP_ENV", "production"), smtp];
        vars.extend(base.map(|b| ("PUBLIC_BASE_URL", b)));
        let err = load(&vars).unwrap_err();
        assert_eq!(err.var, "PUBLIC_BASE_URL", "{base:?}");
        assert!(err.to_string().contains("https://"), "{err}");
    }
    assert!(load(&[
        ("APP_ENV", "production"),
        smtp,
        ("PUBLIC_BASE_URL", "https://chat.example.com")
    ])
    .is_ok());
    assert!(load(&[
        ("APP_ENV", "production"),
        smtp,
        ("DISABLE_HTTPS_REDIRECT", "1")
    ])
    .is_ok());
}

#[test]
fn the_description_names_every_setting_and_shows_no_secret() {
    let secrets = [
        "sk-llm-secret-1",
        "jwt-secret-0123456789abcdef0123456789",
        "metrics-secret-0123456789",
        "db-pass-1",
        "db-pass-2",
        "smtp-pass-1",
    ];
    let s = load(&[
        (
            "DATABASE_URL",
            "postgres://u:db-pass-1@db.example.com/palaver?password=db-pass-2&sslmode=require",
        ),
        (
            "SMTP_URL",
            "smtps://mailer:smtp-pass-1@mail.example.com:465",
        ),
        ("LLM_API_KEY", secrets[0]),
        ("LLM_PROVIDER", "webhook"),
        ("WEBHOOK_URL", "http://127.0.0.1:5678/webhook/palaver"),
        ("WEBHOOK_JWT_SECRET", secrets[1]),
        ("METRICS_TOKEN", secrets[2]),
        ("LLM_SYSTEM_PROMPT", "Be brief.\nBe kind."),
    ])
    .unwrap();
    let lines = s.describe();
    let text: String = lines.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} shown:\n{text}");
    }
    let value = |var: &str| {
        lines
            .iter()
            .find(|(k, _)| *k == var)
            .unwrap_or_else(|| panic!("{var} missing"))
            .1
            .clone()
    };
    for var in ["LLM_API_KEY", "WEBHOOK_JWT_SECRET", "METRICS_TOKEN"] {
        assert_eq!(value(var), "***", "{var}");
    }
    assert_eq!(
        value("DATABASE_URL"),
        "postgres://u:***@db.example.com/palaver?password=***&sslmode=require"
    );
    assert_eq!(value("SMTP_URL"), "smtps://mailer:***@mail.example.com:465");
    assert!(!format!("{:?}", s.db.url).contains("db-pass-2"));
    assert_eq!(value("LLM_SYSTEM_PROMPT"), "Be brief.\\nBe kind.");
    assert_eq!(text.lines().count(), lines.len(), "one line per setting");
    let names: std::collections::HashSet<_> = lines.iter().map(|(k, _)| *k).collect();
    assert_eq!(names.len(), lines.len(), "each setting once");
    for var in [
        "LEPTOS_SITE_ADDR",
        "APP_ENV",
        "RATE_LIMIT_CHAT_USER",
        "ARGON2_PARALLELISM",
    ] {
        assert!(names.contains(var), "{var}");
    }
}

#[test]
fn the_description_reads_back_as_the_same_settings() {
    let s = load(&[
        ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ("LLM_MODELS", "llama3,qwen2"),
        ("RATE_LIMIT_LOGIN_IP", "5/60"),
        ("DISABLE_HTTPS_REDIRECT", "1"),
        ("LLM_ANSWER_IN_USER_LANGUAGE", "0"),
    ])
    .unwrap();
    let lines = s.describe();
    let pairs: Vec<(&str, &str)> = lines.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let again = load(&pairs).unwrap();
    assert_eq!(again.describe(), lines);
    assert!(
        lines.contains(&("METRICS_TOKEN", String::new())),
        "unset is empty"
    );
}

#[test]
fn http2_prior_knowledge_is_off_by_default_and_only_for_plain_http() {
    assert!(!load(&[]).unwrap().llm.http2_prior_knowledge);
    let local = ("LLM_BASE_URL", "http://127.0.0.1:8000/v1");
    let on = load(&[local, ("LLM_HTTP2_PRIOR_KNOWLEDGE", "1")]).unwrap();
    assert!(on.llm.http2_prior_knowledge);
    assert!(on
        .describe()
        .contains(&("LLM_HTTP2_PRIOR_KNOWLEDGE", "1".to_owned())));
    for (pairs, why) in [
        (
            &[("LLM_HTTP2_PRIOR_KNOWLEDGE", "1")][..],
            "https is agreed by ALPN",
        ),
        (
            &[local, ("LLM_HTTP2_PRIOR_KNOWLEDGE", "h2")][..],
            "not a switch",
        ),
        (
            &[
                ("LLM_HTTP2_PRIOR_KNOWLEDGE", "1"),
                ("LLM_PROVIDER", "webhook"),
                ("WEBHOOK_URL", "http://127.0.0.1:5678/webhook/palaver"),
                ("WEBHOOK_JWT_SECRET", "secret"),
            ][..],
            "the webhook shares the client",
        ),
    ] {
        let err = load(pairs).unwrap_err();
        assert_eq!(err.var, "LLM_HTTP2_PRIOR_KNOWLEDGE", "{why}");
    }
}
