#!/usr/bin/env bash
# The hostile-input corpus (Tests/hostile/corpus.py) against a live `roster serve`: malformed, truncated and
# wrongly typed JSON, 10 000-deep nesting, 100 MB bodies, 100 000-character and 1 000-clause filters, NUL bytes and
# invalid UTF-8, SQL metacharacters, unicode names, repeated keys, a 10 000-operation PATCH, a 200 KB header. Each
# must get its expected answer, the server must answer the next request, and its memory must return near its
# baseline; the server must log no failed (500) and no unserved (503) SCIM request. Prints `N passed, N failed`,
# once on SQLite and, when ROSTER_TEST_POSTGRES_URL is set, once more on PostgreSQL.
#
#   scripts/hostile.sh        # builds roster (debug); for each store starts it on a free port, runs the corpus,
#                             # stops it; then prints each pass's counts again, named by its store
#   ROSTER_BIN=.build-cli/debug/roster scripts/hostile.sh   # builds nothing, tests that binary
#
# The SQLite pass uses a temporary SQLite file. The PostgreSQL pass (when ROSTER_TEST_POSTGRES_URL is set:
# scripts/test.sh starts a throwaway cluster and sets it; locally, eval "$(bash scripts/postgres.sh start)") uses a
# fresh database created in that cluster (`--database-url postgresql://…?sslmode=no-verify`), dropped afterwards;
# when it is unset, the script says the pass is skipped. Exit status: 0 when both passes passed, 1 otherwise.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

find_roster build
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-hostile.XXXXXX")
cleanup() {
    stop_processes "$CHILD_PID" "$ROSTER_PID"
    postgres_drop_databases
    rm -rf "$WORK"
}
install_cleanup cleanup

# run_corpus STORE DATABASE: one pass (each_store, scripts/lib.sh): starts `roster serve` on DATABASE with a
# directory (every setting at its default: the corpus fires requests back to back, one at a time, which the defaults
# allow), runs the corpus against it, stops the server and checks its log.
run_corpus() {
    local store=$1
    start_pass_server "$store" "$2" hostile okta || return 1
    say "$store: running the corpus against $ROSTER_URL"
    run_pass_checks "$store" timeout 600 python3 -u "$ROOT/Tests/hostile/corpus.py" "$ROSTER_PORT" \
        "/api/scim/v2.0/$DIRECTORY_ID" "$DIRECTORY_TOKEN" "$ROSTER_PID" || return 1
    if grep -qE "SCIM request (failed|not served)" "$PASS_LOG"; then
        say "$store: the server logged a failed (500) or unserved (503) request:"
        grep -E "SCIM request (failed|not served)" "$PASS_LOG" | head -n 5 >&2
        pass_failed "$store" "$PASS_COUNTS, but the server logged a failed or unserved request"
        return 1
    fi
    stop_processes "$ROSTER_PID"
    ROSTER_PID=
}

each_store run_corpus roster_hostile
