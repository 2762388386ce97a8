#!/usr/bin/env bash
# End-to-end browser test of the admin settings pages (/settings/organization/dsync) in headless Chromium.
#
#   scripts/e2e.sh                                   # uses $(swift build --show-bin-path)/roster
#   ROSTER_BIN=.build-cli/debug/roster scripts/e2e.sh  # uses that binary
#
# Builds nothing: build `roster` first (swift build --product roster).
# 1. installs chromium and chromium-driver with apt-get when `chromium` or `chromedriver` is missing, and xmlsec1
#    (the SAML IdP signs with it) when it is missing;
# 2. installs selenium (pinned in scripts/e2e-requirements.txt) into .build/e2e-venv, oidc-provider-mock (pinned
#    in scripts/oidc-requirements.txt) into .build/oidc-venv, and pysaml2 (pinned in scripts/saml-requirements.txt)
#    into .build/saml-venv;
# 3. starts oidc-provider-mock (an OpenID Connect provider) on a free loopback port; the SAML IdP (Tests/saml/idp.py,
#    pysaml2) on another, reached as http://localhost:PORT, so that it is a different site from Roster at
#    http://127.0.0.1:PORT, as an IdP is in production; then `roster serve` on a third with a temporary SQLite file,
#    SAML_ADMINS=admin@example.com, OIDC_ISSUER pointing at the provider and SAML_IDP_METADATA at the IdP (read at
#    start-up, so the IdP starts first; the IdP fetches Roster's SP metadata on its first sign-in);
# 4. runs Tests/e2e/settings_e2e.py: sign-in link, directory setup, an Okta-shaped SCIM push, team mapping, the
#    user, team, group and request-log pages, HTML escaping, sign-in through the provider's form (OIDC), then
#    sign-out and sign-in through the SAML IdP's page (its auto-POST form, a cross-site POST to the ACS).
#    Screenshots go to test-artifacts/e2e/;
# 5. always stops the server, the provider and the IdP and removes the temporary files; prints their log tails on
#    failure.
# Prints one line per check and `N passed, N failed`. Exit status: 0 when every check passed; 1 when one failed or
# the run could not be set up.
#
# Environment: ROSTER_BIN (the binary to test), SWIFT_SCRATCH_PATH (default .build; where to look for it).
# Works as root on a clean machine: it installs what it needs with apt-get.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

ARTIFACTS=$ROOT/test-artifacts/e2e

# --- the roster binary (never built here) ---
find_roster prebuilt

# --- 1. the browser and its driver, from Debian ---
install_tool chromium
install_tool chromedriver chromium-driver
# pysaml2 signs the IdP's responses with the xmlsec1 tool; the IdP makes its key with openssl.
install_tool xmlsec1
command -v openssl >/dev/null || die "openssl is missing (the SAML IdP makes its key with it)"

# --- 2. selenium in a venv (reinstalled only when the requirements change) ---
install_venv VENV e2e selenium
install_venv OIDC_VENV oidc oidc-provider-mock
install_venv SAML_VENV saml pysaml2

# --- 3. start the OpenID Connect provider, the SAML IdP and roster serve ---
rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-e2e.XXXXXX")
PROVIDER_PID=
IDP_PID=
# shellcheck disable=SC2317 # called on exit (install_cleanup)
cleanup() {
    stop_processes "$CHILD_PID" "$ROSTER_PID" "$PROVIDER_PID" "$IDP_PID"
    if [[ $1 -ne 0 ]]; then
        show_log_tail "the server's log" "$WORK/server.log" 40
        show_log_tail "the OIDC provider's log" "$WORK/provider.log" 15
        show_log_tail "the SAML IdP's log" "$WORK/idp.log" 15
    fi
    rm -rf "$WORK"
}
install_cleanup cleanup

PROVIDER_PORT=$(free_port)
OIDC_ISSUER=http://127.0.0.1:$PROVIDER_PORT
NO_COLOR=1 "$OIDC_VENV/bin/oidc-provider-mock" --host 127.0.0.1 --port "$PROVIDER_PORT" >"$WORK/provider.log" 2>&1 &
PROVIDER_PID=$!
wait_until_listening "$PROVIDER_PID" "$PROVIDER_PORT" || die "oidc-provider-mock did not start on port $PROVIDER_PORT"
say "the OIDC provider is listening on $OIDC_ISSUER"

# The SAML IdP on localhost, Roster on 127.0.0.1: two sites (sites differ by host, not by port), so that the IdP's
# form posts to the ACS cross-site, as in production, and no SameSite=Lax or Strict cookie goes with that POST.
# idp.py listens on 127.0.0.1 (which localhost is here) and names itself by --public-host in its metadata (entityID
# and single sign-on URL).
PORT=$(free_port)
IDP_PORT=$(free_port)
while [[ $IDP_PORT == "$PORT" || $IDP_PORT == "$PROVIDER_PORT" ]]; do IDP_PORT=$(free_port); done
SAML_IDP=http://localhost:$IDP_PORT
SAML_PROVIDER_NAME_SHOWN="Test IdP"
"$SAML_VENV/bin/python" "$ROOT/Tests/saml/idp.py" --port "$IDP_PORT" --dir "$WORK/idp" --public-host localhost \
    --sp-metadata "http://127.0.0.1:$PORT/auth/saml/metadata" >"$WORK/idp.log" 2>&1 &
IDP_PID=$!
wait_until_listening "$IDP_PID" "$IDP_PORT" || die "the SAML IdP (Tests/saml/idp.py) did not start on port $IDP_PORT"
say "the SAML IdP is listening on $SAML_IDP"

BASE_URL=http://127.0.0.1:$PORT
DATABASE=sqlite:$WORK/roster.db
# Every setting is given here, so none comes from the caller's environment. No OIDC_PROVIDER_NAME: the sign-in
# button then names the provider from the issuer's host. The provider accepts any client ID and secret. A
# SAML_PROVIDER_NAME: the name derived from the IdP's host (localhost) would be "single sign-on" too, and the two
# buttons would read the same.
start_roster "$WORK/server.log" "$PORT" env -u OIDC_PROVIDER_NAME -u SAML_IDP_ENTITY_ID -u SAML_IDP_SSO_URL \
    -u SAML_IDP_CERTIFICATE -u SAML_SP_ENTITY_ID -u SAML_ALLOW_IDP_INITIATED \
    SAML_ADMINS=admin@example.com SAML_DATABASE_URL="$DATABASE" HOST=127.0.0.1 PORT="$PORT" \
    BASE_URL="$BASE_URL" OIDC_ISSUER="$OIDC_ISSUER" OIDC_CLIENT_ID=roster-e2e \
    OIDC_CLIENT_SECRET="e2e-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')" \
    SAML_IDP_METADATA="$SAML_IDP/metadata" SAML_PROVIDER_NAME="$SAML_PROVIDER_NAME_SHOWN" \
    "$ROSTER" serve || exit 1
say "roster serve is answering on $BASE_URL"

# --- 4. the browser test ---
# TMPDIR inside $WORK, so that the profile and socket directories Chromium leaves behind are removed with it.
mkdir -p "$WORK/tmp"
status=0
run_child env TMPDIR="$WORK/tmp" timeout 900 "$VENV/bin/python" "$ROOT/Tests/e2e/settings_e2e.py" "$ROSTER" "$BASE_URL" \
    "$DATABASE" --artifacts "$ARTIFACTS" --oidc-issuer "$OIDC_ISSUER" \
    --saml-idp "$SAML_IDP" --saml-provider-name "$SAML_PROVIDER_NAME_SHOWN" || status=$?
say "screenshots are in ${ARTIFACTS#"$ROOT"/}/"
exit "$status"
