#!/usr/bin/env bash
# Speed and memory figures, measured side by side in one run (these machines
# are shared and noisy, so each figure is set against a reference measured
# the same minute). Load goes to 127.0.0.1 only, bounded in time.
# Usage: bash benches/run.sh            (DURATION=10s CONNECTIONS=64 by default)
# Covered so far: SSR /login against a minimal axum handler serving the same
# bytes; time from exec to the first 200 of /auth/healthz; idle RSS; sizes
# (benches/sizes.sh). Still to come: /auth/me per backend, the login storm,
# and chat streams at 1 to 10,000.
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v wrk >/dev/null 2>&1 || ensure_apt wrk
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
APP_PORT=3600
REF_PORT=3601

step "release builds"
cargo leptos build --release >&2
ref_bin=$(cargo build --release --features ssr --bench ref_server --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "ref_server" and m.get("executable"):
        print(m["executable"])')

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

step "start-up"
start_ns=$(date +%s%N)
LEPTOS_SITE_ADDR=127.0.0.1:$APP_PORT LEPTOS_SITE_ROOT="$ROOT/target/site" DATABASE_URL="sqlite://$work/bench.db" \
  MAIL_OUTBOX_DIR="$work/outbox" RUST_LOG=warn "$CARGO_TARGET_DIR/release/palaver" &
app_pid=$!
pids+=("$app_pid")
until curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/auth/healthz"; do sleep 0.005; done
start_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
sleep 1
idle_rss_kib=$(ps -o rss= -p "$app_pid" | tr -d ' ')

curl -s "http://127.0.0.1:$APP_PORT/login" > "$work/login.html"
"$ref_bin" "$work/login.html" "127.0.0.1:$REF_PORT" &
pids+=("$!")
until curl -fs -o /dev/null "http://127.0.0.1:$REF_PORT/login"; do sleep 0.01; done

# rps, p50 and p99 (ms) of one wrk run.
load() {
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | python3 -c '
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

step "SSR /login against the reference ($DURATION, $CONNECTIONS connections each)"
read -r ref_rps ref_p50 ref_p99 < <(load "http://127.0.0.1:$REF_PORT/login")
read -r app_rps app_p50 app_p99 < <(load "http://127.0.0.1:$APP_PORT/login")
ratio=$(python3 -c "print(f'{$app_rps / $ref_rps:.2f}')")

printf '\n%-40s %14s %14s %10s\n' "figure" "Palaver" "reference" "target"
printf '%-40s %14s %14s %10s\n' "SSR /login requests/s" "$app_rps" "$ref_rps" ">= 0.5x"
printf '%-40s %14s %14s\n' "  p50 / p99 latency (ms)" "$app_p50 / $app_p99" "$ref_p50 / $ref_p99"
printf '%-40s %14s %14s\n' "  ratio to the reference" "${ratio}x" ""
printf '%-40s %14s %14s %10s\n' "start: exec to first healthz 200" "${start_ms} ms" "" "< 200 ms"
printf '%-40s %14s %14s %10s\n' "idle RSS" "$((idle_rss_kib / 1024)) MiB" "" "< 30 MB"
