#!/usr/bin/env bash
# Tests the Dockerfile's runtime stage for real, with podman (no Docker engine
# runs here and no base image can be pulled): a local Debian base made with
# debootstrap is tagged as the Dockerfile's base image, the release build is
# copied in exactly as the runtime stage copies it, and the image is run as
# its non-root user with a volume: health, a page and a login go through it.
# Not part of .ci/test.sh (a release build and a debootstrap take minutes).
# Usage: bash .ci/container-test.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_rust
ensure_node_modules
ensure_apt podman buildah runc debootstrap
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
BASE=docker.io/library/debian:bookworm-slim
PORT=${CONTAINER_TEST_PORT:-3401}

if ! podman image exists "$BASE"; then
  rootfs="$HOME/.cache/palaver/rootfs-bookworm"
  if [ ! -x "$rootfs/bin/bash" ]; then
    step "debootstrap a minimal Debian bookworm (once)"
    as_root debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  fi
  step "importing it as $BASE"
  tar -C "$rootfs" -c . | podman import - "$BASE" >/dev/null
fi

step "release build"
build_release_site

ctx=$(mktemp -d)
cleanup() {
  "${PODMAN[@]}" rm -f palaver-ct palaver-ct-trial >/dev/null 2>&1 || true
  podman volume rm -f palaver-ct-data palaver-ct-trial >/dev/null 2>&1 || true
  rm -rf "$ctx"
}
trap cleanup EXIT
mkdir -p "$ctx/target/release"
cp "$CARGO_TARGET_DIR/release/palaver" "$CARGO_TARGET_DIR/release/hash.txt" "$ctx/target/release/"
cp -r target/site "$ctx/target/site"
# The runtime stage, as written, with its COPY sources taken from this context.
sed -n '/^FROM debian:bookworm-slim AS runtime/,$p' Dockerfile \
  | sed 's#COPY --from=build /src/target/#COPY target/#' > "$ctx/Containerfile"

step "building the runtime stage"
"${PODMAN[@]}" build --format docker --network host "${LIMITS[@]}" -q -t palaver-ct -f "$ctx/Containerfile" "$ctx" >/dev/null

step "running it on 127.0.0.1:$PORT"
"${PODMAN[@]}" run -d --name palaver-ct "${LIMITS[@]}" -p "127.0.0.1:$PORT:3000" -v palaver-ct-data:/app/data \
  -e SMTP_URL=smtp://127.0.0.1:9 -e DISABLE_HTTPS_REDIRECT=1 palaver-ct >/dev/null
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/auth/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

pass=0 fail=0
check() {
  if eval "$2"; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi
}
base="http://127.0.0.1:$PORT"
check "healthz answers 200 with the database up" \
  '[ "$(curl -s "$base/auth/healthz")" = "{\"ok\":true,\"db\":true}" ]'
check "the login page is served with its hydration script" \
  'curl -s "$base/login" | grep -q "/pkg/palaver"'
check "the WASM goes out as its build-time brotli copy" \
  'wasm=$(curl -s "$base/login" | grep -oE "/pkg/palaver[^\"]*\.wasm" | head -1) &&
   curl -s -o /dev/null -D - -H "Accept-Encoding: br, gzip" "$base$wasm" | grep -qi "^content-encoding: br"'
check "the API document and its viewer are served from the image" \
  'curl -s "$base/api/openapi.json" | grep -q "\"openapi\":\"3.1.0\"" &&
   curl -s "$base/api/docs" | grep -q "/api-docs/swagger-ui-bundle.js" &&
   curl -s -o /dev/null -D - -H "Accept-Encoding: br, gzip" "$base/api-docs/swagger-ui-bundle.js" \
     | grep -qi "^content-encoding: br"'
check "an account can register and log in" \
  'curl -s -o /dev/null -w "%{http_code}" -H "content-type: application/json" \
     -d "{\"email\":\"ct@example.com\",\"password\":\"correct-horse-9\"}" "$base/auth/register" | grep -q 201 &&
   curl -s -o /dev/null -w "%{http_code}" -H "content-type: application/json" \
     -d "{\"identifier\":\"ct@example.com\",\"password\":\"correct-horse-9\"}" "$base/auth/login" | grep -q 200'
check "it runs as the non-root user 10001" \
  '[ "$("${PODMAN[@]}" exec palaver-ct id -u)" = 10001 ]'
check "the database lives on the volume" \
  '"${PODMAN[@]}" exec palaver-ct test -s /app/data/palaver.db'
check "the image health check passes" \
  '"${PODMAN[@]}" healthcheck run palaver-ct'

# The bare `docker run -p 3000:3000 -v palaver-data:/app/data IMAGE`: the image
# is production, and production without SMTP refuses to start (API.md), with
# one line that says what to set.
check "the bare command without SMTP_URL exits 2 with one line naming it" \
  '"${PODMAN[@]}" run --rm --no-healthcheck "${LIMITS[@]}" -v palaver-ct-trial:/app/data palaver-ct >"$ctx/bare.out" 2>&1;
   [ $? -eq 2 ] && [ "$(wc -l <"$ctx/bare.out")" -eq 1 ] && grep -q "SMTP_URL" "$ctx/bare.out"'
# A trial on one machine: the same command in development mode serves on
# SQLite, with mail written to the outbox on the volume.
"${PODMAN[@]}" run -d --name palaver-ct-trial "${LIMITS[@]}" -p "127.0.0.1:$((PORT + 1)):3000" \
  -v palaver-ct-trial:/app/data -e APP_ENV=development palaver-ct >/dev/null
trial="http://127.0.0.1:$((PORT + 1))"
for _ in $(seq 100); do
  curl -fsS "$trial/auth/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
check "with APP_ENV=development the same command serves pages on SQLite" \
  'curl -s "$trial/login" | grep -q "/pkg/palaver"'
check "and its mail lands in the outbox on the volume" \
  'curl -s -o /dev/null -H "content-type: application/json" \
     -d "{\"email\":\"trial@example.com\",\"password\":\"correct-horse-9\"}" "$trial/auth/register";
   sleep 2; "${PODMAN[@]}" exec palaver-ct-trial sh -c "ls /app/data/outbox/*.eml" >/dev/null 2>&1'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
