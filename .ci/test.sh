#!/usr/bin/env bash
# Every test: formatting, lints for both builds, unit and integration tests
# (cargo nextest), then the browser suite (Playwright on Debian's Chromium)
# against a debug build of the site.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
ensure_apt chromium
ensure_hadolint

step "hadolint Dockerfile"
hadolint Dockerfile

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (server and browser builds)"
cargo clippy --features ssr --all-targets -- -D warnings
cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

run_tests() {
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --features ssr --no-fail-fast "$@"
  else
    cargo test --features ssr --no-fail-fast "$@"
  fi
}

step "unit and integration tests (SQLite)"
run_tests

start_test_postgres
trap stop_test_postgres EXIT
step "integration tests again, on PostgreSQL"
run_tests --test api

step "building the site for the browser tests"
vendor_api_viewer
cargo leptos build

step "browser tests (Playwright), one project per database"
psql -q "$PALAVER_TEST_POSTGRES/postgres" -c "CREATE DATABASE palaver_e2e"
export PALAVER_E2E_POSTGRES="$PALAVER_TEST_POSTGRES/palaver_e2e"
# The servers' files (SQLite, the outbox), removed with the run.
E2E_DATA=$(mktemp -d /tmp/palaver-e2e-XXXXXX)
export PALAVER_E2E_DATA="$E2E_DATA"
trap 'stop_test_postgres; rm -rf "$E2E_DATA"' EXIT
export PALAVER_BIN="$CARGO_TARGET_DIR/debug/palaver"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
cd end2end
npx playwright test
