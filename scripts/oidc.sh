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
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# --- 1. the provider in a venv (reinstalled only when the requirements change) ---
install_venv VENV oidc oidc-provider-mock

# --- 2. the roster binary ---
find_roster build

# --- 3. the checks; flow.py starts and stops the provider, the proxy and roster serve ---
flow_work oidc "the provider's log" mock.log
say "running Tests/oidc/flow.py against $ROSTER"
run_child timeout 300 "$VENV/bin/python" "$ROOT/Tests/oidc/flow.py" "$ROSTER" "$VENV/bin/oidc-provider-mock" "$WORK" \
    --log-level "${OIDC_LOG_LEVEL:-debug}"
