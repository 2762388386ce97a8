#!/usr/bin/env bash
# The whole test suite, as README.md names it and .ci/run calls it:
#   1. the protocol core imports nothing but Foundation, and the embedded pages match static/;
#   2. every unit, HTTP and replay test (swift test), with a throwaway PostgreSQL 15 (scripts/postgres.sh) for the
#      export tests;
#   3. the CLI against a live `roster serve`: teams, mappings, events, sign-in links, export-postgres
#      (scripts/cli-smoke.sh);
#   4. SCIM conformance: scim2-tester against a live `roster serve` (scripts/conformance.sh), then the hostile-input
#      corpus against another (scripts/hostile.sh), crash consistency under `kill -9` (scripts/crash.sh: 3 kills on SQLite; 2 kills
#      and 2 immediate stops of PostgreSQL on PostgreSQL), three replicas on one PostgreSQL behind nginx
#      (scripts/replicas.sh: kills of one and of all replicas and a PostgreSQL stop under 8 clients, the event feed,
#      webhooks once per endpoint, the settings pages across replicas, X-Forwarded-For) and
#      the libFuzzer targets' corpus replay and a short run of each (scripts/fuzz.sh); RELIABILITY.md has the long
#      runs;
#   5. OIDC sign-in against a real provider process (scripts/oidc.sh), SAML sign-in against a real IdP process with
#      the attack suite against the ACS (scripts/saml.sh), and the settings pages in a real headless Chromium
#      against a live `roster serve`, signing in with a link, through OIDC and over SAML with the IdP on another site
#      (scripts/e2e.sh; screenshots in test-artifacts/e2e/);
#   6. the release binary as the Dockerfile builds it, alone in an empty directory as an unprivileged user: health,
#      pages, SCIM, SIGTERM mid-request, JSON logs (scripts/release-smoke.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

if grep -rhE '^\s*(@testable\s+)?import\s' Sources/SCIM | grep -vE '^\s*import\s+Foundation\s*$'; then
    die "Sources/SCIM may import only Foundation"
fi
python3 scripts/embed-static.py --check
# SAML sign-in links libxmlsec1 and libxml2 (Debian packages): a clean machine gets their headers first.
if ! pkg-config --exists xmlsec1-openssl libxml-2.0; then
    apt-get update -qq && apt-get install -y -qq libxmlsec1-dev libxml2-dev pkg-config >/dev/null
fi
swift build --build-tests
# The README's settings table is generated from the settings' one definition (roster settings-table).
bash scripts/settings-table.sh --check
eval "$(bash scripts/postgres.sh start)"
stop_postgres() { bash scripts/postgres.sh stop "$ROSTER_TEST_POSTGRES_DIR"; }
install_cleanup stop_postgres
# The lower layers' tests first (the protocol core, then the stores on SQLite and PostgreSQL), then PostgreSQL alone
# and the server; two runs, so each keeps running its suites in parallel.
swift test --skip-build --filter '^(SCIMTests|RosterStoreTests)\.'
swift test --skip-build --filter '^(RosterPostgresTests|RosterServerTests)\.'
bash scripts/cli-smoke.sh
bash scripts/conformance.sh
bash scripts/hostile.sh
bash scripts/crash.sh
bash scripts/replicas.sh
bash scripts/fuzz.sh
bash scripts/oidc.sh
bash scripts/saml.sh
bash scripts/e2e.sh
bash scripts/release-smoke.sh
