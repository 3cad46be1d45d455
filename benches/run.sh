#!/usr/bin/env bash
# Speed and memory figures, measured side by side in one run (these machines
# are shared and noisy, so each figure is set against a reference measured
# the same minute). Load goes to 127.0.0.1 only, bounded in time.
# Usage: bash benches/run.sh            (DURATION=10s CONNECTIONS=64 by default)
# Covered so far: SSR /login against a minimal axum handler serving the same
# bytes; GET /auth/me with a session on SQLite and on PostgreSQL; a login
# storm at the configured argon2 cost with /auth/healthz measured during it;
# time from exec to the first 200 of /auth/healthz; idle RSS; chat streams
# at 1, 100, 1,000 and 10,000 at once through Palaver and straight to the
# fake model (benches/chat_load.rs), and one stream again against a fake
# that takes 50 ms to its first token; the same levels again with HTTP/2
# (h2c) to the model; 10% of Palaver's streams re-attaching in each; search
# over 100,000 messages on both databases (benches/search.sh); and last, the
# sizes (benches/sizes.sh).
# Exits non-zero if a chat stream was lost or reordered, or a search failed.
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v wrk >/dev/null 2>&1 || ensure_apt wrk
# oha holds a fixed request rate (wrk cannot), for p99 at half the maximum.
command -v oha >/dev/null 2>&1 || cargo install oha --locked
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
APP_PORT=3600
REF_PORT=3601

step "release builds"
# Builds bench $1 in release and prints the path of its executable.
bench_bin() {
  cargo build --release --features ssr --bench "$1" --message-format=json 2>/dev/null \
    | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        print(m["executable"])' "$1"
}
ref_bin=$(bench_bin ref_server)
chat_bin=$(bench_bin chat_load)
# benches/search.sh finds this build.
bench_bin search_load >/dev/null
# Last: building a bench also builds the palaver binary, without the
# settings cargo-leptos gives it; this build puts cargo-leptos's back (and
# leaves nothing for sizes.sh to rebuild).
build_release_site >&2

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_test_postgres
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a release Palaver on port $1 with database $2; prints nothing.
serve() {
  LEPTOS_SITE_ADDR=127.0.0.1:$1 LEPTOS_SITE_ROOT="$ROOT/target/site" DATABASE_URL="$2" \
    MAIL_OUTBOX_DIR="$work/outbox" RUST_LOG=warn \
    RATE_LIMIT_LOGIN_IP=1000000/60 RATE_LIMIT_LOGIN_IDENTIFIER=1000000/60 RATE_LIMIT_REGISTER_IP=1000/60 \
    "$CARGO_TARGET_DIR/release/palaver" &
  pids+=("$!")
  until curl -fs -o /dev/null "http://127.0.0.1:$1/auth/healthz"; do sleep 0.005; done
}

# Registers a user on port $1 and prints its session cookie.
session_on() {
  curl -s -o /dev/null -c "$work/cookies-$1" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"correct-horse-9"}' "http://127.0.0.1:$1/auth/register"
  awk '$6 == "palaver_session" { print $6 "=" $7 }' "$work/cookies-$1"
}

step "start-up"
start_ns=$(date +%s%N)
serve "$APP_PORT" "sqlite://$work/bench.db"
app_pid=${pids[-1]}
start_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 1
idle_rss_kib=$(ps -o rss= -p "$app_pid" | tr -d ' ')

curl -s "http://127.0.0.1:$APP_PORT/login" > "$work/login.html"
"$ref_bin" "$work/login.html" "127.0.0.1:$REF_PORT" &
pids+=("$!")
until curl -fs -o /dev/null "http://127.0.0.1:$REF_PORT/login"; do sleep 0.01; done

# rps, p50 and p99 (ms) of one wrk run: load URL [extra wrk arguments].
load() {
  local url=$1
  shift
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    if not m:
        sys.exit("cannot read wrk latency " + repr(v) + " in:\n" + text)
    n, unit = m.groups()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
print(f"{rps:.0f} {p50:.2f} {p99:.2f}")'
}

# rps, p50 and p99 (ms) with oha holding RATE requests/s: held RATE URL [oha
# arguments]. Latency is counted from when each request was due, so a stall
# is not hidden by the requests it delayed (coordinated omission).
held() {
  local rate=$1 url=$2
  shift 2
  oha --no-tui --output-format json -z "$DURATION" -c "$CONNECTIONS" -q "$rate" \
    --latency-correction "$@" "$url" | python3 -c '
import json, sys
d = json.load(sys.stdin)
codes = d["statusCodeDistribution"]
if set(codes) != {"200"}:
    sys.exit("oha saw statuses other than 200: %s %s" % (codes, d["errorDistribution"]))
p = d["latencyPercentiles"]
print("%.0f %.2f %.2f" % (d["summary"]["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000))'
}

step "SSR /login against the reference ($DURATION, $CONNECTIONS connections each)"
read -r ref_rps ref_p50 ref_p99 < <(load "http://127.0.0.1:$REF_PORT/login")
read -r app_rps app_p50 app_p99 < <(load "http://127.0.0.1:$APP_PORT/login")
ratio=$(python3 -c "print(f'{$app_rps / $ref_rps:.2f}')")

step "GET /auth/me with a session, on SQLite and on PostgreSQL"
cookie=$(session_on "$APP_PORT")
read -r me_rps me_p50 me_p99 < <(load "http://127.0.0.1:$APP_PORT/auth/me" -H "Cookie: $cookie")
read -r meh_rps meh_p50 meh_p99 < <(held $((me_rps / 2)) "http://127.0.0.1:$APP_PORT/auth/me" -H "Cookie: $cookie")
start_test_postgres
psql -q "$PALAVER_TEST_POSTGRES/postgres" -c "CREATE DATABASE palaver_bench"
serve 3602 "$PALAVER_TEST_POSTGRES/palaver_bench"
pg_cookie=$(session_on 3602)
read -r pgme_rps pgme_p50 pgme_p99 < <(load "http://127.0.0.1:3602/auth/me" -H "Cookie: $pg_cookie")
read -r pgmeh_rps pgmeh_p50 pgmeh_p99 < <(held $((pgme_rps / 2)) "http://127.0.0.1:3602/auth/me" -H "Cookie: $pg_cookie")

step "login storm ($DURATION) with /auth/healthz measured during it"
cat > "$work/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"identifier":"bench@example.com","password":"correct-horse-9"}'
wrk.headers["Content-Type"] = "application/json"
LUA
load "http://127.0.0.1:$APP_PORT/auth/login" -s "$work/login.lua" > "$work/storm" &
storm=$!
sleep 1
read -r hz_rps hz_p50 hz_p99 < <(CONNECTIONS=4 load "http://127.0.0.1:$APP_PORT/auth/healthz")
wait "$storm"
read -r storm_rps storm_p50 storm_p99 < "$work/storm"


step "chat streams: 1, 100, 1,000 and 10,000 at once, through Palaver and straight to the fake model"
# benches/chat_load.rs starts this release Palaver (on a database of its own)
# and a fake OpenAI-compatible server, and sends each level's streams both
# ways, taking turns. Each stream holds two descriptors in Palaver (the
# client's connection and its own to the model): 10,000 need over 20,000, so
# the soft limit goes up to the hard one (the bench prints what it got).
chat_status=0
# Runs chat_load on this release build, output to $work/$1, with the rest as
# its options; shows all but the ready-made rows.
chat_load() {
  local out=$work/$1
  shift
  (ulimit -n "$(ulimit -Hn)" && "$chat_bin" --palaver "$CARGO_TARGET_DIR/release/palaver" \
    --site "$ROOT/target/site" "$@") > "$out" || chat_status=$?
  grep -v '^row|' "$out" >&2
}
chat_load chat
# A real model takes tens to hundreds of milliseconds to its first token,
# and Palaver's writes overlap that wait: one stream again, against a fake
# that thinks for 50 ms first.
chat_load chat_think --levels 1 --first-ms 50
# HTTP/2 with prior knowledge to the model (LLM_HTTP2_PRIOR_KNOWLEDGE=1):
# one upstream connection for every stream instead of one each.
chat_load chat_h2c --h2c

printf '\n%-40s %14s %14s %10s\n' "figure" "Palaver" "reference" "target"
printf '%-40s %14s %14s %10s\n' "SSR /login requests/s" "$app_rps" "$ref_rps" ">= 0.5x"
printf '%-40s %14s %14s\n' "  p50 / p99 latency (ms)" "$app_p50 / $app_p99" "$ref_p50 / $ref_p99"
printf '%-40s %14s %14s\n' "  ratio to the reference" "${ratio}x" ""
printf '%-40s %14s %14s %10s\n' "GET /auth/me max requests/s (SQLite)" "$me_rps" "" ""
printf '%-40s %14s %14s %10s\n' "  p50 / p99 at full load (ms)" "$me_p50 / $me_p99" "" ""
printf '%-40s %14s %14s %10s\n' "  p99 held at $meh_rps/s (half) (ms)" "$meh_p99" "" "< 2 ms"
printf '%-40s %14s %14s %10s\n' "GET /auth/me max requests/s (PostgreSQL)" "$pgme_rps" "" ""
printf '%-40s %14s %14s %10s\n' "  p50 / p99 at full load (ms)" "$pgme_p50 / $pgme_p99" "" ""
printf '%-40s %14s %14s %10s\n' "  p99 held at $pgmeh_rps/s (half) (ms)" "$pgmeh_p99" "" "< 2 ms"
printf '%-40s %14s %14s %10s\n' "login storm: logins/s (argon2id m=19456,t=2)" "$storm_rps" "" ""
printf '%-40s %14s %14s %10s\n' "  /auth/healthz p99 during it (ms)" "$hz_p99" "" "< 5 ms"
printf '%-40s %14s %14s %10s\n' "start: exec to first healthz 200" "${start_ms} ms" "" "< 200 ms"
printf '%-40s %14s %14s %10s\n' "idle RSS" "$((idle_rss_kib / 1024)) MiB" "" "< 30 MB"
# chat streams: the reference column is the same streams asked of the fake model directly.
awk -F'|' '$1 == "row" { printf "%-40s %14s %14s %10s\n", $2, $3, $4, $5 }' "$work/chat"
awk -F'|' '$1 == "row" && ($2 ~ /TTFT/) { printf "%-40s %14s %14s %10s\n", $2, $3, $4, $5 }' "$work/chat_think"
awk -F'|' '$1 == "row" { printf "%-40s %14s %14s %10s\n", $2, $3, $4, $5 }' "$work/chat_h2c"
[ "$chat_status" -eq 0 ] \
  || echo "chat streams FAILED (chat_load exit $chat_status): streams lost or reordered, or answers not stored; its output is above"

SKIP_BUILD=1 bash "$ROOT/benches/assets.sh"
SKIP_BUILD=1 bash "$ROOT/benches/app_page.sh"
SKIP_BUILD=1 bash "$ROOT/benches/tti.sh"
SKIP_BUILD=1 bash "$ROOT/benches/held.sh"
SKIP_BUILD=1 bash "$ROOT/benches/metrics.sh"
search_status=0
SKIP_BUILD=1 bash "$ROOT/benches/search.sh" || search_status=$?
bash "$ROOT/benches/sizes.sh"
[ "$chat_status" -eq 0 ] || exit "$chat_status"
exit "$search_status"
