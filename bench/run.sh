#!/usr/bin/env bash
# The HTTP benchmark: one command, a fresh release `roster serve` on loopback, wrk as the load generator, and nginx
# answering `return 200` on the same machine as the ceiling, measured in the same run.
#
#   bench/run.sh                      # 10 s per phase
#   BENCH_SECONDS=5 BENCH_SEEDED=2000 bench/run.sh
#
# Phases (wrk, 2 threads, 8 connections; Lua scripts in bench/wrk/): POST /Users with Okta's body and unique
# names; GET filter=userName eq on seeded users; GET /Users/{id}; PATCH deactivate/reactivate; GET list pages of
# 100. Each prints ops/s, p50 and p99 and the fraction of the nginx ceiling; any non-2xx answer fails the run.
# Installs wrk and nginx from Debian when missing. The rate limit is off (it would be what is measured).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"
SECONDS_PER_PHASE=${BENCH_SECONDS:-10}
SEEDED=${BENCH_SEEDED:-2000}

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
cleanup() {
    stop_processes "$SERVER_PID" "$NGINX_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
JSON=$("$ROSTER" directory create --name Bench --provider okta --json --database-url "sqlite:$WORK/roster.sqlite" --base-url "$BASE")
TOKEN=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$JSON")
DIRECTORY=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["id"])' "$JSON")
"$ROSTER" serve --database-url "sqlite:$WORK/roster.sqlite" --port "$PORT" --base-url "$BASE" --rate-limit-per-second 0 >"$WORK/server.log" 2>&1 &
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

# phase NAME URL [SCRIPT]: runs wrk and prints one table row; a non-2xx answer fails the run.
CEILING=
phase() {
    local name=$1 url=$2 script=${3:-} output rate p50 p99 errors
    if [[ -n $script ]]; then
        output=$(wrk -t2 -c8 -d"${SECONDS_PER_PHASE}s" --latency -s "$ROOT/bench/wrk/$script" "$url")
    else
        output=$(wrk -t2 -c8 -d"${SECONDS_PER_PHASE}s" --latency "$url")
    fi
    rate=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
    errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$output")
    if [[ -n $errors && $errors != 0 ]]; then
        echo "$output" >&2
        say "$name: $errors answers were not 2xx"
        exit 1
    fi
    [[ -z $CEILING ]] && CEILING=$rate
    printf '| %-34s | %10s | %8s | %8s | %6.1f %% |\n' "$name" "$rate" "$p50" "$p99" "$(python3 -c "print(100 * $rate / $CEILING)")"
}

echo "| Phase | ops/s | p50 | p99 | of ceiling |"
echo "| --- | ---: | ---: | ---: | ---: |"
phase "nginx return 200 (ceiling)" "http://127.0.0.1:$NGINX_PORT/"
phase "POST /Users (Okta body)" "$BASE" create_users.lua
phase "GET filter=userName eq" "$BASE" filter_users.lua
phase "GET /Users/{id}" "$BASE" get_user.lua
phase "PATCH active (Okta deactivate)" "$BASE" patch_active.lua
phase "GET list page of 100" "$BASE" list_pages.lua
