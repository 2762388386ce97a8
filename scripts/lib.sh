# shellcheck shell=bash disable=SC2034 # the variables set here are for the scripts that source this
# Shell helpers shared by the test scripts, sourced first thing (after `set`) by each:
#   source "$(dirname "$0")/lib.sh"
# Sourcing it moves to the repository's root, sets ROOT to it, puts the Swift toolchain on PATH, and defines `say`.

# say MESSAGE…: one line on standard error, named by the script (`conformance.sh: …`, `bench/run.sh: …`).
SCRIPT_NAME=$(basename "$(dirname "$0")")/$(basename "$0")
SCRIPT_NAME=${SCRIPT_NAME#scripts/}
say() { echo "$SCRIPT_NAME: $*" >&2; }
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

# die MESSAGE…: says MESSAGE and exits 1.
die() {
    say "$*"
    exit 1
}

# --- ending a run ---

# install_cleanup FUNCTION: however the script ends, calls FUNCTION STATUS (the exit status the script ends with; the
# function stops what the script started and removes its files) and then exits with STATUS. An INT or TERM ends the
# script with status 130 or 143, so FUNCTION runs then too. Bash takes a signal only between commands: a long command
# should run with run_child, not in the foreground, so that a signal ends the script at once.
install_cleanup() {
    # shellcheck disable=SC2064 # the function's name, now
    trap "_cleanup_and_exit $1" EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
_cleanup_and_exit() {
    local status=$?
    set +e # a cleanup does all it can
    "$1" "$status"
    exit "$status"
}

CHILD_PID=
# run_child [--tee FILE] COMMAND…: runs COMMAND in the background and waits for it, so that an INT or TERM reaches the
# traps at once; meanwhile CHILD_PID names it, for the cleanup function to stop (stop_processes "$CHILD_PID"). With
# --tee, COMMAND's output and errors are shown and also kept in FILE, complete when run_child returns (tee is a process
# substitution, so that CHILD_PID is COMMAND's own process, which TERM reaches). Returns COMMAND's exit status.
run_child() {
    local copy='' status=0 tee_fd tee_pid
    if [[ $1 == --tee ]]; then
        copy=$2
        shift 2
    fi
    if [[ -n $copy ]]; then
        exec {tee_fd}> >(tee "$copy")
        tee_pid=$!
        "$@" >&"$tee_fd" 2>&1 &
        CHILD_PID=$!
        exec {tee_fd}>&-
    else
        "$@" &
        CHILD_PID=$!
    fi
    wait "$CHILD_PID" || status=$?
    CHILD_PID=
    if [[ -n $copy ]]; then wait "$tee_pid" 2>/dev/null || true; fi
    return "$status"
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

# stop_listed_processes FILE…: stops the processes whose pids FILE lists, one a line: what a test driver written in
# Python (Tests/replicas/cluster.py's Pids) started and could not stop itself because it was killed. Missing files
# are skipped.
stop_listed_processes() {
    local file
    for file in "$@"; do
        # shellcheck disable=SC2046 # one pid a line
        if [[ -s $file ]]; then stop_processes $(cat "$file"); fi
    done
}

# show_log_tail WHAT FILE [LINES]: when FILE is not empty, says `last lines of WHAT:` and prints its last LINES
# (default 20) lines on standard error; once a file: a log shown already (start_roster shows the log of a server that
# did not start) is not shown again by the cleanup function.
SHOWN_LOGS=()
show_log_tail() {
    local what=$1 file=$2 lines=${3:-20} shown
    [[ -s $file ]] || return 0
    for shown in "${SHOWN_LOGS[@]}"; do
        [[ $shown != "$file" ]] || return 0
    done
    SHOWN_LOGS+=("$file")
    say "last lines of $what:"
    tail -n "$lines" "$file" >&2
}

# flow_work NAME WHAT LOG: for a suite that one Python driver runs (oidc.sh and saml.sh run Tests/*/flow.py, which
# starts and stops its own processes, writes their pids to WORK/pids and their logs to WORK): makes the work
# directory WORK and installs a cleanup function that stops the driver (CHILD_PID: run it with run_child) and what it
# could not stop itself (it was killed), prints on failure the last lines of WORK/server.log and of WORK/LOG (WHAT),
# and removes WORK.
flow_work() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-$1.XXXXXX")
    FLOW_LOG=("$2" "$3")
    install_cleanup _cleanup_flow
}
_cleanup_flow() {
    stop_processes "$CHILD_PID"
    stop_listed_processes "$WORK/pids"
    if [[ $1 -ne 0 ]]; then
        show_log_tail "the server's log" "$WORK/server.log" 40
        show_log_tail "${FLOW_LOG[0]}" "$WORK/${FLOW_LOG[1]}" 15
    fi
    rm -rf "$WORK"
}

# --- the binary under test and its server ---

# find_roster build|prebuilt: sets ROSTER to the absolute path of the roster executable to test: ROSTER_BIN when it is
# set; else roster in the debug build directory of SWIFT_SCRATCH_PATH (default .build), built first with
# `swift build --product roster` when the argument is `build` (its output shown only when it fails). Exits, saying
# why, when there is no such executable.
find_roster() {
    local scratch=${SWIFT_SCRATCH_PATH:-.build} build_log bin_path
    if [[ -n ${ROSTER_BIN:-} ]]; then
        ROSTER=$ROSTER_BIN
    else
        command -v swift >/dev/null || die "swift is not on PATH: set ROSTER_BIN to a built roster binary"
        if [[ $1 == build ]]; then
            say "building roster (debug, scratch path $scratch)"
            build_log=$(mktemp "${TMPDIR:-/tmp}/roster-build.XXXXXX")
            if ! swift build --product roster --scratch-path "$scratch" >"$build_log" 2>&1; then
                cat "$build_log" >&2
                rm -f "$build_log"
                die "the build failed"
            fi
            rm -f "$build_log"
        fi
        bin_path=$(swift build --scratch-path "$scratch" --show-bin-path 2>/dev/null) ||
            die "cannot find the build directory (swift build --scratch-path $scratch --show-bin-path failed)"
        ROSTER=$bin_path/roster
    fi
    [[ -f $ROSTER && -x $ROSTER ]] ||
        die "no roster executable at $ROSTER: build it with \`swift build --product roster\` or set ROSTER_BIN"
    ROSTER=$(cd "$(dirname "$ROSTER")" && pwd)/$(basename "$ROSTER")
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

ROSTER_PID=
ROSTER_PORT=
ROSTER_URL=
# start_roster LOG PORT COMMAND…: starts COMMAND, a `roster serve` that listens on 127.0.0.1:PORT, in the background
# with its output and errors in LOG (emptied first), and waits up to 60 s until GET /healthz there answers 200.
# COMMAND is whole (such as "$ROSTER" serve --port "$PORT" …, or env NAME=VALUE … "$ROSTER" serve), as each script
# chooses between flags and the environment. Sets ROSTER_PID (COMMAND's process, for the caller to stop with
# stop_processes, in its cleanup function too), ROSTER_PORT (PORT) and ROSTER_URL (http://127.0.0.1:PORT). When the
# process exits first or the time runs out, says why, prints the log's last lines, stops the process and returns 1.
start_roster() {
    local log=$1 port=$2 deadline=$((EPOCHSECONDS + 60)) status
    shift 2
    ROSTER_PORT=$port
    ROSTER_URL=http://127.0.0.1:$port
    "$@" >"$log" 2>&1 &
    ROSTER_PID=$!
    while ((EPOCHSECONDS < deadline)); do
        if ! kill -0 "$ROSTER_PID" 2>/dev/null; then
            status=0
            wait "$ROSTER_PID" || status=$?
            say "roster serve exited with status $status before answering GET $ROSTER_URL/healthz"
            show_log_tail "$log" "$log"
            ROSTER_PID=
            return 1
        fi
        if _answers_healthz "$port"; then
            return 0
        fi
        sleep 0.1
    done
    say "roster serve did not answer GET $ROSTER_URL/healthz with 200 within 60 s"
    show_log_tail "$log" "$log"
    stop_processes "$ROSTER_PID"
    ROSTER_PID=
    return 1
}
# _answers_healthz PORT: GET /healthz on 127.0.0.1:PORT answers 200 (within 2 s of the request).
_answers_healthz() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" >&3
        IFS= read -r -t 2 status_line <&3
        [[ $status_line == "HTTP/1.1 200 "* ]]
    ) 2>/dev/null
}

# wait_until_listening PID PORT [SECONDS]: waits (default 30 s) until something accepts connections on 127.0.0.1:PORT
# (for servers other than Roster, which start_roster starts). Returns 1, saying why, when process PID exits first or
# the time runs out.
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

# --- what the tests need from Debian and PyPI ---

# install_tool COMMAND [PACKAGE]: when COMMAND is neither on PATH nor in /usr/sbin, installs Debian's PACKAGE (default
# COMMAND) with apt-get, without letting the package start a service (policy-rc.d says no, as in Docker images:
# nginx's would take port 80). Exits, saying why, when COMMAND is still missing.
install_tool() {
    local tool=$1 package=${2:-$1} policy_made='' status=0
    if command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]]; then return 0; fi
    say "installing $package"
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_made=1
    fi
    apt-get update -qq && apt-get install -y -qq "$package" >/dev/null || status=$?
    if [[ -n $policy_made ]]; then rm -f /usr/sbin/policy-rc.d; fi
    [[ $status -eq 0 ]] || die "apt-get could not install $package"
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || die "$tool is still missing after installing $package"
}

# install_venv VAR NAME WHAT: makes (or reuses) the Python venv .build/NAME-venv with the packages pinned in
# scripts/NAME-requirements.txt (WHAT names them in the message) and sets the variable VAR to its path. Reinstalls
# only when the requirements file changes. Installs Debian's python3-venv when the venv module is missing.
install_venv() {
    local directory=$ROOT/.build/$2-venv requirements=$ROOT/scripts/$2-requirements.txt stamp wanted
    printf -v "$1" %s "$directory"
    say "installing $3 into $directory"
    stamp=$directory/.requirements.sha256
    wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [[ -x $directory/bin/python && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
        return
    fi
    rm -rf "$directory"
    mkdir -p "$(dirname "$directory")"
    if ! python3 -m venv "$directory" >/dev/null 2>&1; then
        say "python3 -m venv failed; installing python3-venv"
        rm -rf "$directory"
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$directory"
    fi
    "$directory/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
}

# --- the PostgreSQL test cluster (scripts/postgres.sh; ROSTER_TEST_POSTGRES_URL names its maintenance database) ---

# postgres_database_url NAME: prints the URL to hand to roster for database NAME in the cluster that
# ROSTER_TEST_POSTGRES_URL names (scripts/test.sh, scripts/postgres.sh): its credentials, host and port, with
# sslmode=no-verify, as the test cluster's certificate is self-signed.
postgres_database_url() {
    local cluster=${ROSTER_TEST_POSTGRES_URL%%\?*}
    echo "${cluster%/*}/$1?sslmode=no-verify"
}

# postgres_cluster_url NAME: prints the URL of database NAME with ROSTER_TEST_POSTGRES_URL's own user, host and
# options, which both roster and psql accept (postgres_database_url's sslmode=no-verify is roster's alone).
postgres_cluster_url() {
    local cluster=${ROSTER_TEST_POSTGRES_URL%%\?*} options=''
    [[ $ROSTER_TEST_POSTGRES_URL == *\?* ]] && options="?${ROSTER_TEST_POSTGRES_URL#*\?}"
    echo "${cluster%/*}/$1$options"
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
# run) and adds it to POSTGRES_DATABASES, which postgres_drop_databases drops. Returns 1, saying why, when psql fails.
POSTGRES_DATABASES=()
postgres_create_database() {
    local error
    if ! error=$(postgres_psql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" 2>&1 >/dev/null); then
        say "cannot create the PostgreSQL database $1: $error"
        return 1
    fi
    POSTGRES_DATABASES+=("$1")
}

# postgres_drop_database NAME: drops the database NAME from the test cluster, closing its connections; never fails.
postgres_drop_database() {
    postgres_psql -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true
}

# postgres_drop_databases: drops every database postgres_create_database made (for a cleanup function); never fails.
postgres_drop_databases() {
    local database
    for database in "${POSTGRES_DATABASES[@]}"; do
        postgres_drop_database "$database"
    done
    POSTGRES_DATABASES=()
}

# --- one pass a store (conformance.sh, hostile.sh) ---

# each_store PASS NAME: runs the function `PASS STORE DATABASE` once on SQLite (DATABASE a new file in WORK) and, when
# ROSTER_TEST_POSTGRES_URL is set (scripts/test.sh starts a throwaway cluster and sets it; locally:
# eval "$(bash scripts/postgres.sh start)"), once on PostgreSQL (a fresh database NAME_PID in that cluster, which
# postgres_drop_databases drops); when it is unset, says that pass is skipped. PASS sets PASS_COUNTS to its
# `N passed, N failed` line, or to why it has none, and returns 1 when a check failed or it could not be set up. Then
# prints each pass's line again, named by its store. Returns 1 when a pass failed.
each_store() {
    local pass=$1 database=$2_$$ failed=0 summary=()
    PASS_COUNTS=
    "$pass" SQLite "sqlite:$WORK/roster.sqlite" || failed=1
    summary+=("SQLite: $PASS_COUNTS")
    if [[ -z ${ROSTER_TEST_POSTGRES_URL:-} ]]; then
        say "ROSTER_TEST_POSTGRES_URL is unset (scripts/test.sh sets it): skipping the PostgreSQL pass"
        summary+=("PostgreSQL: skipped (ROSTER_TEST_POSTGRES_URL is unset)")
    elif ! postgres_create_database "$database"; then
        summary+=("PostgreSQL: could not create the database")
        failed=1
    else
        PASS_COUNTS=
        "$pass" PostgreSQL "$(postgres_database_url "$database")" || failed=1
        summary+=("PostgreSQL: $PASS_COUNTS")
    fi
    printf '%s\n' "${summary[@]}"
    return "$failed"
}

# start_pass_server STORE DATABASE NAME PROVIDER: starts `roster serve` on DATABASE on a free loopback port, its log in
# WORK/STORE-server.log (PASS_LOG), with flags rather than the environment, so that a BASE_URL, HOST, PORT or
# SAML_DATABASE_URL in the caller's environment cannot redirect the run, and every other setting at its default (a
# self-hoster's first check of a new install is such a run, and the defaults must let it pass); then creates the
# directory NAME (PROVIDER) with `roster directory create --json`. Sets DIRECTORY_ID, DIRECTORY_TOKEN and
# DIRECTORY_URL (its SCIM Base URL). Returns 1, with PASS_COUNTS saying why, when either fails.
start_pass_server() {
    local store=$1 database=$2 port created
    port=$(free_port)
    PASS_LOG=$WORK/$store-server.log
    if ! start_roster "$PASS_LOG" "$port" "$ROSTER" serve --database-url "$database" --host 127.0.0.1 --port "$port" \
        --base-url "http://127.0.0.1:$port"; then
        PASS_COUNTS="roster serve did not start"
        return 1
    fi
    say "$store: roster serve is listening on $ROSTER_URL"
    if ! created=$("$ROSTER" directory create --database-url "$database" --base-url "$ROSTER_URL" --name "$3" \
        --provider "$4" --json); then
        pass_failed "$store" "roster directory create failed"
        return 1
    fi
    read -r DIRECTORY_ID DIRECTORY_TOKEN DIRECTORY_URL < <(
        python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["id"], d["token"], d["base_url"])' <<<"$created"
    )
}

# run_pass_checks STORE COMMAND…: runs the checks COMMAND with run_child, its output shown and kept in
# WORK/STORE-checks.out, and sets PASS_COUNTS to its last `N passed, N failed` line. When COMMAND fails, ends the pass
# with pass_failed and returns 1.
run_pass_checks() {
    local store=$1 output=$WORK/$1-checks.out status=0
    shift
    run_child --tee "$output" "$@" || status=$?
    PASS_COUNTS=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$output" | tail -n 1 || true)
    if [[ $status -ne 0 ]]; then
        pass_failed "$store" "${PASS_COUNTS:-the checks exited with status $status before counting}"
        return 1
    fi
}

# pass_failed STORE WHY: for a failed pass: stops the server (ROSTER_PID), sets PASS_COUNTS to WHY and prints the
# last lines of the server's log (PASS_LOG).
pass_failed() {
    stop_processes "$ROSTER_PID"
    ROSTER_PID=
    PASS_COUNTS=$2
    show_log_tail "the $1 server's log" "$PASS_LOG" 40
}
