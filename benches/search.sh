#!/usr/bin/env bash
# Search over one user's 100,000 messages (English, Chinese, Vietnamese):
# p50/p99 of GET /api/conversations/search?q= for a few kinds of query, on
# SQLite and on a throwaway PostgreSQL on loopback (benches/search_load.rs).
# Exits non-zero if a search failed or found nothing where it should.
# Usage: bash benches/search.sh   (SKIP_BUILD=1 when run.sh has built;
#   SEARCH_LOAD_ARGS="--messages 20000" for a quicker try)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules

if [ -z "${SKIP_BUILD:-}" ]; then
  step "release builds"
  cargo build --release --features ssr --bench search_load >&2
  build_release_site >&2
fi
source "$ROOT/benches/lib.sh"
bin=$(find "$CARGO_TARGET_DIR/release/deps" -maxdepth 1 -type f -executable -name 'search_load-*' \
  -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
[ -x "$bin" ] || { echo "no search_load build found" >&2; exit 2; }

start_test_postgres
trap 'stop_test_postgres; cleanup' EXIT
step "search over 100,000 messages, SQLite then PostgreSQL"
# shellcheck disable=SC2086  # the extra options are words
"$bin" --palaver "$CARGO_TARGET_DIR/release/palaver" --site "$ROOT/target/site" \
  --postgres "$PALAVER_TEST_POSTGRES" ${SEARCH_LOAD_ARGS:-}
