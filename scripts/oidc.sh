#!/usr/bin/env bash
# Admin sign-in with OpenID Connect against a real provider process: oidc-provider-mock (authlib), a tampering proxy
# in front of it, and a live `roster serve`. Prints one line per check and `N passed, N failed`.
#
#   scripts/oidc.sh                                   # builds roster (debug) with swift build --product roster
#   ROSTER_BIN=.build-cli/debug/roster scripts/oidc.sh  # builds nothing, tests that binary
#
# 1. installs oidc-provider-mock (pinned in scripts/oidc-requirements.txt) into .build/oidc-venv;
# 2. builds `roster` unless ROSTER_BIN is set;
# 3. runs Tests/oidc/flow.py, which starts the provider on a free loopback port, a forwarding proxy on another (the
#    issuer Roster is given, so that it can change ID tokens on their way), and `roster serve` with OIDC_ISSUER,
#    OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_PROVIDER_NAME, SAML_ADMINS=admin@example.com and a temporary SQLite
#    file; then checks: the sign-in page, the start redirect (PKCE S256, state, nonce, the flow cookie), an admin's
#    sign-in, a non-admin, email_verified false, a tampered ID token, a wrong state, a replayed callback and code,
#    denied consent, the provider's key rotation (restarted on the same port), the provider down, and that the
#    server log holds no authorization code, ID token or client secret;
# 4. always stops every process it started and removes the temporary files; prints the server's log tail on failure.
# Exit status: 0 when every check passed; 1 when one failed or the run could not be set up.
#
# Environment: ROSTER_BIN (the binary to test), SWIFT_SCRATCH_PATH (default .build; where to build),
# OIDC_LOG_LEVEL (roster's LOG_LEVEL during the run, default debug: the log check is strictest there).
# Works as root on a clean machine: it installs what it needs (python3-venv via apt-get when the venv module is
# missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

SCRATCH=${SWIFT_SCRATCH_PATH:-$ROOT/.build}
VENV=$ROOT/.build/oidc-venv
REQUIREMENTS=$ROOT/scripts/oidc-requirements.txt

say() { echo "oidc.sh: $*" >&2; }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
die() {
    say "$*"
    exit 1
}

# --- 1. the provider in a venv (reinstalled only when the requirements change) ---
say "installing oidc-provider-mock into $VENV"
install_venv "$VENV" "$REQUIREMENTS"

# --- 2. the roster binary ---
if [[ -n ${ROSTER_BIN:-} ]]; then
    ROSTER=$ROSTER_BIN
else
    command -v swift >/dev/null || die "swift is not on PATH: set ROSTER_BIN to a built roster binary"
    say "building roster (debug, scratch path $SCRATCH)"
    BUILD_LOG=$(mktemp "${TMPDIR:-/tmp}/roster-oidc-build.XXXXXX")
    if ! swift build --product roster --scratch-path "$SCRATCH" >"$BUILD_LOG" 2>&1; then
        cat "$BUILD_LOG" >&2
        rm -f "$BUILD_LOG"
        die "the build failed"
    fi
    rm -f "$BUILD_LOG"
    ROSTER=$(swift build --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)/roster
fi
[[ -x $ROSTER ]] || die "no roster executable at $ROSTER"
ROSTER=$(cd "$(dirname "$ROSTER")" && pwd)/$(basename "$ROSTER")

# --- 3. the checks; flow.py starts and stops the provider, the proxy and roster serve ---
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-oidc.XXXXXX")
FLOW_PID=
cleanup() {
    local status=$?
    stop_processes "$FLOW_PID"
    # Whatever flow.py could not stop itself (it was killed): the pids it wrote.
    if [[ -s $WORK/pids ]]; then
        # shellcheck disable=SC2046 # one pid a line
        stop_processes $(cat "$WORK/pids")
    fi
    if [[ $status -ne 0 && -s $WORK/server.log ]]; then
        say "last lines of the server's log:"
        tail -n 40 "$WORK/server.log" >&2
    fi
    if [[ $status -ne 0 && -s $WORK/mock.log ]]; then
        say "last lines of the provider's log:"
        tail -n 15 "$WORK/mock.log" >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "running Tests/oidc/flow.py against $ROSTER"
# In the background and waited for, so that an INT or TERM reaches the traps at once.
timeout 300 "$VENV/bin/python" "$ROOT/Tests/oidc/flow.py" "$ROSTER" "$VENV/bin/oidc-provider-mock" "$WORK" \
    --log-level "${OIDC_LOG_LEVEL:-debug}" &
FLOW_PID=$!
status=0
wait "$FLOW_PID" || status=$?
FLOW_PID=
exit "$status"
