//! Chat streaming under load (issue #7, item 4): 1 to 10,000 concurrent
//! `POST /api/chat` streams through a release Palaver, against a fake
//! OpenAI-compatible model server, each level measured side by side with the
//! same streams asked of the fake server directly (the machine is shared and
//! noisy, so a reference taken minutes apart would mean little).
//!
//! Usage: chat_load [--palaver BIN] [--site DIR] [--levels 1,100,1000,10000]
//!   [--tokens 50] [--first-ms 0] [--delay-ms 10] [--users 20] [--ramp 64] [--samples 30]
//!   [--timeout-s 300] [--quiet-s 3] [--reattach 10] [--h2c] [--palaver-env "NAME=value ..."]
//! Each option may also come from `CHAT_LOAD_<NAME>` (`CHAT_LOAD_DELAY_MS`...);
//! the binary also from `PALAVER_BIN`. Prints a table, then `chat_load ...`
//! lines for scripts (`row|...` lines are ready-made rows for
//! `benches/run.sh`). Exits 1 when a stream lost, reordered or mixed up a
//! token or failed, or an answer was not stored; 2 when it could not run.
//!
//! Every stream has an id, carried in the user's message; the fake answers
//! it with `id.0 id.1 ... id.K-1`, so a token that is lost, late, reordered
//! or sent to the wrong stream shows. The fake sends the first token at
//! once (or after `--first-ms`, as a real model thinks) and holds the rest until every stream of the batch has started, so
//! a level of N really has N streams open at once (see `fake::Gate`).
//! At most `--ramp` streams are between sending and their first token (the
//! listen backlog is 128), so from 100 streams on, the time to first token
//! includes waiting behind up to 63 others: it measures how fast Palaver
//! opens streams under load, the direct figure how fast the fake does.
//! Levels with fewer streams than `--samples` are repeated until they have
//! that many; direct and Palaver rounds take turns.
//!
//! `--reattach PCT` of the Palaver streams read the first line and a few
//! tokens, drop the connection, and re-attach with `GET
//! /api/chat/stream?reply_id=R` (same session): the second connection
//! alone must deliver the whole answer, and the stored answer must be that
//! text. `--h2c` makes the fake speak HTTP/2 only (prior knowledge, as
//! vLLM or a proxy in front of a model can) and Palaver use it
//! (`LLM_HTTP2_PRIOR_KNOWLEDGE=1`); the direct streams then use it too.
//!
//! The fake runs in a process of its own (this binary, `--fake-server`): at
//! 10,000 streams this process holds 10,000 client sockets and the fake holds
//! the other end of Palaver's 10,000 upstream connections, and one process
//! may hold at most `ulimit -n` descriptors.

use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use batch::Batch;
use fake::{fake_server, start_fake};
use palaver::{
    database, memory_kib, open_fds, sign_up, start_palaver, stored, stored_as_reattached,
};
use report::{mib, report, Memory};
use streams::{batch, Ctx, Target};

// A crate root's modules sit beside it, so each is named by its path.
#[path = "chat_load/batch.rs"]
mod batch;
#[path = "chat_load/fake.rs"]
mod fake;
#[path = "chat_load/palaver.rs"]
mod palaver;
#[path = "chat_load/reattach.rs"]
mod reattach;
#[path = "chat_load/report.rs"]
mod report;
#[path = "chat_load/streams.rs"]
mod streams;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if args.first().map(String::as_str) == Some("--fake-server") {
        runtime.block_on(fake_server(Config::parse(&args[1..])));
        return std::process::ExitCode::SUCCESS;
    }
    let config = Config::parse(&args);
    let outcome = runtime.block_on(async {
        // Children are killed on drop: on error, on a panic, or on Ctrl-C.
        tokio::select! {
            result = run(config) => result,
            () = interrupted() => Err("interrupted".to_owned()),
        }
    });
    match outcome {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::from(1),
        Err(e) => {
            eprintln!("chat_load: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn interrupted() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term.recv() => {},
    }
}

#[derive(Clone, Debug)]
struct Config {
    palaver: PathBuf,
    site: PathBuf,
    levels: Vec<usize>,
    tokens: usize,
    /// How long the fake model thinks before its first token (0: at once).
    first: Duration,
    delay: Duration,
    users: usize,
    ramp: usize,
    samples: usize,
    timeout: Duration,
    quiet: Duration,
    /// Percentage of Palaver streams that drop and re-attach.
    reattach: u64,
    /// HTTP/2 with prior knowledge to the fake model.
    h2c: bool,
    /// Extra `NAME=value` settings for Palaver, for experiments.
    palaver_env: Vec<(String, String)>,
}

impl Config {
    /// `--name value` first, then `CHAT_LOAD_NAME`, then the default.
    fn parse(args: &[String]) -> Self {
        let get = |name: &str, default: &str| -> String {
            let flag = format!("--{name}");
            args.iter()
                .position(|a| *a == flag)
                .and_then(|i| args.get(i + 1).cloned())
                .or_else(|| {
                    let var = format!("CHAT_LOAD_{}", name.to_uppercase().replace('-', "_"));
                    std::env::var(var).ok()
                })
                .unwrap_or_else(|| default.to_owned())
        };
        let num = |name: &str, default: &str| -> usize {
            let raw = get(name, default);
            raw.parse()
                .unwrap_or_else(|_| panic!("--{name}: `{raw}` is not a whole number"))
        };
        let target_dir = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target").to_owned());
        let default_bin = std::env::var("PALAVER_BIN")
            .unwrap_or_else(|_| format!("{target_dir}/release/palaver"));
        Self {
            palaver: get("palaver", &default_bin).into(),
            site: get("site", concat!(env!("CARGO_MANIFEST_DIR"), "/target/site")).into(),
            levels: get("levels", "1,100,1000,10000")
                .split(',')
                .map(|l| l.trim().parse().expect("--levels: whole numbers"))
                .collect(),
            tokens: num("tokens", "50").max(1),
            first: Duration::from_millis(num("first-ms", "0") as u64),
            delay: Duration::from_millis(num("delay-ms", "10") as u64),
            users: num("users", "20").max(1),
            ramp: num("ramp", "64").max(1),
            samples: num("samples", "30").max(1),
            timeout: Duration::from_secs(num("timeout-s", "300") as u64),
            quiet: Duration::from_secs(num("quiet-s", "3") as u64),
            reattach: num("reattach", "10").min(100) as u64,
            h2c: args.iter().any(|a| a == "--h2c")
                || std::env::var("CHAT_LOAD_H2C").is_ok_and(|v| v == "1"),
            palaver_env: get("palaver-env", "")
                .split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        }
    }
}

struct Level {
    streams: usize,
    palaver: Batch,
    direct: Batch,
    peak_rss_kib: u64,
    peak_fds: u64,
    seconds: f64,
}

async fn run(config: Config) -> Result<bool, String> {
    let began = Instant::now();
    if let Some(limit) = open_files_limit() {
        eprintln!("chat_load: open files limit {limit}; each stream holds 2 descriptors in Palaver (client and upstream)");
    }
    let (_fake, fake) = start_fake(&config).await?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut first = start_palaver(&config, &fake, dir.path()).await?;
    let cookies = Arc::new(sign_up(&first.base, config.users).await?);
    // Each argon2 hash takes ~19 MiB, which the allocator may keep after it
    // is freed (with glibc's malloc 20 sign-ups left ~230 MiB); that memory
    // says nothing about streams, so it is reported on its own and the
    // streams run on a fresh process over the same database (sessions live
    // there and stay valid).
    let signup_kib = memory_kib(first.pid, "VmRSS:").unwrap_or(0);
    let _ = first.child.kill().await;
    let mut palaver = start_palaver(&config, &fake, dir.path()).await?;
    let db = database(dir.path()).await?;
    let idle_kib = memory_kib(palaver.pid, "VmRSS:").unwrap_or(0);
    eprintln!(
        "chat_load: palaver pid {} at {}, fake at {fake}, {} users, {} tokens every {} ms",
        palaver.pid,
        palaver.base,
        cookies.len(),
        config.tokens,
        config.delay.as_millis()
    );

    // Peak RSS (every 50 ms) and open descriptors (every 500 ms: listing
    // 20,000 of them costs CPU that Palaver needs).
    let (peak, peak_fds) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let sampler = {
        let (peak, peak_fds, pid) = (peak.clone(), peak_fds.clone(), palaver.pid);
        tokio::spawn(async move {
            for tick in 0_u64.. {
                if let Some(kib) = memory_kib(pid, "VmRSS:") {
                    peak.fetch_max(kib, Ordering::SeqCst);
                }
                if tick % 10 == 0 {
                    peak_fds.fetch_max(open_fds(pid).unwrap_or(0), Ordering::SeqCst);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let ctx = |target| {
        Arc::new(Ctx {
            target,
            url: match target {
                Target::Palaver => format!("{}/api/chat", palaver.base),
                Target::Direct => format!("{fake}/v1/chat/completions"),
            },
            cookies: cookies.clone(),
            ramp: config.ramp,
            timeout: config.timeout,
            reattach_pct: config.reattach,
            asked: AtomicU64::new(0),
            h2c: config.h2c && target == Target::Direct,
        })
    };
    let (palaver_ctx, direct_ctx) = (ctx(Target::Palaver), ctx(Target::Direct));

    // Warm-up (not counted): pools, the database, the allocator.
    let mut next_id = 1_u64;
    for target_ctx in [&direct_ctx, &palaver_ctx] {
        batch(target_ctx, 10, next_id, config.tokens).await;
        next_id += 10;
    }

    let mut levels = Vec::new();
    for &n in &config.levels {
        let level_start = Instant::now();
        peak.store(
            memory_kib(palaver.pid, "VmRSS:").unwrap_or(0),
            Ordering::SeqCst,
        );
        peak_fds.store(0, Ordering::SeqCst);
        let rounds = config.samples.div_ceil(n.max(1));
        let (mut p, mut d) = (Batch::default(), Batch::default());
        // Direct and Palaver take turns, so drift on the machine hits both.
        for _ in 0..rounds {
            d.add(batch(&direct_ctx, n, next_id, config.tokens).await);
            next_id += n as u64;
            let mut b = batch(&palaver_ctx, n, next_id, config.tokens).await;
            b.stored = Some(stored(&db, next_id, config.tokens).await?);
            b.reattach_stored = Some(stored_as_reattached(&db, &b.reattached).await?);
            p.add(b);
            next_id += n as u64;
        }
        let level = Level {
            streams: n,
            palaver: p,
            direct: d,
            peak_rss_kib: peak.load(Ordering::SeqCst),
            peak_fds: peak_fds.load(Ordering::SeqCst),
            seconds: level_start.elapsed().as_secs_f64(),
        };
        eprintln!(
            "chat_load: {n} streams x {rounds}: {}/{} complete through Palaver, {:.1} s",
            level.palaver.ok, level.palaver.streams, level.seconds
        );
        levels.push(level);
    }
    sampler.abort();
    let hwm_kib = memory_kib(palaver.pid, "VmHWM:").unwrap_or(0);
    let still_running = matches!(palaver.child.try_wait(), Ok(None));
    let _ = palaver.child.kill().await;

    let memory = Memory {
        signup_kib,
        idle_kib,
        hwm_kib,
    };
    let all_ok = report(&mut levels, &memory, &palaver, &config);
    println!(
        "chat_load_summary idle_rss_mib={:.1} rss_after_signup_mib={:.1} hwm_mib={:.1} seconds={:.0} all_complete={all_ok} palaver_survived={still_running} h2c={}",
        mib(idle_kib),
        mib(signup_kib),
        mib(hwm_kib),
        began.elapsed().as_secs_f64(),
        config.h2c
    );
    Ok(all_ok && still_running)
}

fn open_files_limit() -> Option<String> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let mut parts = line["Max open files".len()..].split_whitespace();
    Some(format!("{} (hard {})", parts.next()?, parts.next()?))
}
