#!/usr/bin/env bash
# Builds the release site and serves Palaver on the embedded defaults
# (http://127.0.0.1:3000, SQLite in data/palaver.db, mail to data/outbox/).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
step "building the release site"
build_release_site
step "serving on http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} (Ctrl-C stops)"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
exec "$CARGO_TARGET_DIR/release/palaver"
