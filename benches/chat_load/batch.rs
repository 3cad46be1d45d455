//! The figures of a level: what its streams delivered, added up over the
//! rounds.

use std::{collections::BTreeMap, time::Duration};

/// The figures of one or more batches at one level, for one target.
#[derive(Default)]
pub struct Batch {
    pub streams: usize,
    pub ok: usize,
    /// Streams that missed tokens (failed, cut off, or never started).
    pub lost: usize,
    /// Streams with every token, but not in order, or with another's tokens.
    pub disordered: usize,
    pub tokens: usize,
    /// Until every stream had its first token: how long opening them took.
    pub opening: Duration,
    /// From the first token after the release until the last stream ended,
    /// and the tokens delivered meanwhile (all but the first of each).
    pub phase: Duration,
    pub phase_tokens: usize,
    pub headers: Vec<Duration>,
    pub ttfts: Vec<Duration>,
    pub peak_open: usize,
    pub failures: BTreeMap<String, usize>,
    /// Answers stored whole, complete, in their conversation (Palaver only).
    pub stored: Option<usize>,
    /// Streams that re-attached: each answer's id and what its second
    /// connection delivered, to compare with the stored answer.
    pub reattached: Vec<(i64, String)>,
    /// Until the first line of each re-attach.
    pub reattach_firsts: Vec<Duration>,
    /// Re-attached answers whose stored text is what the second connection
    /// delivered.
    pub reattach_stored: Option<usize>,
}

impl Batch {
    /// Adds another round of the same level.
    pub fn add(&mut self, other: Batch) {
        self.streams += other.streams;
        self.ok += other.ok;
        self.lost += other.lost;
        self.disordered += other.disordered;
        self.tokens += other.tokens;
        self.opening += other.opening;
        self.phase += other.phase;
        self.phase_tokens += other.phase_tokens;
        self.headers.extend(other.headers);
        self.ttfts.extend(other.ttfts);
        self.peak_open = self.peak_open.max(other.peak_open);
        if let Some(n) = other.stored {
            self.stored = Some(self.stored.unwrap_or(0) + n);
        }
        self.reattached.extend(other.reattached);
        self.reattach_firsts.extend(other.reattach_firsts);
        if let Some(n) = other.reattach_stored {
            self.reattach_stored = Some(self.reattach_stored.unwrap_or(0) + n);
        }
        for (k, n) in other.failures {
            *self.failures.entry(k).or_default() += n;
        }
    }

    /// Tokens per second while every stream of the batch was open.
    pub fn tokens_per_s(&self) -> f64 {
        self.phase_tokens as f64 / self.phase.as_secs_f64().max(1e-9)
    }

    /// Streams opened per second, up to the first token of each.
    pub fn opened_per_s(&self) -> f64 {
        self.streams as f64 / self.opening.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile of the time to first token, in ms.
    pub fn ttft_ms(&mut self, q: f64) -> f64 {
        quantile_ms(&mut self.ttfts, q)
    }
}

/// The `q` quantile in ms (nearest rank); NaN when there is none.
pub fn quantile_ms(v: &mut [Duration], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable();
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1].as_secs_f64() * 1000.0
}
