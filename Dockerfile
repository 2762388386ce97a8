# Roster: one self-contained binary (SCIM server, settings pages, SQLite) in a slim Debian image.
#
#   docker build -t roster .
#   docker run -d -p 3000:3000 -v roster-data:/data \
#       -e SAML_ADMINS=you@example.com -e BASE_URL=https://roster.example.com roster
#   docker logs <container>            # the first sign-in link is printed at start-up
#   docker exec <container> roster login-link you@example.com

# --- build: the release binary, Swift runtime linked statically ---
FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev libxmlsec1-dev libxml2-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY static ./static
RUN swift build -c release --product roster --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/roster" /out/roster \
    && strip /out/roster

# --- run: libsqlite3, libxmlsec1 with libxml2 (SAML sign-in), CA certificates (webhooks over https), a non-root
# user, the data volume ---
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 libxmlsec1 libxmlsec1-openssl libxml2 ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin roster \
    && mkdir -p /data && chown roster /data
COPY --from=build /out/roster /usr/local/bin/roster
USER roster
WORKDIR /data
VOLUME ["/data"]
ENV HOST=0.0.0.0 \
    PORT=3000 \
    SAML_DATABASE_URL=sqlite:/data/roster.sqlite
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT}/readyz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["roster"]
CMD ["serve"]
