#!/usr/bin/env bash
# SCIM conformance: runs every scim2-tester check against a live `roster serve` and prints `N passed, N failed`,
# once on SQLite and, when ROSTER_TEST_POSTGRES_URL is set, once more on PostgreSQL.
#
#   scripts/conformance.sh            # builds roster (debug), then for each store: starts it, runs the checks, stops it
#   ROSTER_BIN=.build-cli/debug/roster scripts/conformance.sh   # builds nothing, tests that binary
#
# 1. installs scim2-tester (pinned in scripts/conformance-requirements.txt) into .build/conformance-venv;
# 2. builds `roster` unless ROSTER_BIN is set;
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
# Environment: ROSTER_BIN (the binary to test), SWIFT_SCRATCH_PATH (default .build; where to build),
# CONFORMANCE_VERBOSE=1 (prints the full data of failed checks). Works as root on a clean machine: it installs what it
# needs (python3-venv via apt-get when the venv module is missing).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# --- 1. scim2-tester in a venv (reinstalled only when the requirements change) ---
install_venv VENV conformance scim2-tester

# --- 2. build roster ---
find_roster build

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-conformance.XXXXXX")
cleanup() {
    stop_processes "$CHILD_PID" "$ROSTER_PID"
    postgres_drop_databases
    rm -rf "$WORK"
}
install_cleanup cleanup

# run_checks STORE DATABASE: one pass (each_store, scripts/lib.sh): starts `roster serve` on DATABASE with a
# directory, runs the checks against it, stops the server.
run_checks() {
    local store=$1 verbose=()
    start_pass_server "$store" "$2" scim2-tester generic || return 1
    say "$store: running scim2-tester against $DIRECTORY_URL"
    if [[ ${CONFORMANCE_VERBOSE:-} == 1 ]]; then verbose=(--verbose); fi
    local -x ROSTER_SCIM_TOKEN=$DIRECTORY_TOKEN # for conformance.py, during this pass
    run_pass_checks "$store" timeout 600 "$VENV/bin/python" -u "$ROOT/scripts/conformance.py" "$DIRECTORY_URL" \
        "${verbose[@]}" || return 1
    stop_processes "$ROSTER_PID"
    ROSTER_PID=
}

# --- 3. SQLite, 4. PostgreSQL, 5. both passes' counts ---
each_store run_checks roster_conformance
