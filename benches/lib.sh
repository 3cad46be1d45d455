# Sourced by the benches after .ci/lib.sh: a work folder and the processes
# started, both removed on exit, and the steps they share.

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The newest release build of benches/ref_server.rs.
ref_server_bin() {
  local bin
  bin=$(find "$CARGO_TARGET_DIR/release/deps" -maxdepth 1 -type f -executable -name 'ref_server-*' \
    -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
  [ -x "$bin" ] || { echo "no ref_server build found" >&2; return 1; }
  echo "$bin"
}

# Starts the release Palaver on 127.0.0.1:$1 with the SQLite file $2 and
# waits for its health check; its pid is in $palaver_pid. BENCH_PALAVER and
# BENCH_SITE measure another build instead (an earlier revision's binary,
# with its hash.txt beside it, and its site), for a before/after in one run.
start_palaver() {
  LEPTOS_SITE_ADDR=127.0.0.1:$1 LEPTOS_SITE_ROOT="${BENCH_SITE:-$ROOT/target/site}" DATABASE_URL="sqlite://$2" \
    MAIL_OUTBOX_DIR="$work/outbox" RUST_LOG=warn "${BENCH_PALAVER:-$CARGO_TARGET_DIR/release/palaver}" &
  palaver_pid=$!
  pids+=("$palaver_pid")
  until curl -fs -o /dev/null "http://127.0.0.1:$1/auth/healthz"; do sleep 0.01; done
}

# Registers $2 on port $1 and prints its session cookie (NAME=VALUE).
session_cookie() {
  curl -s -o /dev/null -c "$work/cookies-$1" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"correct-horse-9\"}" "http://127.0.0.1:$1/auth/register"
  awk '$6 == "palaver_session" { print $6 "=" $7 }' "$work/cookies-$1"
}
