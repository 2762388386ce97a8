#!/usr/bin/env bash
# SCIM conformance: runs every scim2-tester check against a live `roster serve` and prints `N passed, N failed`.
#
#   scripts/conformance.sh            # builds roster (debug), starts it, runs the checks, stops it
#
# 1. installs scim2-tester (pinned in scripts/conformance-requirements.txt) into .build/conformance-venv;
# 2. builds `roster` and starts `roster serve` on a free loopback port with a temporary SQLite file;
# 3. creates a directory with `roster directory create --json`;
# 4. runs scripts/conformance.py against its SCIM Base URL with its token;
# 5. always stops the server and removes the temporary files.
# Exit status: 0 when every check passed; 1 when one failed or the run could not be set up.
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

# --- 2. build and start roster serve ---
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
stop_server() {
    local status=$?
    stop_processes "$CHECKS_PID" "$SERVER_PID"
    if [[ $status -ne 0 && -s $WORK/server.log ]]; then
        say "last lines of the server's log:"
        tail -n 40 "$WORK/server.log" >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT=$(free_port)
BASE_URL=http://127.0.0.1:$PORT
DATABASE=sqlite:$WORK/roster.sqlite
# Flags rather than the environment, so that a BASE_URL, HOST, PORT or SAML_DATABASE_URL in the caller's environment
# cannot redirect the run. Every other setting is at its default: a self-hoster's first check of a new install is
# exactly this run, and the defaults must let it pass.
"$ROSTER" serve --database-url "$DATABASE" --host 127.0.0.1 --port "$PORT" --base-url "$BASE_URL" \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_until_listening "$SERVER_PID" "$PORT"
say "roster serve is listening on $BASE_URL"

# --- 3. a directory for the checks ---
CREATED=$("$ROSTER" directory create --database-url "$DATABASE" --base-url "$BASE_URL" --name "scim2-tester" --provider generic --json)
read -r SCIM_BASE_URL ROSTER_SCIM_TOKEN < <(
    "$VENV/bin/python" -c 'import json, sys; d = json.load(sys.stdin); print(d["base_url"], d["token"])' <<<"$CREATED"
)
export ROSTER_SCIM_TOKEN

# --- 4. the checks ---
say "running scim2-tester against $SCIM_BASE_URL"
verbose=()
if [[ ${CONFORMANCE_VERBOSE:-} == 1 ]]; then verbose=(--verbose); fi
# In the background and waited for, so that an INT or TERM reaches the traps at once.
timeout 600 "$VENV/bin/python" "$ROOT/scripts/conformance.py" "$SCIM_BASE_URL" "${verbose[@]}" &
CHECKS_PID=$!
wait "$CHECKS_PID"
