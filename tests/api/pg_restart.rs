//! The app survives its PostgreSQL restarting: health says 503 while the
//! database is away, and everything works again when it is back, without
//! restarting Palaver. Runs in the PostgreSQL pass only, on a private server
//! of its own (stopping the shared one would fail the other tests).

use std::{path::Path, process::Command, time::Duration};

use crate::helpers::{postgres_server, spawn_app_with, PASSWORD};

fn pg_bin() -> std::path::PathBuf {
    let mut dirs: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.pop().unwrap().join("bin")
}

/// Runs a PostgreSQL tool as the `postgres` user when we are root.
fn pg(tool: &str, args: &str) {
    let cmd = format!("{}/{tool} {args}", pg_bin().display());
    let status = if is_root() {
        Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", &cmd])
            .status()
    } else {
        Command::new("sh").args(["-c", &cmd]).status()
    }
    .unwrap();
    assert!(status.success(), "{cmd}");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"))
}

fn start(dir: &Path, port: u16) {
    pg(
        "pg_ctl",
        &format!(
            "-D {d}/data -l {d}/log -w start -o '-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off'",
            d = dir.display()
        ),
    );
}

#[tokio::test]
async fn the_app_survives_a_database_restart() {
    if postgres_server().is_none() {
        return; // PostgreSQL pass only
    }
    let dir = tempfile::tempdir().unwrap();
    if is_root() {
        Command::new("chown")
            .args(["postgres", &dir.path().display().to_string()])
            .status()
            .unwrap();
    }
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    pg(
        "initdb",
        &format!(
            "-D {}/data -U postgres --auth=trust --no-instructions",
            dir.path().display()
        ),
    );
    start(dir.path(), port);
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let app = spawn_app_with(&[("DATABASE_URL", &url), ("DB_ACQUIRE_TIMEOUT_SECONDS", "1")]).await;
    let cookie = app.signed_in("survivor@example.com").await;
    assert_eq!(app.get("/auth/healthz").await.status(), 200);

    pg(
        "pg_ctl",
        &format!("-D {}/data -m fast -w stop", dir.path().display()),
    );
    assert_eq!(app.get("/auth/healthz").await.status(), 503);
    assert_eq!(
        app.get_as("/auth/me", &cookie).await.status().as_u16() / 100,
        5,
        "a clear server error, not a hang"
    );

    start(dir.path(), port);
    let healthy = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if app.get("/auth/healthz").await.status() == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    assert!(healthy.is_ok(), "healthz recovers");
    assert_eq!(
        app.get_as("/auth/me", &cookie).await.status(),
        200,
        "the session survived"
    );
    assert_eq!(
        app.login("survivor@example.com", PASSWORD).await.status(),
        200
    );
    pg(
        "pg_ctl",
        &format!("-D {}/data -m immediate -w stop", dir.path().display()),
    );
}
