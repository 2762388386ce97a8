#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: initdb in a temporary directory, run as a non-root user,
# listening on a free loopback port with password (SCRAM) authentication and TLS on a self-signed certificate.
#
#   eval "$(scripts/postgres.sh start)"   # starts it; prints `export ROSTER_TEST_POSTGRES_URL=…` and
#                                          # `export ROSTER_TEST_POSTGRES_DIR=…`
#   scripts/postgres.sh stop "$ROSTER_TEST_POSTGRES_DIR"   # stops it and removes the directory
#
# The URL names the maintenance database `roster_test`; tests create their own databases beside it. Installs
# Debian's postgresql-15 with apt-get when its binaries are missing. As root, the cluster runs as the `postgres`
# user (created when missing); otherwise as the current user.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

find_bin() {
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [[ -x $candidate/initdb ]] && {
            echo "$candidate"
            return 0
        }
    done
    return 1
}

start() {
    local bin dir port password run_as
    if ! bin=$(find_bin); then
        say "installing postgresql-15"
        apt-get update -qq >&2 && apt-get install -y -qq postgresql-15 >/dev/null
        bin=$(find_bin) || {
            say "no PostgreSQL binaries after installing postgresql-15"
            exit 1
        }
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/roster-postgres.XXXXXX")
    chmod 755 "$dir"
    run_as=()
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$dir"
        run_as=(runuser -u postgres --)
    fi
    port=$(free_port)
    password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
    "${run_as[@]}" bash -c "echo '$password' > '$dir/password'"
    "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U roster --pwfile="$dir/password" --auth=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    "${run_as[@]}" openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/server.key" -out "$dir/server.crt" -days 3 \
        -subj "/CN=roster-test-postgres" >/dev/null 2>&1
    "${run_as[@]}" chmod 600 "$dir/server.key"
    "${run_as[@]}" bash -c "cat >> '$dir/data/postgresql.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
fsync = off
synchronous_commit = on
full_page_writes = off
max_connections = 300
CONF
    "${run_as[@]}" bash -c "echo 'host all all 127.0.0.1/32 scram-sha-256' > '$dir/data/pg_hba.conf'"
    if ! "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
        cat "$dir/server.log" >&2
        exit 1
    fi
    PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U roster roster_test
    say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
    echo "export ROSTER_TEST_POSTGRES_URL=postgresql://roster:$password@127.0.0.1:$port/roster_test"
    echo "export ROSTER_TEST_POSTGRES_DIR=$dir"
}

stop() {
    local dir=$1 bin run_as=()
    [[ -d $dir/data ]] || return 0
    bin=$(find_bin) || return 0
    [[ $(id -u) -eq 0 ]] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:?usage: postgres.sh stop DIR}" ;;
*)
    echo "usage: scripts/postgres.sh start | stop DIR" >&2
    exit 2
    ;;
esac
