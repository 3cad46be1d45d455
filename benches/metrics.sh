#!/usr/bin/env bash
# What the metrics layer costs: GET /auth/me with a session on two release
# instances started the same way, one without METRICS_TOKEN (no layer, no
# recorder) and one with it (every request counted and timed), in
# alternating wrk runs ($ROUNDS pairs, $DURATION, $CONNECTIONS connections;
# the order flips every round, so neither always goes first), so drift of
# this shared machine hits both alike. The cost is the median of the
# rounds' own ratios, which drift between rounds does not move. Each server
# is pinned to the first core and wrk (one thread) to the second, so the two
# do not take turns on both cores, which made runs differ by 10%. Prints the
# median requests/s of each and the cost (target: at most 3%), and checks
# that the counted instance did count its requests. Load goes to 127.0.0.1.
# Usage: bash benches/metrics.sh   (SKIP_BUILD=1 when a release build is there)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v wrk >/dev/null 2>&1 || ensure_apt wrk
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-7}
OFF_PORT=3640
ON_PORT=3641
TOKEN=bench-metrics-token-0123456789
[ -n "${SKIP_BUILD:-}" ] || { step "release build"; build_release_site >&2; }

source "$ROOT/benches/lib.sh"
start_palaver "$OFF_PORT" "$work/off.db"
taskset -a -pc 0 "$palaver_pid" >/dev/null
off_cookie=$(session_cookie "$OFF_PORT" off@example.com)
METRICS_TOKEN=$TOKEN start_palaver "$ON_PORT" "$work/on.db"
taskset -a -pc 0 "$palaver_pid" >/dev/null
on_cookie=$(session_cookie "$ON_PORT" on@example.com)
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$OFF_PORT/metrics")" = 404 ] \
  || { echo "the instance without METRICS_TOKEN serves /metrics" >&2; exit 1; }

rps() {
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$@" | awk '/Requests\/sec/ { printf "%.0f\n", $2 }'
}
off=() on=()
step "GET /auth/me, $ROUNDS rounds of $DURATION each, without and with the metrics layer"
for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then
    off+=("$(rps -H "Cookie: $off_cookie" "http://127.0.0.1:$OFF_PORT/auth/me")")
    on+=("$(rps -H "Cookie: $on_cookie" "http://127.0.0.1:$ON_PORT/auth/me")")
  else
    on+=("$(rps -H "Cookie: $on_cookie" "http://127.0.0.1:$ON_PORT/auth/me")")
    off+=("$(rps -H "Cookie: $off_cookie" "http://127.0.0.1:$OFF_PORT/auth/me")")
  fi
done
counted=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ON_PORT/metrics" \
  | awk -F' ' '/^http_requests_total\{method="GET",route="\/auth\/me",status="200"\}/ { print $2 }')
python3 - "$counted" "${off[*]}" "${on[*]}" <<'PY'
import statistics, sys
counted, off, on = sys.argv[1], [int(x) for x in sys.argv[2].split()], [int(x) for x in sys.argv[3].split()]
a, b = statistics.median(off), statistics.median(on)
print(f"\n{'GET /auth/me requests/s':<36} {'runs':>28} {'median':>9}")
print(f"{'without METRICS_TOKEN':<36} {' '.join(map(str, off)):>28} {a:>9.0f}")
print(f"{'with METRICS_TOKEN (counted)':<36} {' '.join(map(str, on)):>28} {b:>9.0f}")
cost = statistics.median(1 - y / x for x, y in zip(off, on))
print(f"cost of the metrics layer, median of the rounds' ratios: {cost * 100:.1f}% (target: at most 3%)")
if not counted or float(counted) < sum(on) // 10:
    sys.exit(f"the counted instance reports {counted!r} requests of /auth/me")
print(f"/metrics counted {float(counted):.0f} answers of /auth/me")
PY
