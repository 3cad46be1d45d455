#!/usr/bin/env bash
# Held-rate latency, the way it means something on a 2-core machine that
# also runs the load generator: for the static reference (benches/ref_server
# serving Palaver's /login bytes), GET /auth/me with a session, SSR /login
# and the WASM download (Accept-Encoding: br), the p99 at one common rate
# that the reference holds easily, and each one's knee: the highest rate of
# a rising ladder whose p99 stays under 3× its own p99 at a light load (the
# lower of two light runs; a rung that misses is tried once more).
# oha holds each rate for $STEP (default 5s) with latency correction (a
# stall is counted from when each request was due). Load goes to 127.0.0.1.
# Usage: bash benches/held.sh   (SKIP_BUILD=1 when run.sh has built)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v oha >/dev/null 2>&1 || cargo install oha --locked
STEP=${STEP:-5s}
COMMON=${COMMON:-2000}
APP_PORT=3650
REF_PORT=3651
if [ -z "${SKIP_BUILD:-}" ]; then
  step "release builds"
  cargo build --release --features ssr --bench ref_server >&2
  build_release_site >&2
fi
source "$ROOT/benches/lib.sh"
ref_bin=$(ref_server_bin)

start_palaver "$APP_PORT" "$work/bench.db"
curl -s "http://127.0.0.1:$APP_PORT/login" > "$work/login.html"
"$ref_bin" "$work/login.html" "127.0.0.1:$REF_PORT" &
pids+=("$!")
until curl -fs -o /dev/null "http://127.0.0.1:$REF_PORT/login"; do sleep 0.01; done
cookie=$(session_cookie "$APP_PORT" held@example.com)
wasm=$(grep -oE '/pkg/palaver[^"]*\.wasm' "$work/login.html" | head -1)

# p99 in ms of URL held at RATE/s: p99 RATE URL [oha arguments]; "fail" when
# a request failed (other than cut off at the end) or was not answered 200.
p99() {
  local rate=$1 url=$2
  shift 2
  oha --no-tui --output-format json -z "$STEP" -c 32 -q "$rate" --latency-correction "$@" "$url" \
    | python3 -c '
import json, sys
d = json.load(sys.stdin)
codes = d["statusCodeDistribution"]
# Requests still in flight when the time is up are cut off ("aborted due
# to deadline"): the p99 already shows that load; any other error fails.
errors = {k: v for k, v in d["errorDistribution"].items() if k != "aborted due to deadline"}
ok = set(codes) == {"200"} and not errors
print("%.2f" % (d["latencyPercentiles"]["p99"] * 1000) if ok else "fail")'
}

# Light-load p99, p99 at the common rate, and the knee, of one endpoint:
# ladder NAME LIGHT "RATES..." URL [oha arguments].
ladder() {
  local name=$1 light=$2 rates=$3 url=$4
  shift 4
  local base at_common knee=0 p
  # The lower of two light runs, and a rung that misses is tried once
  # more: on a shared machine one stall can spoil five seconds.
  base=$(python3 -c "import sys; v=[float(x) for x in sys.argv[1:] if x != 'fail']; print(min(v) if v else 'fail')" \
    "$(p99 "$light" "$url" "$@")" "$(p99 "$light" "$url" "$@")")
  [ "$base" != fail ] || { printf '%s|fail|-|0\n' "$name"; return; }
  at_common=$( [ "$COMMON" -gt 0 ] && p99 "$COMMON" "$url" "$@" || echo "-")
  under() { [ "$1" != fail ] && python3 -c "import sys; sys.exit(0 if $1 < 3 * $base else 1)"; }
  for r in $rates; do
    under "$(p99 "$r" "$url" "$@")" || under "$(p99 "$r" "$url" "$@")" || break
    knee=$r
  done
  printf '%s|%s|%s|%s\n' "$name" "$base" "$at_common" "$knee"
}

RATES="500 1000 2000 3000 4000 6000 8000 12000 16000 24000"
step "ladders of $STEP per rate (reference, /auth/me, /login); the common rate is $COMMON/s"
rows=()
rows+=("$(ladder "static reference (/login bytes)" 200 "$RATES" "http://127.0.0.1:$REF_PORT/login")")
rows+=("$(ladder "GET /auth/me (session, SQLite)" 200 "$RATES" "http://127.0.0.1:$APP_PORT/auth/me" -H "Cookie: $cookie")")
rows+=("$(ladder "SSR /login (kept page)" 200 "$RATES" "http://127.0.0.1:$APP_PORT/login")")
rows+=("$(ladder "SSR /login?next=/app (rendered)" 200 "$RATES" "http://127.0.0.1:$APP_PORT/login?next=/app")")
step "the WASM download (br), its own ladder"
rows+=("$(COMMON=0 ladder "WASM download, brotli" 5 "10 20 40 80 160 320 640" "http://127.0.0.1:$APP_PORT$wasm" -H 'Accept-Encoding: br')")

printf '\n%-36s %16s %18s %12s\n' "endpoint" "p99 light (ms)" "p99 at $COMMON/s" "knee (/s)"
for row in "${rows[@]}"; do
  IFS='|' read -r name base common knee <<< "$row"
  printf '%-36s %16s %18s %12s\n' "$name" "$base" "$common" "$knee"
done
