#!/usr/bin/env bash
# Builds the release site and prints what a browser downloads for /app (the
# WASM bundle, its JS glue and the stylesheet: raw, gzip -9 and brotli) and
# the size of the server binary. Usage: bash benches/sizes.sh
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v brotli >/dev/null 2>&1 || ensure_apt brotli
step "release site (build_release_site)"
build_release_site >&2

pkg="$ROOT/target/site/pkg"
size() { wc -c < "$1" | tr -d ' '; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
printf '\n%-34s %12s %12s %12s\n' "file" "raw" "gzip -9" "brotli"
total_gz=0
for f in "$pkg"/palaver.*.wasm "$pkg"/palaver.*.js "$pkg"/palaver.*.css; do
  [ -f "$f" ] || continue
  raw=$(size "$f")
  gz=$(gzip -9 -c "$f" | wc -c | tr -d ' ')
  br=$(brotli -c -q 11 "$f" | wc -c | tr -d ' ')
  case "$f" in *.wasm|*.js) total_gz=$((total_gz + gz)) ;; esac
  printf '%-34s %12s %12s %12s\n' "$(basename "$f")" "$(kib "$raw")" "$(kib "$gz")" "$(kib "$br")"
done
printf '%-34s %12s %12s\n' "WASM + JS (target: <= 250 KB gzip)" "" "$(kib "$total_gz")"
bin="$CARGO_TARGET_DIR/release/palaver"
printf '%-34s %12s\n' "server binary (release)" "$(kib "$(size "$bin")")"
