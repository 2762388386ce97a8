#!/usr/bin/env bash
# Crash consistency (Tests/crash/consistency.py): 8 concurrent SCIM clients drive creates, PATCHes and group
# membership changes against a live `roster serve`, which gets `kill -9` at random moments and is restarted on the
# same store each time; after every restart the store must hold exactly what was acknowledged (the requests in
# flight at the kill landed whole or not at all), be sound (SQLite: `PRAGMA integrity_check`; PostgreSQL: foreign-key
# and consistency queries, amcheck), and its team memberships and outbox events must match the groups.
# RELIABILITY.md has the details and the last long run.
#
# First on a SQLite file. Then, when ROSTER_TEST_POSTGRES_URL and ROSTER_TEST_POSTGRES_DIR name a running cluster
# (scripts/postgres.sh start; scripts/test.sh exports both), on a fresh PostgreSQL database: kills of roster serve
# and immediate stops of PostgreSQL itself (`pg_ctl stop -m immediate`, started again 2-4 s later while the clients
# keep sending: every answer meanwhile must be a 503 with Retry-After, /readyz a 503 with the reason, and the first
# 2xx must come within 10 s of PostgreSQL accepting connections, without restarting Roster).
#
#   scripts/crash.sh             # the short run in the test command: SQLite 3 kills; PostgreSQL 2 kills, 2 stops
#   scripts/crash.sh 30 10       # the long run: SQLite 30 kills; PostgreSQL 30 kills and 10 stops
#   CRASH_SEED=7 scripts/crash.sh 3   # repeats a run's random choices (the seed is printed first)
#   ROSTER_BIN=path/to/roster scripts/crash.sh   # uses that binary instead of building the debug one
#
# Before each real run, a one-kill run whose store is rewound after the kill to a copy taken a moment before (losing
# acknowledged commits) must fail: the suite checks that it can.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

KILLS=${1:-3}
POSTGRES_KILLS=${1:-2}
POSTGRES_STOPS=${2:-2}
find_roster build
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-crash.XXXXXX")
cleanup() {
    stop_processes "$CHILD_PID"
    postgres_drop_databases
    rm -rf "$WORK"
}
install_cleanup cleanup

say "SQLite self-check: with the store rewound after a kill, the suite must fail"
mkdir "$WORK/sabotage"
if run_child env ROSTER_CRASH_SABOTAGE=rewind timeout 300 python3 "$ROOT/Tests/crash/consistency.py" "$ROSTER" \
    "$WORK/sabotage" 1 ${CRASH_SEED:+"$CRASH_SEED"} >"$WORK/sabotage.log" 2>&1; then
    cat "$WORK/sabotage.log" >&2
    say "the suite passed although acknowledged commits were lost: it cannot detect lost writes"
    exit 1
fi
say "SQLite self-check ok: $(grep -c '^FAIL' "$WORK/sabotage.log") failures reported, as it should"

mkdir "$WORK/run"
say "SQLite: $KILLS kills under 8 clients"
if ! run_child timeout $((120 + KILLS * 60)) python3 "$ROOT/Tests/crash/consistency.py" "$ROSTER" "$WORK/run" "$KILLS" \
    ${CRASH_SEED:+"$CRASH_SEED"}; then
    show_log_tail "the server's log" "$WORK/run/server.log" 40
    exit 1
fi

[[ -n ${ROSTER_TEST_POSTGRES_URL:-} && -n ${ROSTER_TEST_POSTGRES_DIR:-} ]] || {
    say "PostgreSQL: skipped (ROSTER_TEST_POSTGRES_URL and ROSTER_TEST_POSTGRES_DIR are not both set)"
    exit 0
}

# Fresh databases beside the URL's (dropped on exit), reached with the URL's user, host and options.
postgres_create_database "roster_crash_sabotage_$$" || exit 1
postgres_create_database "roster_crash_run_$$" || exit 1

say "PostgreSQL self-check: with the database rewound after a kill, the suite must fail"
mkdir "$WORK/postgres-sabotage"
if run_child env ROSTER_CRASH_SABOTAGE=rewind timeout 300 python3 "$ROOT/Tests/crash/consistency.py" "$ROSTER" \
    "$WORK/postgres-sabotage" 1 ${CRASH_SEED:+"$CRASH_SEED"} --postgres "$(postgres_cluster_url "roster_crash_sabotage_$$")" \
    >"$WORK/postgres-sabotage.log" 2>&1; then
    cat "$WORK/postgres-sabotage.log" >&2
    say "the suite passed although acknowledged commits were lost: it cannot detect lost writes on PostgreSQL"
    exit 1
fi
if ! grep -q '^FAIL' "$WORK/postgres-sabotage.log"; then
    cat "$WORK/postgres-sabotage.log" >&2
    say "the PostgreSQL self-check stopped without reporting a lost write"
    exit 1
fi
say "PostgreSQL self-check ok: $(grep -c '^FAIL' "$WORK/postgres-sabotage.log") failures reported, as it should"

mkdir "$WORK/postgres"
say "PostgreSQL: $POSTGRES_KILLS kills and $POSTGRES_STOPS immediate stops of PostgreSQL under 8 clients"
if ! run_child timeout $((120 + POSTGRES_KILLS * 60 + POSTGRES_STOPS * 90)) python3 "$ROOT/Tests/crash/consistency.py" \
    "$ROSTER" "$WORK/postgres" "$POSTGRES_KILLS" ${CRASH_SEED:+"$CRASH_SEED"} \
    --postgres "$(postgres_cluster_url "roster_crash_run_$$")" --postgres-stops "$POSTGRES_STOPS" \
    --postgres-dir "$ROSTER_TEST_POSTGRES_DIR"; then
    show_log_tail "the server's log" "$WORK/postgres/server.log" 40
    exit 1
fi
