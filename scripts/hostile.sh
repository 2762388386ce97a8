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
#
# The SQLite pass uses a temporary SQLite file. The PostgreSQL pass (when ROSTER_TEST_POSTGRES_URL is set:
# scripts/test.sh starts a throwaway cluster and sets it; locally, eval "$(bash scripts/postgres.sh start)") uses a
# fresh database created in that cluster (`--database-url postgresql://…?sslmode=no-verify`), dropped afterwards;
# when it is unset, the script says the pass is skipped. Exit status: 0 when both passes passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"
say() { echo "hostile.sh: $*" >&2; }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

swift build --product roster >/dev/null
ROSTER=$(swift build --show-bin-path)/roster
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-hostile.XXXXXX")
SERVER_PID=
CORPUS_PID=
PG_DATABASE=
finish() {
    local status=$?
    stop_processes "$CORPUS_PID" "$SERVER_PID"
    if [[ -n $PG_DATABASE ]]; then postgres_drop_database "$PG_DATABASE"; fi
    rm -rf "$WORK"
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_corpus STORE DATABASE: one pass. Starts `roster serve` on DATABASE, creates a directory, runs the corpus, stops
# the server, checks its log, and records the pass's `N passed, N failed` line (or why it has none) in SUMMARY.
# Returns 1, printing the last lines of the server's log, when a check failed or the pass could not be set up.
SUMMARY=()
run_corpus() {
    local store=$1 database=$2 port base_url log output created directory token status counts tee_fd tee_pid
    port=$(free_port)
    base_url=http://127.0.0.1:$port
    log=$WORK/$store-server.log
    output=$WORK/$store-corpus.out
    # Every setting at its default: the corpus fires requests back to back, one at a time, which the defaults allow.
    "$ROSTER" serve --database-url "$database" --host 127.0.0.1 --port "$port" --base-url "$base_url" >"$log" 2>&1 &
    SERVER_PID=$!
    if ! wait_until_listening "$SERVER_PID" "$port"; then
        pass_failed "$store" "$log" "roster serve did not start"
        return 1
    fi
    if ! created=$("$ROSTER" directory create --database-url "$database" --base-url "$base_url" --name hostile \
        --provider okta --json); then
        pass_failed "$store" "$log" "roster directory create failed"
        return 1
    fi
    read -r directory token < <(python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["id"], d["token"])' <<<"$created")
    say "$store: running the corpus against $base_url"
    # In the background and waited for, so that an INT or TERM reaches the traps at once; the output streams through
    # tee (waited for too, so that its copy, read for the counts, is complete).
    exec {tee_fd}> >(tee "$output")
    tee_pid=$!
    timeout 600 python3 -u "$ROOT/Tests/hostile/corpus.py" "$port" "/api/scim/v2.0/$directory" "$token" "$SERVER_PID" \
        >&"$tee_fd" 2>&1 &
    CORPUS_PID=$!
    exec {tee_fd}>&-
    status=0
    wait "$CORPUS_PID" || status=$?
    CORPUS_PID=
    wait "$tee_pid" 2>/dev/null || true
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$output" | tail -n 1 || true)
    if [[ $status -ne 0 ]]; then
        pass_failed "$store" "$log" "${counts:-the corpus exited with status $status before counting}"
        return 1
    fi
    if grep -qE "SCIM request (failed|not served)" "$log"; then
        say "$store: the server logged a failed (500) or unserved (503) request:"
        grep -E "SCIM request (failed|not served)" "$log" | head -n 5 >&2
        pass_failed "$store" "$log" "$counts, but the server logged a failed or unserved request"
        return 1
    fi
    stop_processes "$SERVER_PID"
    SERVER_PID=
    SUMMARY+=("$store: $counts")
}

# pass_failed STORE LOG WHY: stops the server, records a failed pass in SUMMARY and prints the last lines of its log.
pass_failed() {
    local store=$1 log=$2 why=$3
    stop_processes "$SERVER_PID"
    SERVER_PID=
    SUMMARY+=("$store: $why")
    if [[ -s $log ]]; then
        say "$store: last lines of the server's log:"
        tail -n 40 "$log" >&2
    fi
}

FAILED=0
run_corpus SQLite "sqlite:$WORK/roster.sqlite" || FAILED=1

if [[ -z ${ROSTER_TEST_POSTGRES_URL:-} ]]; then
    say "ROSTER_TEST_POSTGRES_URL is unset (scripts/test.sh sets it): skipping the PostgreSQL pass"
    SUMMARY+=("PostgreSQL: skipped (ROSTER_TEST_POSTGRES_URL is unset)")
elif ! postgres_create_database "roster_hostile_$$"; then
    SUMMARY+=("PostgreSQL: could not create the database")
    FAILED=1
else
    PG_DATABASE=roster_hostile_$$
    run_corpus PostgreSQL "$(postgres_database_url "$PG_DATABASE")" || FAILED=1
fi

printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
