#!/usr/bin/env bash
# Builds the release site and prints what a browser downloads for a page
# with islands (/app, /register, /reset-password: the WASM bundle, its JS
# glue and the stylesheet; raw, gzip -9 and brotli) and the size of the
# server binary. Every other page loads the stylesheet alone (no script). With a git revision, it first builds that
# revision's browser bundle in a temporary worktree and prints its figures
# too, then the difference ("before" and "after" in one run):
#   bash benches/sizes.sh            # this checkout
#   bash benches/sizes.sh 327197e    # 327197e, then this checkout
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
command -v brotli >/dev/null 2>&1 || ensure_apt brotli

size() { wc -c < "$1" | tr -d ' '; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
# Prints the table for one site's pkg folder; leaves WASM + JS gzip in $total_gz.
table() {
  local pkg="$1" f raw gz br
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
  printf '%-34s %12s %12s\n' "WASM + JS, pages with islands" "" "$(kib "$total_gz")"
}

before_gz=""
if [ -n "${1:-}" ]; then
  rev=$(git rev-parse --short "$1")
  wt=$(mktemp -d)
  git worktree add --detach -q "$wt" "$rev"
  trap 'git worktree remove --force "$wt"' EXIT
  step "browser bundle of $rev (before)"
  (cd "$wt" && cargo leptos build --release --frontend-only) >&2
  printf '\nbefore: %s' "$rev"
  table "$wt/target/site/pkg"
  before_gz=$total_gz
fi

step "release site (build_release_site)"
build_release_site >&2
[ -n "$before_gz" ] && printf '\nafter: %s' "$(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes')"
table "$ROOT/target/site/pkg"
if [ -n "$before_gz" ]; then
  printf '%-34s %12s %12s\n' "WASM + JS gzip, after - before" "" "$(kib $((total_gz - before_gz)))"
fi
bin="$CARGO_TARGET_DIR/release/palaver"
printf '%-34s %12s\n' "server binary (release)" "$(kib "$(size "$bin")")"
