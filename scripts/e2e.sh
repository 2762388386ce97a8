#!/usr/bin/env bash
# End-to-end browser test of the admin settings pages (/settings/organization/dsync) in headless Chromium.
#
#   scripts/e2e.sh                                   # uses $(swift build --show-bin-path)/roster
#   ROSTER_BIN=.build-cli/debug/roster scripts/e2e.sh  # uses that binary
#
# Builds nothing: build `roster` first (swift build --product roster).
# 1. installs chromium and chromium-driver with apt-get when `chromium` or `chromedriver` is missing;
# 2. installs selenium (pinned in scripts/e2e-requirements.txt) into .build/e2e-venv, and oidc-provider-mock (pinned
#    in scripts/oidc-requirements.txt) into .build/oidc-venv;
# 3. starts oidc-provider-mock (an OpenID Connect provider) on a free loopback port, and `roster serve` on another
#    with a temporary SQLite file, SAML_ADMINS=admin@example.com and OIDC_ISSUER pointing at the provider;
# 4. runs Tests/e2e/settings_e2e.py: sign-in link, directory setup, an Okta-shaped SCIM push, team mapping, the
#    user, team, group and request-log pages, HTML escaping, then sign-in through the provider's form (OIDC).
#    Screenshots go to test-artifacts/e2e/;
# 5. always stops the server and the provider and removes the temporary files; prints their log tails on failure.
# Prints one line per check and `N passed, N failed`. Exit status: 0 when every check passed; 1 when one failed or
# the run could not be set up.
#
# Environment: ROSTER_BIN (the binary to test), SWIFT_SCRATCH_PATH (default .build; where to look for it).
# Works as root on a clean machine: it installs what it needs with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

SCRATCH=${SWIFT_SCRATCH_PATH:-$ROOT/.build}
VENV=$ROOT/.build/e2e-venv
REQUIREMENTS=$ROOT/scripts/e2e-requirements.txt
OIDC_VENV=$ROOT/.build/oidc-venv
OIDC_REQUIREMENTS=$ROOT/scripts/oidc-requirements.txt
ARTIFACTS=$ROOT/test-artifacts/e2e

say() { echo "e2e.sh: $*" >&2; }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
die() {
    say "$*"
    exit 1
}

# --- the roster binary (never built here) ---
if [[ -n ${ROSTER_BIN:-} ]]; then
    ROSTER=$ROSTER_BIN
else
    command -v swift >/dev/null || die "swift is not on PATH: set ROSTER_BIN to a built roster binary"
    BIN_PATH=$(swift build --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null) ||
        die "cannot find the build directory (swift build --scratch-path $SCRATCH --show-bin-path failed)"
    ROSTER=$BIN_PATH/roster
fi
[[ -x $ROSTER ]] || die "no roster executable at $ROSTER: build it with \`swift build --product roster\` or set ROSTER_BIN"
ROSTER=$(cd "$(dirname "$ROSTER")" && pwd)/$(basename "$ROSTER")

# --- 1. the browser and its driver, from Debian ---
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver"
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# --- 2. selenium in a venv (reinstalled only when the requirements change) ---
say "installing selenium into $VENV"
install_venv "$VENV" "$REQUIREMENTS"
say "installing oidc-provider-mock into $OIDC_VENV"
install_venv "$OIDC_VENV" "$OIDC_REQUIREMENTS"

# --- 3. start the OpenID Connect provider and roster serve ---
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-e2e.XXXXXX")
SERVER_PID=
PROVIDER_PID=
TEST_PID=
cleanup() {
    local status=$?
    stop_processes "$TEST_PID" "$SERVER_PID" "$PROVIDER_PID"
    if [[ $status -ne 0 && -s $WORK/server.log ]]; then
        say "last lines of the server's log:"
        tail -n 40 "$WORK/server.log" >&2
    fi
    if [[ $status -ne 0 && -s $WORK/provider.log ]]; then
        say "last lines of the OIDC provider's log:"
        tail -n 15 "$WORK/provider.log" >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PROVIDER_PORT=$(free_port)
OIDC_ISSUER=http://127.0.0.1:$PROVIDER_PORT
NO_COLOR=1 "$OIDC_VENV/bin/oidc-provider-mock" --host 127.0.0.1 --port "$PROVIDER_PORT" >"$WORK/provider.log" 2>&1 &
PROVIDER_PID=$!
wait_until_listening "$PROVIDER_PID" "$PROVIDER_PORT" || die "oidc-provider-mock did not start on port $PROVIDER_PORT"
say "the OIDC provider is listening on $OIDC_ISSUER"

PORT=$(free_port)
BASE_URL=http://127.0.0.1:$PORT
DATABASE=sqlite:$WORK/roster.db
# Every setting is given here, so none comes from the caller's environment. No OIDC_PROVIDER_NAME: the sign-in
# button then names the provider from the issuer's host. The provider accepts any client ID and secret.
env -u OIDC_PROVIDER_NAME SAML_ADMINS=admin@example.com SAML_DATABASE_URL="$DATABASE" HOST=127.0.0.1 PORT="$PORT" \
    BASE_URL="$BASE_URL" OIDC_ISSUER="$OIDC_ISSUER" OIDC_CLIENT_ID=roster-e2e \
    OIDC_CLIENT_SECRET="e2e-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')" \
    "$ROSTER" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# answers: GET /settings/organization/dsync gets an HTTP response, whatever its status.
answers() {
    "$VENV/bin/python" - "$BASE_URL/settings/organization/dsync" <<'PYTHON' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2).close()
except urllib.error.HTTPError:
    pass
PYTHON
}
ready=
for _ in $(seq 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "roster serve exited before answering"
    if answers; then
        ready=1
        break
    fi
    sleep 0.2
done
[[ -n $ready ]] || die "roster serve does not answer GET $BASE_URL/settings/organization/dsync after 60 s"
say "roster serve is answering on $BASE_URL"

# --- 4. the browser test ---
# In the background and waited for, so that an INT or TERM reaches the traps at once. TMPDIR inside $WORK, so that
# the profile and socket directories Chromium leaves behind are removed with it.
mkdir -p "$WORK/tmp"
TMPDIR=$WORK/tmp timeout 900 "$VENV/bin/python" "$ROOT/Tests/e2e/settings_e2e.py" "$ROSTER" "$BASE_URL" "$DATABASE" \
    --artifacts "$ARTIFACTS" --oidc-issuer "$OIDC_ISSUER" &
TEST_PID=$!
status=0
wait "$TEST_PID" || status=$?
TEST_PID=
say "screenshots are in ${ARTIFACTS#"$ROOT"/}/"
exit "$status"
