# syntax=docker/dockerfile:1
# Palaver: build the release site with the same commands as .ci/serve.sh, then
# ship only the binary, its hash file and the site on a slim Debian.

FROM rust:1.95-bookworm AS build
# Unpinned on purpose: Debian stable only ships security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV CARGO_TARGET_DIR=/src/target
# Tools first, so they stay cached while the sources change.
COPY .ci/lib.sh .ci/lib.sh
COPY end2end/package.json end2end/package-lock.json end2end/
RUN bash -c 'source .ci/lib.sh && ensure_rust && ensure_node_modules'
COPY . .
# build_release_site: brotli and gzip copies of every static file, made once here.
RUN bash -c 'source .ci/lib.sh && build_release_site'

FROM debian:bookworm-slim AS runtime
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin palaver \
 && mkdir -p /app/data \
 && chown palaver:palaver /app/data
WORKDIR /app
COPY --from=build /src/target/release/palaver /app/palaver
COPY --from=build /src/target/release/hash.txt /app/hash.txt
COPY --from=build /src/target/site /app/site
ENV APP_ENV=production \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_SITE_ROOT=/app/site \
    DATABASE_URL=sqlite:///app/data/palaver.db \
    RUST_LOG=info
VOLUME ["/app/data"]
EXPOSE 3000
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:3000/auth/healthz"]
STOPSIGNAL SIGTERM
CMD ["/app/palaver"]
