#!/usr/bin/env bash
# SCIM conformance: runs every scim2-tester check against a live `roster serve` and prints `N passed, N failed`,
# once on SQLite and, when ROSTER_TEST_POSTGRES_URL is set, once more on PostgreSQL.
#
#   scripts/conformance.sh            # builds roster (debug), then for each store: starts it, runs the checks, stops it
#
# 1. installs scim2-tester (pinned in scripts/conformance-requirements.txt) into .build/conformance-venv;
# 2. builds `roster`;
# 3. the SQLite pass: starts `roster serve` on a free loopback port with a temporary SQLite file, creates a directory
#    with `roster directory create --json`, runs scripts/conformance.py against its SCIM Base URL with its token,
#    stops the server;
# 4. the PostgreSQL pass, when ROSTER_TEST_POSTGRES_URL is set (scripts/test.sh starts a throwaway cluster and sets
#    it; locally: eval "$(bash scripts/postgres.sh start)"): the same against a fresh database created in that
#    cluster (`--database-url postgresql://…?sslmode=no-verify`), dropped afterwards; when it is unset, says the pass
#    is skipped;
# 5. prints each pass's `N passed, N failed` line again, named by its store; always stops the server and removes
#    the temporary files.
# Exit status: 0 when every check of every pass passed; 1 when one failed or a pass could not be set up.
#
# Environment: SWIFT_SCRATCH_PATH (default .build) picks the build directory; CONFORMANCE_VERBOSE=1 prints the full
# data of failed checks. Works as root on a clean machine: it installs what it needs (python3-venv via apt-get when
# the venv module is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

SCRATCH=${SWIFT_SCRATCH_PATH:-$ROOT/.build}
VENV=$ROOT/.build/conformance-venv
REQUIREMENTS=$ROOT/scripts/conformance-requirements.txt

say() { echo "conformance.sh: $*" >&2; }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

# --- 1. scim2-tester in a venv (reinstalled only when the requirements change) ---
say "installing scim2-tester into $VENV"
install_venv "$VENV" "$REQUIREMENTS"

# --- 2. build roster ---
say "building roster (debug, scratch path $SCRATCH)"
BUILD_LOG=$(mktemp "${TMPDIR:-/tmp}/roster-conformance-build.XXXXXX")
if ! swift build --product roster --scratch-path "$SCRATCH" >"$BUILD_LOG" 2>&1; then
    cat "$BUILD_LOG" >&2
    rm -f "$BUILD_LOG"
    say "the build failed"
    exit 1
fi
rm -f "$BUILD_LOG"
ROSTER=$(swift build --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)/roster

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-conformance.XXXXXX")
SERVER_PID=
CHECKS_PID=
PG_DATABASE=
cleanup() {
    local status=$?
    stop_processes "$CHECKS_PID" "$SERVER_PID"
    if [[ -n $PG_DATABASE ]]; then postgres_drop_database "$PG_DATABASE"; fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_checks STORE DATABASE: one pass. Starts `roster serve` on DATABASE, creates a directory, runs the checks, stops
# the server, and records the pass's `N passed, N failed` line (or why it has none) in SUMMARY. Returns 1, printing
# the last lines of the server's log, when a check failed or the pass could not be set up.
SUMMARY=()
run_checks() {
    local store=$1 database=$2 port base_url log created scim_base_url output status verbose=()
    port=$(free_port)
    base_url=http://127.0.0.1:$port
    log=$WORK/$store-server.log
    output=$WORK/$store-checks.out
    # Flags rather than the environment, so that a BASE_URL, HOST, PORT or SAML_DATABASE_URL in the caller's
    # environment cannot redirect the run. Every other setting is at its default: a self-hoster's first check of a new
    # install is exactly this run, and the defaults must let it pass.
    "$ROSTER" serve --database-url "$database" --host 127.0.0.1 --port "$port" --base-url "$base_url" >"$log" 2>&1 &
    SERVER_PID=$!
    if ! wait_until_listening "$SERVER_PID" "$port"; then
        pass_failed "$store" "$log" "roster serve did not start"
        return 1
    fi
    say "$store: roster serve is listening on $base_url"

    if ! created=$("$ROSTER" directory create --database-url "$database" --base-url "$base_url" \
        --name "scim2-tester" --provider generic --json); then
        pass_failed "$store" "$log" "roster directory create failed"
        return 1
    fi
    read -r scim_base_url ROSTER_SCIM_TOKEN < <(
        "$VENV/bin/python" -c 'import json, sys; d = json.load(sys.stdin); print(d["base_url"], d["token"])' <<<"$created"
    )
    export ROSTER_SCIM_TOKEN

    say "$store: running scim2-tester against $scim_base_url"
    if [[ ${CONFORMANCE_VERBOSE:-} == 1 ]]; then verbose=(--verbose); fi
    # In the background and waited for, so that an INT or TERM reaches the traps at once. The output streams through
    # tee (a process substitution, so that CHECKS_PID is the checks' own process, which TERM reaches), which keeps a
    # copy for the counts; tee is waited for too, so that the copy is complete.
    local tee_fd tee_pid
    exec {tee_fd}> >(tee "$output")
    tee_pid=$!
    timeout 600 "$VENV/bin/python" -u "$ROOT/scripts/conformance.py" "$scim_base_url" "${verbose[@]}" >&"$tee_fd" 2>&1 &
    CHECKS_PID=$!
    exec {tee_fd}>&-
    status=0
    wait "$CHECKS_PID" || status=$?
    CHECKS_PID=
    wait "$tee_pid" 2>/dev/null || true
    stop_processes "$SERVER_PID"
    SERVER_PID=
    unset ROSTER_SCIM_TOKEN

    local counts
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$output" | tail -n 1 || true)
    if [[ $status -ne 0 ]]; then
        pass_failed "$store" "$log" "${counts:-the checks exited with status $status before counting}"
        return 1
    fi
    SUMMARY+=("$store: $counts")
}

# pass_failed STORE LOG WHY: records a failed pass in SUMMARY and prints the last lines of its server's log.
pass_failed() {
    local store=$1 log=$2 why=$3
    stop_processes "$SERVER_PID"
    SERVER_PID=
    SUMMARY+=("$store: $why")
    if [[ -s $log ]]; then
        say "$store: last lines of the server's log:"
        tail -n 40 "$log" >&2
    fi
}

# --- 3. SQLite ---
FAILED=0
run_checks SQLite "sqlite:$WORK/roster.sqlite" || FAILED=1

# --- 4. PostgreSQL ---
if [[ -z ${ROSTER_TEST_POSTGRES_URL:-} ]]; then
    say "ROSTER_TEST_POSTGRES_URL is unset (scripts/test.sh sets it): skipping the PostgreSQL pass"
    SUMMARY+=("PostgreSQL: skipped (ROSTER_TEST_POSTGRES_URL is unset)")
elif ! postgres_create_database "roster_conformance_$$"; then
    SUMMARY+=("PostgreSQL: could not create the database")
    FAILED=1
else
    PG_DATABASE=roster_conformance_$$
    run_checks PostgreSQL "$(postgres_database_url "$PG_DATABASE")" || FAILED=1
fi

# --- 5. both passes' counts ---
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
