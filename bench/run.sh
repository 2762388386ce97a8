#!/usr/bin/env bash
# The HTTP benchmark: one command, a fresh release `roster serve` on loopback, wrk as the load generator, and nginx
# answering `return 200` on the same machine as the ceiling, measured in the same run.
#
#   bench/run.sh                                          # every phase at full size (about 12 minutes on 2 cores)
#   BENCH_SECONDS=3 BENCH_LOAD_USERS=10000 bench/run.sh   # shorter phases, a smaller store
#
# Phases, each one table row (ops/s, p50, p99, and the fraction of the ceiling or the figure itself):
# - wrk, 2 threads, 8 connections, BENCH_SECONDS (10) each, Lua scripts in bench/wrk/: POST /Users with Okta's body
#   and unique names; GET filter=userName eq; GET /Users/{id}; PUT /Users/{id}; PATCH deactivate/reactivate; GET
#   list pages of 100 (on BENCH_SEEDED (2 000) seeded users);
# - the Okta-style initial import by one sequential client (bench/load.py): BENCH_IMPORT_USERS (10 000) users, each
#   looked up by filter and then created, then 100 groups of 100 members by PATCH;
# - a store of BENCH_LOAD_USERS (100 000) users and BENCH_LOAD_GROUPS (1 000) groups of 100, plus groups of
#   BENCH_GROUP_SIZES (10,1000,10000,50000) members, each measured with one-member PATCHes (Okta's remove + add) by
#   one connection; RSS of the server after loading; start-up time (exec to the first 200 from /readyz) and RSS
#   after start-up with that store; `export-postgres` of it into a throwaway PostgreSQL (BENCH_EXPORT=0 skips it).
# Any non-2xx answer or socket error fails the run. Installs wrk and nginx from Debian when missing. The per-directory
# limits are off (they would be what is measured).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"
SECONDS_PER_PHASE=${BENCH_SECONDS:-10}
SEEDED=${BENCH_SEEDED:-2000}
IMPORT_USERS=${BENCH_IMPORT_USERS:-10000}
LOAD_USERS=${BENCH_LOAD_USERS:-100000}
LOAD_GROUPS=${BENCH_LOAD_GROUPS:-1000}
GROUP_SIZES=${BENCH_GROUP_SIZES:-10,1000,10000,50000}

say() { echo "bench/run.sh: $*" >&2; }
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

for tool in wrk nginx; do
    command -v "$tool" >/dev/null || command -v "/usr/sbin/$tool" >/dev/null || {
        say "installing $tool"
        apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null
    }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

say "building roster (release)"
swift build -c release --product roster >/tmp/roster-bench-build.log 2>&1 || {
    tail -n 20 /tmp/roster-bench-build.log >&2
    exit 1
}
ROSTER=$(swift build -c release --show-bin-path)/roster

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-bench.XXXXXX")
SERVER_PID=
NGINX_PID=
POSTGRES_DIR=
cleanup() {
    stop_processes "$SERVER_PID" "$NGINX_PID"
    [[ -n $POSTGRES_DIR ]] && bash scripts/postgres.sh stop "$POSTGRES_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
JSON=$("$ROSTER" directory create --name Bench --provider okta --json --database-url "sqlite:$WORK/roster.sqlite" --base-url "$BASE")
TOKEN=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$JSON")
DIRECTORY=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["id"])' "$JSON")
"$ROSTER" serve --database-url "sqlite:$WORK/roster.sqlite" --port "$PORT" --base-url "$BASE" --rate-limit-concurrent-requests 0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    grep -q listening "$WORK/server.log" && break
    sleep 0.1
done

say "seeding $SEEDED users"
python3 - "$PORT" "/api/scim/v2.0/$DIRECTORY" "$TOKEN" "$SEEDED" "$WORK/ids" <<'PY'
import http.client, json, sys
port, base, token, count, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
connection = http.client.HTTPConnection("127.0.0.1", port)
ids = []
for n in range(count):
    body = json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"seed{n}@example.com",
                       "name": {"givenName": "Seed", "familyName": str(n)}, "emails": [{"value": f"seed{n}@example.com", "type": "work", "primary": True}],
                       "active": True})
    connection.request("POST", base + "/Users", body, {"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"})
    response = connection.getresponse()
    data = response.read()
    if response.status != 201:
        sys.exit(f"seeding failed: {response.status} {data[:200]!r}")
    ids.append(json.loads(data)["id"])
open(out, "w").write("\n".join(ids) + "\n")
PY

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:$NGINX_PORT; location / { return 200 "ok"; } }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
NGINX_PID=$!
sleep 0.5

export ROSTER_TOKEN=$TOKEN ROSTER_BASE_PATH=/api/scim/v2.0/$DIRECTORY ROSTER_IDS=$WORK/ids ROSTER_SEEDED=$SEEDED ROSTER_BENCH_DIR=$ROOT/bench/wrk

# phase NAME URL [SCRIPT [CONNECTIONS]]: runs wrk and prints one table row; any non-2xx answer or socket error
# fails the run. Eight connections on two threads by default; one for the latency phases.
CEILING=
phase() {
    local name=$1 url=$2 script=${3:-} connections=${4:-8} output rate p50 p99 errors socket
    local args=(-t"$((connections < 2 ? 1 : 2))" -c"$connections" -d"${SECONDS_PER_PHASE}s" --latency)
    if [[ -n $script ]]; then
        output=$(wrk "${args[@]}" -s "$ROOT/bench/wrk/$script" "$url")
    else
        output=$(wrk "${args[@]}" "$url")
    fi
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
    errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$output")
    socket=$(awk '/Socket errors/' <<<"$output")
    if [[ -n $errors && $errors != 0 ]] || [[ -n $socket ]]; then
        echo "$output" >&2
        say "$name: ${errors:-0} answers were not 2xx; ${socket:-no socket errors}"
        exit 1
    fi
    [[ -z $CEILING ]] && CEILING=$rate
    row "$name" "$rate" "$p50" "$p99" "$(python3 -c "print(f'{100 * $rate / $CEILING:.1f} %')")"
}
row() { printf '| %-44s | %10s | %8s | %8s | %9s |\n' "$@"; }

# directory NAME: creates a directory with the CLI (beside the running server) and sets DIR_ID and DIR_TOKEN.
directory() {
    local json
    json=$("$ROSTER" directory create --name "$1" --provider okta --json --database-url "sqlite:$WORK/roster.sqlite" --base-url "$BASE")
    DIR_TOKEN=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$json")
    DIR_ID=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["id"])' "$json")
}
rss_mb() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$SERVER_PID/status"; }

echo "| Phase | ops/s | p50 | p99 | of ceiling |"
echo "| --- | ---: | ---: | ---: | ---: |"
phase "nginx return 200 (ceiling)" "http://127.0.0.1:$NGINX_PORT/"
phase "GET /healthz (Roster's HTTP stack, no SCIM)" "$BASE/healthz"
phase "POST /Users (Okta body)" "$BASE" create_users.lua
phase "GET filter=userName eq" "$BASE" filter_users.lua
phase "GET /Users/{id}" "$BASE" get_user.lua
phase "PUT /Users/{id} (Okta body)" "$BASE" put_user.lua
phase "PATCH active (Okta deactivate)" "$BASE" patch_active.lua
phase "GET list page of 100" "$BASE" list_pages.lua

# The Okta-style initial import: one sequential client, in a directory of its own.
directory Import
IMPORT=$(python3 bench/load.py import "$PORT" "/api/scim/v2.0/$DIR_ID" "$DIR_TOKEN" "$IMPORT_USERS" 100 100)
read -r import_seconds import_rate import_p50 import_p99 <<<"$IMPORT"
row "Okta import: $IMPORT_USERS users + 100 groups of 100, 1 client" "$import_rate" "$import_p50" "$import_p99" "${import_seconds} s"

# The large store: LOAD_USERS users and LOAD_GROUPS groups of 100, then groups of each size for the PATCH phases.
directory Load
LOAD_BASE=/api/scim/v2.0/$DIR_ID
say "loading $LOAD_USERS users and $LOAD_GROUPS groups of 100"
python3 bench/load.py users "$PORT" "$LOAD_BASE" "$DIR_TOKEN" "$LOAD_USERS" load "$WORK/load-ids"
python3 bench/load.py groups "$PORT" "$LOAD_BASE" "$DIR_TOKEN" "$WORK/load-ids" \
    "$(python3 -c "print(','.join(['100'] * $LOAD_GROUPS))")" "Load group " "$WORK/load-groups"
python3 bench/load.py groups "$PORT" "$LOAD_BASE" "$DIR_TOKEN" "$WORK/load-ids" "$GROUP_SIZES" "Size group " "$WORK/size-groups"
export ROSTER_TOKEN=$DIR_TOKEN ROSTER_BASE_PATH=$LOAD_BASE
ROSTER_MEMBER_IN=$(sed -n 1p "$WORK/load-ids")
export ROSTER_MEMBER_IN
while read -r size group; do
    ROSTER_GROUP_ID=$group ROSTER_MEMBER_OUT=$(sed -n "$((size + 1))p" "$WORK/load-ids")
    export ROSTER_GROUP_ID ROSTER_MEMBER_OUT
    phase "PATCH group of $size: one out, one in (1 client)" "$BASE" group_patch.lua 1
done <"$WORK/size-groups"
row "RSS after loading (serving)" "" "" "" "$(rss_mb)"

# Start-up with that store: from exec to the first 200 from /readyz.
stop_processes "$SERVER_PID"
SERVER_PID=
STARTUP=$(python3 - "$ROSTER" "$WORK" "$PORT" "$BASE" <<'PY'
import subprocess, sys, time, urllib.request
roster, work, port, base = sys.argv[1:5]
started = time.perf_counter()
server = subprocess.Popen([roster, "serve", "--database-url", f"sqlite:{work}/roster.sqlite", "--port", port, "--base-url", base,
                           "--rate-limit-concurrent-requests", "0"], stdout=open(f"{work}/server2.log", "w"), stderr=subprocess.STDOUT)
while True:
    try:
        if urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1).status == 200:
            break
    except OSError:
        time.sleep(0.002)
    if time.perf_counter() - started > 60:
        sys.exit("roster did not become ready in 60 s")
print(f"{(time.perf_counter() - started) * 1000:.0f} {server.pid}")
PY
)
read -r startup_ms SERVER_PID <<<"$STARTUP"
sleep 1
row "Start-up to /readyz 200 with that store" "" "" "" "$startup_ms ms"
row "RSS after start-up, idle" "" "" "" "$(rss_mb)"
DB_MB=$(du -m "$WORK/roster.sqlite" | cut -f1)

# export-postgres of the whole store into a throwaway PostgreSQL (scripts/postgres.sh).
if [[ ${BENCH_EXPORT:-1} == 1 ]]; then
    eval "$(bash scripts/postgres.sh start)"
    POSTGRES_DIR=$ROSTER_TEST_POSTGRES_DIR
    started=$(date +%s.%N)
    "$ROSTER" export-postgres --database-url "sqlite:$WORK/roster.sqlite" --to "$ROSTER_TEST_POSTGRES_URL?sslmode=no-verify" --replace \
        >"$WORK/export.log" 2>&1 || {
        cat "$WORK/export.log" >&2
        exit 1
    }
    row "export-postgres of that store ($DB_MB MB SQLite)" "" "" "" "$(python3 -c "print(f'{$(date +%s.%N) - $started:.1f} s')")"
fi
