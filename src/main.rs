//! The Palaver binary: `palaver` serves; `palaver --help` lists the other
//! commands (see `cli`).

use std::process::ExitCode;

// Rendering a page makes many small, short-lived allocations; mimalloc's
// per-thread free lists serve them faster than glibc's malloc (which `perf`
// showed as a fifth of the time spent serving `/login`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    palaver::cli::main(give_back_memory).await
}

// `tune_allocator` runs before `main`, from the ELF start-up list: mimalloc
// reserves its first arena at the first allocation, and the Rust runtime
// allocates before `main` runs; set from `main`, the options missed that
// arena (10,000 streams: 565 MiB instead of ~415).
#[cfg(target_os = "linux")]
#[used]
#[allow(unsafe_code)]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

/// mimalloc's options that Palaver sets. Both keep RSS to what is in use,
/// measured with `chat_load --h2c` (benches/README, "mimalloc's
/// options"): idle 34 -> 24 MiB, 1,000 streams 108 -> 65 MiB, 10,000
/// streams 594 -> ~415 MiB, with the same tokens per second and time to
/// first token.
/// - `arena_eager_commit` 0: by default mimalloc commits its arenas at
///   once on Linux (an overcommit system), and then frees pages by
///   resetting them, which leaves them counted in RSS; not committing
///   eagerly makes it commit on demand and decommit what it frees.
/// - `purge_delay` 0: pages freed go back to the OS at once, not a second
///   later (with thousands of streams ending, that second is a peak).
///
/// An operator's `MIMALLOC_ARENA_EAGER_COMMIT` or `MIMALLOC_PURGE_DELAY`
/// (a whole number) still wins, for what mimalloc does after start-up.
const ALLOCATOR_OPTIONS: [(libmimalloc_sys::mi_option_t, &str, std::ffi::c_long); 2] = [
    // The values of `mi_option_e` in mimalloc 3's `mimalloc.h`, which
    // libmimalloc-sys builds by default and names only in part.
    (4, "MIMALLOC_ARENA_EAGER_COMMIT", 0),
    (15, "MIMALLOC_PURGE_DELAY", 0),
];

extern "C" fn tune_allocator() {
    // First without allocating (reading the environment allocates, and the
    // first allocation reserves the arena), then the operator's values.
    for (option, _, value) in ALLOCATOR_OPTIONS {
        set_allocator_option(option, value);
    }
    for (option, variable, _) in ALLOCATOR_OPTIONS {
        if let Some(value) = std::env::var(variable)
            .ok()
            .and_then(|v| v.trim().parse().ok())
        {
            set_allocator_option(option, value);
        }
    }
}

fn set_allocator_option(option: libmimalloc_sys::mi_option_t, value: std::ffi::c_long) {
    // SAFETY: mi_option_set only stores the value, which mimalloc reads
    // when it next needs it; this runs before `main`, on the one thread.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(option, value)
    };
}

/// Start-up (migrations, the route list) frees a lot that mimalloc would
/// keep for seconds, until the next allocations; an idle instance would
/// hold it. Returning it once the server is built takes idle RSS from ~41
/// to ~27 MiB.
fn give_back_memory() {
    // SAFETY: mi_collect has no preconditions; it only frees unused pages.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_collect(true)
    };
}
