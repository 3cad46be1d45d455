//! The table, the script lines and the rows for `benches/run.sh`.

use crate::{batch::quantile_ms, palaver::Palaver, Config, Level};

/// Palaver's memory outside the levels, in KiB.
pub struct Memory {
    /// After registering the users (argon2), before the restart.
    pub signup_kib: u64,
    /// The fresh process the streams ran on, before any stream.
    pub idle_kib: u64,
    /// Its high-water mark at the end.
    pub hwm_kib: u64,
}

/// KiB to MiB.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// How Palaver talks to the fake model.
fn protocol(config: &Config) -> &'static str {
    if config.h2c {
        "h2c (HTTP/2, prior knowledge)"
    } else {
        "HTTP/1.1"
    }
}

/// When the fake model sends its first token.
fn first_token(config: &Config) -> String {
    if config.first.is_zero() {
        "at once".to_owned()
    } else {
        format!("after {} ms", config.first.as_millis())
    }
}

/// Prints the table, the script lines and the run.sh rows; true when every
/// stream arrived whole and in order, both ways, and every answer was stored.
pub fn report(levels: &mut [Level], memory: &Memory, palaver: &Palaver, config: &Config) -> bool {
    println!(
        "\nchat streams: {} tokens per answer, the first {}, the others {} ms apart once \
         all the level's streams are open; {} streams at most between sending and their first \
         token; {}% of Palaver's streams re-attach after {} tokens; to the model: {}; times in ms",
        config.tokens,
        first_token(config),
        config.delay.as_millis(),
        config.ramp,
        config.reattach,
        crate::reattach::TOKENS_BEFORE_DROP,
        protocol(config)
    );
    println!(
        "  lost: streams missing tokens; order: all tokens, wrong order or stream; stored: \
         answers found whole in Palaver's database afterwards\n  \
         tok/s: while all the level's streams are open; hdr: until Palaver's response headers \
         (its checks and database writes); open/s: streams opened per second, to their first \
         token\n  open: streams open at once at the peak; fds: Palaver's descriptors at the peak\n  \
         re-att: streams that dropped and re-attached, whole and stored as re-attached / all; \
         re-att p50/p99: from its request to its first line"
    );
    println!(
        "{:>6} {:>12} {:>5} {:>5} {:>7} {:>8} {:>8} {:>15} {:>15} {:>15} {:>8} {:>7} {:>6} {:>6} {:>7} {:>6} {:>11} {:>13}",
        "level",
        "ok/total",
        "lost",
        "order",
        "stored",
        "tok/s",
        "direct",
        "TTFT p50/p99",
        "direct p50/p99",
        "added p50/p99",
        "hdr p50",
        "open/s",
        "open",
        "fds",
        "RSS MiB",
        "s",
        "re-att",
        "re-att p50/p99"
    );
    let mut all_ok = true;
    let mut rows = Vec::new();
    for l in levels.iter_mut() {
        let (p, d) = (&mut l.palaver, &mut l.direct);
        let (p50, p99) = (p.ttft_ms(0.5), p.ttft_ms(0.99));
        let (d50, d99) = (d.ttft_ms(0.5), d.ttft_ms(0.99));
        let (a50, a99) = (p50 - d50, p99 - d99);
        let h50 = quantile_ms(&mut p.headers, 0.5);
        let (tps, dtps) = (p.tokens_per_s(), d.tokens_per_s());
        let rss = mib(l.peak_rss_kib);
        let (ops, dops) = (p.opened_per_s(), d.opened_per_s());
        let stored = p.stored.unwrap_or(0);
        let (r50, r99) = (
            quantile_ms(&mut p.reattach_firsts, 0.5),
            quantile_ms(&mut p.reattach_firsts, 0.99),
        );
        let reattached = p.reattached.len();
        let reattach_stored = p.reattach_stored.unwrap_or(0);
        println!(
            "{:>6} {:>12} {:>5} {:>5} {stored:>7} {tps:>8.0} {dtps:>8.0} {:>15} {:>15} {:>15} {h50:>8.2} {ops:>7.0} {:>6} {:>6} {rss:>7.1} {:>6.1} {:>11} {:>13}",
            l.streams,
            format!("{}/{}", p.ok, p.streams),
            p.lost,
            p.disordered,
            format!("{p50:.2}/{p99:.2}"),
            format!("{d50:.2}/{d99:.2}"),
            format!("{a50:+.2}/{a99:+.2}"),
            p.peak_open,
            l.peak_fds,
            l.seconds,
            format!("{reattach_stored}/{reattached}"),
            format!("{r50:.2}/{r99:.2}")
        );
        for (who, b) in [("palaver", &*p), ("direct", &*d)] {
            for (reason, n) in &b.failures {
                println!("         {who}: {n} x {reason}");
            }
        }
        if stored < p.streams {
            println!(
                "         palaver: {} answers not stored whole (see its log below)",
                p.streams - stored
            );
        }
        if reattach_stored < reattached {
            println!(
                "         palaver: {} re-attached answers not stored as the re-attached stream delivered them",
                reattached - reattach_stored
            );
        }
        all_ok &= p.ok == p.streams
            && d.ok == d.streams
            && stored == p.streams
            && reattach_stored == reattached;
        let n = l.streams;
        rows.push(format!(
            "chat_load level={n} ok={} total={} lost={} disordered={} stored={stored} direct_ok={} \
             tokens_per_s={tps:.0} direct_tokens_per_s={dtps:.0} ttft_p50_ms={p50:.3} \
             ttft_p99_ms={p99:.3} direct_p50_ms={d50:.3} direct_p99_ms={d99:.3} \
             added_p50_ms={a50:.3} added_p99_ms={a99:.3} headers_p50_ms={h50:.3} \
             opened_per_s={ops:.0} direct_opened_per_s={dops:.0} peak_open={} \
             peak_fds={} peak_rss_mib={rss:.1} reattached={reattached} \
             reattach_stored={reattach_stored} reattach_p50_ms={r50:.3} reattach_p99_ms={r99:.3} \
             h2c={}",
            p.ok, p.streams, p.lost, p.disordered, d.ok, p.peak_open, l.peak_fds, config.h2c
        ));
        rows.push(format!(
            "row|chat {n} streams{}{}: TTFT p50 / p99 (ms)|{p50:.2} / {p99:.2}|{d50:.2} / {d99:.2}|",
            if config.first.is_zero() {
                String::new()
            } else {
                format!(", model's first token {}", first_token(config))
            },
            if config.h2c { ", h2c to the model" } else { "" }
        ));
        rows.push(format!(
            "row|  added to TTFT p50 / p99 (ms)|{a50:.2} / {a99:.2}||< 1 ms p50"
        ));
        rows.push(format!(
            "row|  tokens/s, all {n} open at once|{tps:.0}|{dtps:.0}|"
        ));
        rows.push(format!("row|  streams opened/s|{ops:.0}|{dops:.0}|"));
        rows.push(format!(
            "row|  streams whole and in order|{}/{}|{}/{}|all",
            p.ok, p.streams, d.ok, d.streams
        ));
        rows.push(format!(
            "row|  answers stored whole|{stored}/{}||all",
            p.streams
        ));
        if reattached > 0 {
            rows.push(format!(
                "row|  re-attach, first line p50 / p99 (ms)|{r50:.2} / {r99:.2}||< 5 ms p50"
            ));
            rows.push(format!(
                "row|  re-attached whole and stored so|{reattach_stored}/{reattached}||all"
            ));
        }
        rows.push(format!(
            "row|  Palaver's descriptors at the peak|{}||",
            l.peak_fds
        ));
        let target = if n >= 10_000 { "<= 400 MiB" } else { "" };
        rows.push(format!(
            "row|  peak RSS MiB (open streams)|{rss:.0} ({})||{target}",
            p.peak_open
        ));
    }
    println!("targets: added TTFT < 1 ms at p50; re-attach first line < 5 ms at p50; 10,000 concurrent streams, none lost, within 400 MiB RSS");
    println!(
        "palaver RSS: {:.1} MiB after registering {} users (argon2, before the restart); \
         the process that streamed: {:.1} MiB idle, high-water mark (VmHWM) {:.1} MiB",
        mib(memory.signup_kib),
        config.users,
        mib(memory.idle_kib),
        mib(memory.hwm_kib)
    );
    let log = palaver.log.lock().expect("log lock");
    let mut lines: Vec<_> = log.values().collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.0));
    if !lines.is_empty() {
        let total: usize = lines.iter().map(|(n, _)| n).sum();
        println!(
            "palaver logged {total} lines (RUST_LOG=warn), most frequent first (the last of each):"
        );
        for (n, line) in lines.iter().take(15) {
            println!("  {n:>6} x {line}");
        }
    }
    for row in rows {
        println!("{row}");
    }
    println!(
        "row|  RSS after {} sign-ups, before streams|{:.0} MiB||",
        config.users,
        mib(memory.signup_kib)
    );
    all_ok
}
