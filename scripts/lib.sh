# Shell helpers shared by the test scripts (sourced, not run). Each script defines `say` before sourcing this.

# install_venv VENV REQUIREMENTS: makes (or reuses) a Python venv at VENV with the pinned REQUIREMENTS; reinstalls
# only when the requirements file changes. Installs Debian's python3-venv when the venv module is missing.
install_venv() {
    local venv=$1 requirements=$2 stamp wanted
    stamp=$venv/.requirements.sha256
    wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
        return
    fi
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        say "python3 -m venv failed; installing python3-venv"
        rm -rf "$venv"
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
}

# stop_processes PID…: sends each running process TERM, gives it 5 s, then KILL, and reaps it. Empty PIDs are skipped.
stop_processes() {
    local pid
    for pid in "$@"; do
        [[ -n $pid ]] || continue
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_until_listening PID PORT [SECONDS]: waits (default 30 s) until something accepts connections on 127.0.0.1:PORT.
# Returns 1, saying why, when process PID exits first or the time runs out.
wait_until_listening() {
    local pid=$1 port=$2 seconds=${3:-30}
    for _ in $(seq $((seconds * 10))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "the process ($pid) exited before listening on port $port"
            return 1
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    say "nothing is listening on port $port after $seconds s"
    return 1
}

# postgres_database_url NAME: prints the URL to hand to roster for database NAME in the cluster that
# ROSTER_TEST_POSTGRES_URL names (scripts/test.sh, scripts/postgres.sh): its credentials, host and port, with
# sslmode=no-verify, as the test cluster's certificate is self-signed.
postgres_database_url() {
    local cluster=${ROSTER_TEST_POSTGRES_URL%%\?*}
    echo "${cluster%/*}/$1?sslmode=no-verify"
}

# postgres_psql ARGS…: runs psql (from PATH or Debian's PostgreSQL binaries) on the maintenance database that
# ROSTER_TEST_POSTGRES_URL names, quietly, stopping at the first error.
postgres_psql() {
    local psql
    psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | head -n 1)
    if [[ -z $psql ]]; then
        say "psql not found (install postgresql-client)"
        return 1
    fi
    "$psql" "$ROSTER_TEST_POSTGRES_URL" -q -X -v ON_ERROR_STOP=1 "$@"
}

# postgres_create_database NAME: creates the empty database NAME in the test cluster (dropping one left by an earlier
# run). Returns 1, saying why, when psql fails.
postgres_create_database() {
    local error
    if ! error=$(postgres_psql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" 2>&1 >/dev/null); then
        say "cannot create the PostgreSQL database $1: $error"
        return 1
    fi
}

# postgres_drop_database NAME: drops the database NAME from the test cluster, closing its connections; never fails.
postgres_drop_database() {
    postgres_psql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true
}
