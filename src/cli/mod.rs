//! The command line of the one binary: `palaver` serves (the default), and
//! a few subcommands do an operator's chores against the same settings and
//! database (`serve --check`, `migrate`, `user create`).
//!
//! It sits beside `server/` rather than in it because it is the top of the
//! stack: it builds the application, and reaches into storage and the
//! domain types the way a request would.
//!
//! Only `serve` installs the logger. The one-shot commands print their
//! outcome (and errors) as plain lines: their output is the interface, and
//! log lines on the same stream would only get in the way of scripts.

mod user;

use std::{io::Write, process::ExitCode};

use clap::{Parser, Subcommand};

use crate::server::{
    config::Settings,
    db,
    startup::{shutdown_signal, Application},
    telemetry,
};

/// How a command ends, as its exit status. Documented in `--help` and the
/// README, so scripts may rely on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Ok = 0,
    /// A failure while running: the database is unreachable, the server
    /// failed.
    Failure = 1,
    /// A usage or configuration error: an unknown flag, a bad setting.
    Usage = 2,
    /// `user create`: the e-mail address belongs to an account already.
    EmailTaken = 3,
    /// `user create`: the password or another value was refused.
    Refused = 4,
    /// `audit verify`: the chain is broken (the first bad row is named);
    /// `user reset-mfa`: no account has that address.
    Mismatch = 5,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  failure while running (database unreachable, server error)
  2  usage or configuration error (unknown flag, a bad setting)
  3  user create: the e-mail address is already taken
  4  user create: the password or another value was refused (the reason is printed)
  5  audit verify: the chain does not verify (the first bad row is printed);
     user reset-mfa: no account has that address

Settings come from the environment and a .env file in the working directory.";

/// Palaver: a self-hosted chat app. Without a command, it serves.
#[derive(Debug, Parser)]
#[command(name = "palaver", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the site and the API (the default).
    #[command(after_help = EXIT_CODES)]
    Serve {
        /// Check every setting and print the effective configuration (secrets
        /// as ***), then exit without opening the database or the port.
        #[arg(long)]
        check: bool,
    },
    /// Apply the pending database migrations, then exit.
    #[command(after_help = EXIT_CODES)]
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the hash chain of the audit log: `audit chain ok: N events`, or
    /// the id of the first row that was edited, deleted or moved.
    #[command(after_help = EXIT_CODES)]
    Verify,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account. The password is the first line of standard input
    /// (`echo "$PW" | palaver user create --email a@b.c`); at a terminal it
    /// is asked for, and shown as it is typed. The rules are registration's.
    #[command(after_help = EXIT_CODES)]
    Create {
        /// The e-mail address (the sign-in name).
        #[arg(long)]
        email: String,
        /// The name shown in the app; the e-mail's local part by default.
        #[arg(long)]
        name: Option<String>,
        /// Make the account an administrator.
        #[arg(long)]
        admin: bool,
    },
    /// Turn two-factor sign-in off for an account whose owner lost their
    /// authenticator and recovery codes (recorded in the audit log).
    #[command(name = "reset-mfa", after_help = EXIT_CODES)]
    ResetMfa {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
    },
}

/// Parses the command line, reads `.env` and the settings, and runs the
/// command. `after_start` runs once the server is built, before it serves
/// (`main` gives unused memory back to the OS there).
pub async fn main(after_start: fn()) -> ExitCode {
    // Usage errors exit 2 here; --help and --version exit 0.
    let cli = Cli::parse();
    let settings = match settings() {
        Ok(settings) => settings,
        Err(exit) => return exit.into(),
    };
    let exit = match cli.command.unwrap_or(Command::Serve { check: false }) {
        Command::Serve { check: true } => check(&settings),
        Command::Serve { check: false } => serve(settings, after_start).await,
        Command::Migrate => migrate(&settings).await,
        Command::User(UserCommand::Create { email, name, admin }) => {
            user::create(&settings, &email, name.as_deref(), admin).await
        }
        Command::User(UserCommand::ResetMfa { email }) => user::reset_mfa(&settings, &email).await,
        Command::Audit(AuditCommand::Verify) => audit_verify(&settings).await,
    };
    exit.into()
}

/// `.env`, then the environment. A missing `.env` is normal; a malformed
/// one is reported like any bad value.
fn settings() -> Result<Settings, Exit> {
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!("palaver: cannot read .env: {e}");
            return Err(Exit::Usage);
        }
    }
    Settings::from_env().map_err(|e| {
        eprintln!("palaver: {e}");
        Exit::Usage
    })
}

/// Writes the lines to standard output. A closed pipe (`| head`) is not an
/// error worth a panic.
fn print_lines(lines: impl IntoIterator<Item = String>) {
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
}

/// `serve --check`: the settings were read and are valid; show them.
fn check(settings: &Settings) -> Exit {
    print_lines(
        settings
            .describe()
            .into_iter()
            .map(|(var, value)| format!("{var}={value}")),
    );
    Exit::Ok
}

async fn serve(settings: Settings, after_start: fn()) -> Exit {
    telemetry::init(&settings);
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("cannot start: {e}");
            eprintln!("palaver: {e}");
            return Exit::Failure;
        }
    };
    after_start();
    match app.run_until_stopped(shutdown_signal()).await {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("palaver: server error: {e}");
            Exit::Failure
        }
    }
}

async fn migrate(settings: &Settings) -> Exit {
    match db::migrate(&settings.db).await {
        Ok(report) => {
            let version = report
                .version
                .map_or_else(|| "none".to_owned(), |v| v.to_string());
            let line = match report.applied_now() {
                0 => format!(
                    "database is up to date ({} migrations, version {version})",
                    report.applied_after
                ),
                n => format!(
                    "migrations applied: {n} pending -> 0; database at version {version} ({} migrations)",
                    report.applied_after
                ),
            };
            print_lines([line]);
            Exit::Ok
        }
        Err(e) => {
            eprintln!("palaver: {e}");
            Exit::Failure
        }
    }
}

/// `audit verify`.
async fn audit_verify(settings: &Settings) -> Exit {
    let repo = match db::connect(&settings.db).await {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("palaver: {e}");
            return Exit::Failure;
        }
    };
    let checked = repo.audit_verify().await;
    repo.close().await;
    match checked {
        Ok(db::ChainCheck::Ok(n)) => {
            print_lines([format!("audit chain ok: {n} events")]);
            Exit::Ok
        }
        Ok(db::ChainCheck::Broken(id)) => {
            eprintln!("audit chain broken at event {id}: it does not follow the events before it");
            Exit::Mismatch
        }
        Err(e) => {
            eprintln!("palaver: {e}");
            Exit::Failure
        }
    }
}
