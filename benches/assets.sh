#!/usr/bin/env bash
# What a static file costs the server: CPU per download of the WASM, the JS
# glue and the stylesheet as a browser asks for them (Accept-Encoding: br,
# gzip), and the bytes sent. Palaver sends the files that
# `cargo leptos build --release --precompress` compressed once (brotli 11,
# gzip 9); the reference, in the same run, is the way it served them before:
# the same files compressed per request by tower-http's CompressionLayer
# (benches/ref_server.rs). With oha installed, also the p99 of WASM
# downloads held at RATE/s (default 20) on each. Load goes to 127.0.0.1 only.
# Usage: bash benches/assets.sh   (SKIP_BUILD=1 when run.sh has built)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
RATE=${RATE:-20}
HELD=${HELD:-10s}
APP_PORT=3610
REF_PORT=3611

if [ -z "${SKIP_BUILD:-}" ]; then
  step "release builds"
  cargo build --release --features ssr --bench ref_server >&2
  build_release_site >&2
fi
source "$ROOT/benches/lib.sh"
ref_bin=$(ref_server_bin)

start_palaver "$APP_PORT" "$work/bench.db"
app_pid=$palaver_pid
curl -s "http://127.0.0.1:$APP_PORT/login" > "$work/login.html"
# The reference serves a copy of the site without the .br and .gz files.
mkdir -p "$work/site"
(cd "$ROOT/target/site" && find . -type f ! -name '*.br' ! -name '*.gz' -exec cp --parents {} "$work/site/" \;)
"$ref_bin" "$work/login.html" "127.0.0.1:$REF_PORT" "$work/site" &
ref_pid=$!
pids+=("$ref_pid")
until curl -fs -o /dev/null "http://127.0.0.1:$REF_PORT/login"; do sleep 0.01; done

mapfile -t files < <(grep -oE '/pkg/palaver[^"]*\.(wasm|js|css)' "$work/login.html" | sort -u)
[ "${#files[@]}" -ge 3 ] || { echo "the page names no bundle files" >&2; exit 1; }

# Downloads $3 from port $2 $4 times as a browser would and prints the
# server's CPU milliseconds per download (pid $1, from /proc), the encoding
# and the bytes of one download.
cpu_per_download() {
  python3 - "$@" <<'PY'
import http.client, os, sys
pid, port, path, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
conn = http.client.HTTPConnection("127.0.0.1", port)
def get():
    conn.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit(f"{path}: status {r.status}")
    return r.getheader("Content-Encoding") or "identity", len(body)
get()  # warm: the file is in the page cache, the connection open
before = cpu()
for _ in range(n):
    enc, size = get()
print(f"{(cpu() - before) * 1000 / n:.3f} {enc} {size}")
PY
}

step "CPU per download, Palaver (precompressed) and the reference (per request)"
rows=()
for f in "${files[@]}"; do
  read -r app_ms app_enc app_bytes < <(cpu_per_download "$app_pid" "$APP_PORT" "$f" 2000)
  read -r ref_ms ref_enc ref_bytes < <(cpu_per_download "$ref_pid" "$REF_PORT" "$f" 40)
  rows+=("$(basename "$f")|$app_ms ms ($app_enc $((app_bytes / 1024)) KiB)|$ref_ms ms ($ref_enc $((ref_bytes / 1024)) KiB)")
done

held_rows=()
if command -v oha >/dev/null 2>&1; then
  wasm=$(printf '%s\n' "${files[@]}" | grep '\.wasm$')
  step "WASM downloads held at $RATE/s for $HELD on each"
  for port in "$APP_PORT" "$REF_PORT"; do
    oha --no-tui --output-format json -z "$HELD" -c 8 -q "$RATE" --latency-correction \
      -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$port$wasm" | python3 -c '
import json, sys
d = json.load(sys.stdin)
codes = d["statusCodeDistribution"]
if set(codes) != {"200"}:
    sys.exit("oha saw statuses other than 200: %s" % codes)
p = d["latencyPercentiles"]
print("%.2f %.2f" % (p["p50"] * 1000, p["p99"] * 1000))' > "$work/held-$port"
  done
  read -r a50 a99 < "$work/held-$APP_PORT"
  read -r r50 r99 < "$work/held-$REF_PORT"
  held_rows+=("WASM at $RATE/s: p50 / p99|$a50 / $a99 ms|$r50 / $r99 ms")
fi

printf '\n%-36s %-30s %-30s\n' "static file (server CPU per download)" "Palaver, precompressed" "reference, per request"
for row in "${rows[@]}" "${held_rows[@]}"; do
  IFS='|' read -r name a r <<< "$row"
  printf '%-36s %-30s %-30s\n' "$name" "$a" "$r"
done
