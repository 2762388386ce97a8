#!/usr/bin/env bash
# The hostile-input corpus (Tests/hostile/corpus.py) against a live `roster serve`: malformed, truncated and
# wrongly typed JSON, 10 000-deep nesting, 100 MB bodies, 100 000-character and 1 000-clause filters, NUL bytes and
# invalid UTF-8, SQL metacharacters, unicode names, repeated keys, a 10 000-operation PATCH, a 200 KB header. Each
# must get its expected answer, the server must answer the next request, and its memory must return near its
# baseline. Prints `N passed, N failed`.
#
#   scripts/hostile.sh        # builds roster (debug), starts it on a free port with a temporary SQLite file, runs
#                             # the corpus, stops it
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
finish() {
    local status=$?
    stop_processes "$SERVER_PID"
    if [[ $status -ne 0 && -s $WORK/server.log ]]; then
        say "last lines of the server's log:"
        tail -n 40 "$WORK/server.log" >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap finish EXIT

PORT=$(free_port)
BASE_URL=http://127.0.0.1:$PORT
DATABASE=sqlite:$WORK/roster.sqlite
# Every setting at its default: the corpus fires requests back to back, one at a time, which the defaults allow.
"$ROSTER" serve --database-url "$DATABASE" --host 127.0.0.1 --port "$PORT" --base-url "$BASE_URL" \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_until_listening "$SERVER_PID" "$PORT"
CREATED=$("$ROSTER" directory create --database-url "$DATABASE" --base-url "$BASE_URL" --name hostile --provider okta --json)
read -r DIRECTORY TOKEN < <(python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["id"], d["token"])' <<<"$CREATED")
say "running the corpus against $BASE_URL"
timeout 600 python3 "$ROOT/Tests/hostile/corpus.py" "$PORT" "/api/scim/v2.0/$DIRECTORY" "$TOKEN" "$SERVER_PID"
if grep -q "SCIM request failed" "$WORK/server.log"; then
    say "the server logged a failed request (a 500):"
    grep "SCIM request failed" "$WORK/server.log" | head -n 5 >&2
    exit 1
fi
