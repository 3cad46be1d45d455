#!/usr/bin/env bash
# The fuzzer of the test suite (tests/api/fuzz.rs) as a soak: SOAK_REQUESTS
# generated requests (default 200,000) against one server, on SQLite and
# then on PostgreSQL, asserting the same contract (no 5xx, no panic, every
# failure the contract's JSON, healthz after). Prints the rate, and the
# resident memory of the test process (server and client) before and after.
# SOAK_SEED replays a run. Load goes to 127.0.0.1 only.
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
export FUZZ_REQUESTS="${SOAK_REQUESTS:-200000}"
[[ -n "${SOAK_SEED:-}" ]] && export FUZZ_SEED="$SOAK_SEED"
soak() {
  cargo nextest run --features ssr --test api -E 'test(fuzz::)' --no-capture 2>&1 \
    | grep -E 'fuzz:|PASS|FAIL|panicked'
}
step "soak on SQLite, $FUZZ_REQUESTS requests"
soak
start_test_postgres
trap stop_test_postgres EXIT
step "soak on PostgreSQL, $FUZZ_REQUESTS requests"
soak
