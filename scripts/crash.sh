#!/usr/bin/env bash
# Crash consistency (Tests/crash/consistency.py): 8 concurrent SCIM clients drive creates, PATCHes and group
# membership changes against a live `roster serve`, which gets `kill -9` at random moments and is restarted on the
# same SQLite file each time; after every restart the store must hold exactly what was acknowledged (the requests in
# flight at the kill landed whole or not at all), pass `PRAGMA integrity_check`, and its team memberships and outbox
# events must match the groups. RELIABILITY.md has the details and the last long run.
#
#   scripts/crash.sh             # the short run in the test command: 3 kills
#   scripts/crash.sh 25          # the long run: 25 kills
#   CRASH_SEED=7 scripts/crash.sh 3   # repeats a run's random choices (the seed is printed first)
#   ROSTER_BIN=path/to/roster scripts/crash.sh   # uses that binary instead of building the debug one
#
# Before the real run, a one-kill run whose store is rewound after the kill to a copy taken a moment before (losing
# acknowledged commits) must fail: the suite checks that it can.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"
say() { echo "crash.sh: $*" >&2; }

KILLS=${1:-3}
if [[ -n ${ROSTER_BIN:-} ]]; then
    ROSTER=$ROSTER_BIN
else
    swift build --product roster >/dev/null
    ROSTER=$(swift build --show-bin-path)/roster
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-crash.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

say "self-check: with the store rewound after a kill, the suite must fail"
mkdir "$WORK/sabotage"
if ROSTER_CRASH_SABOTAGE=rewind timeout 300 python3 "$ROOT/Tests/crash/consistency.py" "$ROSTER" "$WORK/sabotage" 1 \
    ${CRASH_SEED:+"$CRASH_SEED"} >"$WORK/sabotage.log" 2>&1; then
    cat "$WORK/sabotage.log" >&2
    say "the suite passed although acknowledged commits were lost: it cannot detect lost writes"
    exit 1
fi
say "self-check ok: $(grep -c '^FAIL' "$WORK/sabotage.log") failures reported, as it should"

mkdir "$WORK/run"
say "$KILLS kills under 8 clients"
if ! timeout $((120 + KILLS * 60)) python3 "$ROOT/Tests/crash/consistency.py" "$ROSTER" "$WORK/run" "$KILLS" \
    ${CRASH_SEED:+"$CRASH_SEED"}; then
    say "last lines of the server's log:"
    tail -n 40 "$WORK/run/server.log" >&2
    exit 1
fi
