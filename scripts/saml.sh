#!/usr/bin/env bash
# Admin sign-in with SAML 2.0 against a real identity provider (pysaml2's IdP, Tests/saml/idp.py) and a live
# `roster serve`, with an attack suite against the ACS. Prints one line per check and `N passed, N failed`.
#
#   scripts/saml.sh                                    # builds roster (debug) with swift build --product roster
#   ROSTER_BIN=.build-cli/debug/roster scripts/saml.sh   # builds nothing, tests that binary
#   scripts/saml.sh --stub                             # tests the suite itself against Tests/saml/stub_roster.py
#   scripts/saml.sh --only 6 --case XSW                # flow.py's options: some checks, some attack cases
#   STUB_SKIP=audience scripts/saml.sh --stub          # the stub without one check: the cases about it must fail
#
# 1. installs the xmlsec1 tool with apt-get when it is missing, and pysaml2 and lxml (pinned in
#    scripts/saml-requirements.txt) into .build/saml-venv;
# 2. builds `roster` unless ROSTER_BIN is set (or --stub is given);
# 3. runs Tests/saml/flow.py, which starts the IdP on a free loopback port and `roster serve` with
#    SAML_IDP_METADATA pointing at it, SAML_ADMINS=admin@example.com, LOG_FORMAT=json and a temporary SQLite file,
#    then checks: the sign-in page and SP metadata; SP-initiated sign-in with the Response and Assertion signed and
#    with only the Assertion signed; a non-admin; IdP-initiated sign-in off and on (a second roster configured
#    without metadata); start-up refusals; the attack suite (signature stripping and tampering, XSW1–XSW8, a
#    second assertion, duplicate IDs, XXE, entity expansion, XSLT, comment injection, KeyInfo confusion, HMAC,
#    SHA-1, URI="", c14n WithComments, encrypted assertions, audience, recipient, destination, times,
#    InResponseTo, RelayState, replay, status, …), each refusal checked by status, heading and the reason code
#    of the JSON log line; and that the log has no SAMLResponse, signature value or non-admin NameID;
# 4. always stops every process it started and removes the temporary files; prints the server's log tail on failure.
# Exit status: 0 when every check passed; 1 when one failed or the run could not be set up.
#
# Environment: ROSTER_BIN (the binary to test), SWIFT_SCRATCH_PATH (default .build; where to build),
# SAML_LOG_LEVEL (roster's LOG_LEVEL during the run, default debug: the log check is strictest there).
# Works as root on a clean machine: it installs what it needs (xmlsec1, python3-venv via apt-get).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

STUB=
if [[ ${1:-} == --stub ]]; then
    STUB=1
    shift
fi

# --- 1. xmlsec1 (pysaml2 signs with it; so do the forged responses) and the venv ---
install_tool xmlsec1
command -v openssl >/dev/null || die "openssl is missing (the IdP makes its key with it)"
install_venv VENV saml "pysaml2 and lxml"

# --- 2. the roster binary ---
if [[ -n $STUB ]]; then
    ROSTER=$ROOT/Tests/saml/stub_roster.py
else
    find_roster build
fi

# --- 3. the checks; flow.py starts and stops the IdP and every roster serve ---
flow_work saml "the IdP's log" idp.log
say "running Tests/saml/flow.py against $ROSTER"
run_child timeout 300 "$VENV/bin/python" "$ROOT/Tests/saml/flow.py" "$ROSTER" "$WORK" --log-level "${SAML_LOG_LEVEL:-debug}" "$@"
