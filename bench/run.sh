#!/usr/bin/env bash
# The HTTP benchmark of both stores: one command, a fresh release `roster serve` on SQLite and another on PostgreSQL,
# both on loopback, wrk as the load generator, and nginx answering `return 200` on the same machine as the ceiling,
# all measured in the same run. Prints one table with the two stores side by side, the targets (PostgreSQL against
# SQLite, then each store against its own GET /healthz of the same run), and the statements (round trips) of each SCIM
# write on PostgreSQL.
#
#   bench/run.sh                                          # every phase at full size (about 10 minutes on 2 cores)
#   BENCH_SECONDS=3 BENCH_LOAD_USERS=10000 BENCH_IMPORT_USERS=2000 bench/run.sh   # shorter phases, smaller stores
#
# The stores: SQLite in a fresh file (WAL, synchronous=FULL); PostgreSQL in a fresh database of a throwaway cluster
# (scripts/postgres.sh) switched to fsync=on and full_page_writes=on (the script starts it with both off, for tests),
# so that both pay for durable commits. Roster connects to PostgreSQL over loopback TCP with
# sslmode=BENCH_POSTGRES_SSLMODE (disable). Each phase runs on SQLite and then at once on PostgreSQL, so that a change in
# the machine's load (it is shared) hits both alike.
#
# Phases, each one table row (ops/s, p50, p99, and the fraction of the ceiling or the figure itself):
# - wrk, 2 threads, 8 connections, BENCH_SECONDS (10) each: GET /healthz (Roster's HTTP stack without SCIM, the
#   reference of the relative targets), then, with the Lua scripts in bench/wrk/, POST /Users with Okta's body and
#   unique names; GET filter=userName eq; GET /Users/{id}; PUT /Users/{id}; PATCH deactivate/reactivate; GET list
#   pages of 100 (on BENCH_SEEDED (2 000) seeded users);
# - the Okta-style initial import by one sequential client (bench/load.py): BENCH_IMPORT_USERS (10 000) users, each
#   looked up by filter and then created, then 100 groups of 100 members by PATCH; three rows: the wall time, the
#   client's own CPU time over the same span (time.process_time()), and the wall time minus that CPU (an estimate
#   of the time spent in the server and the network);
# - a store of BENCH_LOAD_USERS (100 000) users and BENCH_LOAD_GROUPS (1 000) groups of 100, plus groups of
#   BENCH_GROUP_SIZES (10,1000,10000,50000) members, loaded over SCIM into SQLite and copied into a second fresh
#   PostgreSQL database by `roster export-postgres` (then ANALYZE, as after any bulk load), so both serve the same
#   rows; each group size measured with one-member PATCHes (Okta's remove + add) by one connection; RSS of each
#   server; start-up time (exec to the first 200 from /readyz) and RSS after start-up with that store;
# - the statements PostgreSQL runs for one POST /Users, one-member group PATCHes (no team mapped, one team mapped) and
#   PATCH active false (log_statement = all on a third database): each is one round trip with postgres-nio.
# The targets relative to GET /healthz (per store, same run): GET /Users/{id} ≥ 60 % of its ops/s, GET filter ≥ 50 %,
# POST /Users ≥ 25 %, GET list page of 100 ≥ 4.5 %; the import of 10 000 users and 100 groups under 15 s; p99 under
# 10 × p50 in every wrk phase on Roster (bench/load.py table prints them after the table and the PostgreSQL targets).
# BENCH_POSTGRES=0 runs SQLite alone; BENCH_ROSTER=path measures that binary instead of building one.
# Any non-2xx answer or socket error fails the run. Installs wrk and nginx from
# Debian when missing. The per-directory limits are off (they would be what is measured).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../scripts/lib.sh"

SECONDS_PER_PHASE=${BENCH_SECONDS:-10}
SEEDED=${BENCH_SEEDED:-2000}
IMPORT_USERS=${BENCH_IMPORT_USERS:-10000}
LOAD_USERS=${BENCH_LOAD_USERS:-100000}
LOAD_GROUPS=${BENCH_LOAD_GROUPS:-1000}
GROUP_SIZES=${BENCH_GROUP_SIZES:-10,1000,10000,50000}
SSLMODE=${BENCH_POSTGRES_SSLMODE:-disable}
STORES=(sqlite)
[[ ${BENCH_POSTGRES:-1} == 1 ]] && STORES+=(postgresql)

install_tool wrk
install_tool nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [[ -n ${BENCH_ROSTER:-} ]]; then
    # A binary built elsewhere (another commit, for a before/after table from the same script).
    ROSTER=$BENCH_ROSTER
    say "measuring $ROSTER"
else
    say "building roster (release)"
    swift build -c release --product roster >/tmp/roster-bench-build.log 2>&1 || {
        tail -n 20 /tmp/roster-bench-build.log >&2
        exit 1
    }
    ROSTER=$(swift build -c release --show-bin-path)/roster
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-bench.XXXXXX")
RESULTS=$WORK/results
: >"$RESULTS"
declare -A SERVER_PID=() DATABASE_URL=() PORT=() TOKEN=() BASE_PATH=()
NGINX_PID=
POSTGRES_DIR=
cleanup() {
    stop_processes "$ROSTER_PID" "${SERVER_PID[@]}" "$NGINX_PID"
    if [[ -n $POSTGRES_DIR ]]; then bash scripts/postgres.sh stop "$POSTGRES_DIR"; fi
    rm -rf "$WORK"
}
install_cleanup cleanup

echo "Load before: $(uptime)"
echo

if [[ ${STORES[*]} == *postgresql* ]]; then
    eval "$(bash scripts/postgres.sh start)"
    POSTGRES_DIR=$ROSTER_TEST_POSTGRES_DIR
    postgres_psql -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET full_page_writes = on" \
        -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] '" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
    [[ $(postgres_psql -At -c "SHOW fsync" -c "SHOW full_page_writes" -c "SHOW synchronous_commit" | tr '\n' ' ') == "on on on " ]] || {
        say "PostgreSQL did not switch to fsync=on, full_page_writes=on"
        exit 1
    }
fi

# postgres_url NAME: the URL of database NAME in the throwaway cluster, with the benchmark's sslmode.
postgres_url() {
    local url
    url=$(postgres_database_url "$1")
    echo "${url%%\?*}?sslmode=$SSLMODE"
}

# psql_on NAME ARGS…: psql on database NAME of the throwaway cluster.
psql_on() {
    local name=$1
    shift
    ROSTER_TEST_POSTGRES_URL=${ROSTER_TEST_POSTGRES_URL%/*}/$name postgres_psql "$@"
}

# new_database STORE NAME: points STORE at a fresh database (a file in WORK, or a new PostgreSQL database).
new_database() {
    if [[ $1 == sqlite ]]; then
        DATABASE_URL[sqlite]="sqlite:$WORK/$2.sqlite"
    else
        postgres_create_database "$2"
        DATABASE_URL[postgresql]=$(postgres_url "$2")
    fi
}

# serve STORE: starts `roster serve` on STORE's database (on the same port each time) and waits until it answers.
serve() {
    local store=$1
    [[ -n ${PORT[$store]:-} ]] || PORT[$store]=$(free_port)
    start_roster "$WORK/server-$store.log" "${PORT[$store]}" "$ROSTER" serve --database-url "${DATABASE_URL[$store]}" \
        --port "${PORT[$store]}" --base-url "http://127.0.0.1:${PORT[$store]}" --rate-limit-concurrent-requests 0 || exit 1
    SERVER_PID[$store]=$ROSTER_PID
}

stop_server() {
    stop_processes "${SERVER_PID[$1]:-}"
    SERVER_PID[$1]=
}

# directory STORE NAME: creates a directory with the CLI (beside the running server) and points TOKEN and BASE_PATH
# of STORE at it.
directory() {
    local json
    json=$("$ROSTER" directory create --name "$2" --provider okta --json --database-url "${DATABASE_URL[$1]}" \
        --base-url "http://127.0.0.1:${PORT[$1]}")
    TOKEN[$1]=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$json")
    BASE_PATH[$1]=/api/scim/v2.0/$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["id"])' "$json")
}

# record KEY PHASE STORE OPS P50 P99 FIGURE: one result, printed as it comes and kept for the table at the end.
record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"
    say "$(printf '%-10s %-55s %10s %9s %9s %s' "$3" "$2" "$4" "$5" "$6" "$7")"
}

# phase KEY NAME STORE URL [SCRIPT [CONNECTIONS]]: runs wrk with STORE's token and paths; any non-2xx answer or
# socket error fails the run. Eight connections on two threads by default; one for the latency phases.
phase() {
    local key=$1 name=$2 store=$3 url=$4 script=${5:-} connections=${6:-8} output errors socket
    local args=(-t"$((connections < 2 ? 1 : 2))" -c"$connections" -d"${SECONDS_PER_PHASE}s" --latency)
    [[ -n $script ]] && args+=(-s "$ROOT/bench/wrk/$script")
    output=$(ROSTER_TOKEN=${TOKEN[$store]:-} ROSTER_BASE_PATH=${BASE_PATH[$store]:-} ROSTER_IDS=$WORK/ids-$store \
        wrk "${args[@]}" "$url")
    errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$output")
    socket=$(awk '/Socket errors/' <<<"$output")
    if [[ -n $errors && $errors != 0 ]] || [[ -n $socket ]]; then
        echo "$output" >&2
        say "$name on $store: ${errors:-0} answers were not 2xx; ${socket:-no socket errors}"
        exit 1
    fi
    record "$key" "$name" "$store" "$(awk '/Requests\/sec/ {print $2}' <<<"$output")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$output")" "$(awk '$1 == "99%" {print $2}' <<<"$output")" ""
}

rss_mb() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/${SERVER_PID[$1]}/status"; }

# The ceiling, once.
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
wait_until_listening "$NGINX_PID" "$NGINX_PORT" || exit 1
phase ceiling "nginx return 200 (ceiling, measured once)" both "http://127.0.0.1:$NGINX_PORT/"

# A fresh database and server for each store, with SEEDED users in a directory of their own.
for store in "${STORES[@]}"; do
    new_database "$store" roster_bench
    serve "$store"
    directory "$store" Bench
    say "seeding $SEEDED users on $store"
    python3 bench/load.py users "${PORT[$store]}" "${BASE_PATH[$store]}" "${TOKEN[$store]}" "$SEEDED" seed "$WORK/ids-$store" \
        2>/dev/null
done

# The wrk phases, each on every store in turn: key|name|path of the URL (for a phase without a script)|Lua script.
export ROSTER_SEEDED=$SEEDED ROSTER_BENCH_DIR=$ROOT/bench/wrk
while IFS='|' read -r key name path script; do
    for store in "${STORES[@]}"; do
        phase "$key" "$name" "$store" "http://127.0.0.1:${PORT[$store]}$path" "$script"
    done
done <<'PHASES'
healthz|GET /healthz (Roster's HTTP stack, no SCIM; same headers and Lua as the SCIM phases)||healthz.lua
healthz_static|GET /healthz, wrk's static request without headers (reference only)|/healthz|
post|POST /Users (Okta body)||create_users.lua
filter|GET filter=userName eq||filter_users.lua
get|GET /Users/{id}||get_user.lua
put|PUT /Users/{id} (Okta body)||put_user.lua
patch_active|PATCH active (Okta deactivate)||patch_active.lua
list|GET list page of 100||list_pages.lua
PHASES

# The Okta-style initial import: one sequential client, in a directory of its own. load.py prints the wall time, the
# requests per second, p50, p99 and its own CPU time over the same span; the wall time minus that CPU is what the
# server (and loopback) took.
for store in "${STORES[@]}"; do
    directory "$store" Import
    read -r import_seconds import_rate import_p50 import_p99 import_cpu < <(python3 bench/load.py import "${PORT[$store]}" \
        "${BASE_PATH[$store]}" "${TOKEN[$store]}" "$IMPORT_USERS" 100 100)
    [[ -n $import_cpu ]] || {
        say "bench/load.py import printed no CPU time"
        exit 1
    }
    record import "Okta import: $IMPORT_USERS users + 100 groups of 100, 1 client" "$store" "$import_rate" "$import_p50" \
        "$import_p99" "${import_seconds} s"
    record import_client_cpu "Okta import: the client's own CPU time" "$store" "" "" "" "${import_cpu} s"
    record import_server "Okta import: wall time minus the client's CPU (server-side estimate)" "$store" "" "" "" \
        "$(python3 -c "print(f'{$import_seconds - $import_cpu:.2f} s')")"
done

# The large store: loaded over SCIM into SQLite (in the same file, beside the directories above), then copied into
# a fresh PostgreSQL database with export-postgres, which also shows that a copied store serves.
directory sqlite Load
LOAD_BASE=${BASE_PATH[sqlite]}
say "loading $LOAD_USERS users and $LOAD_GROUPS groups of 100 into SQLite"
started=$(date +%s.%N)
python3 bench/load.py users "${PORT[sqlite]}" "$LOAD_BASE" "${TOKEN[sqlite]}" "$LOAD_USERS" load "$WORK/load-ids"
record load_users "Loading the large store's users over SCIM, 8 clients" sqlite \
    "$(python3 -c "print(f'{$LOAD_USERS / ($(date +%s.%N) - $started):.0f}')")" "" "" \
    "$(python3 -c "print(f'{$(date +%s.%N) - $started:.1f} s')")"
python3 bench/load.py groups "${PORT[sqlite]}" "$LOAD_BASE" "${TOKEN[sqlite]}" "$WORK/load-ids" \
    "$(python3 -c "print(','.join(['100'] * $LOAD_GROUPS))")" "Load group " "$WORK/load-groups"
python3 bench/load.py groups "${PORT[sqlite]}" "$LOAD_BASE" "${TOKEN[sqlite]}" "$WORK/load-ids" "$GROUP_SIZES" "Size group " \
    "$WORK/size-groups"
DB_MB=$(du -m "$WORK/roster_bench.sqlite" | cut -f1)
if [[ -n ${SERVER_PID[postgresql]:-} ]]; then
    stop_server postgresql
    new_database postgresql roster_large
    say "copying the SQLite store into PostgreSQL (export-postgres)"
    started=$(date +%s.%N)
    "$ROSTER" export-postgres --database-url "${DATABASE_URL[sqlite]}" --to "${DATABASE_URL[postgresql]}" >"$WORK/export.log" 2>&1 || {
        cat "$WORK/export.log" >&2
        exit 1
    }
    record export "export-postgres of that store ($DB_MB MB SQLite), verified" postgresql "" "" "" \
        "$(python3 -c "print(f'{$(date +%s.%N) - $started:.1f} s')")"
    started=$(date +%s.%N)
    psql_on roster_large -c "ANALYZE"
    record analyze "ANALYZE after the copy" postgresql "" "" "" "$(python3 -c "print(f'{$(date +%s.%N) - $started:.1f} s')")"
    serve postgresql
    TOKEN[postgresql]=${TOKEN[sqlite]}
fi
for store in "${STORES[@]}"; do BASE_PATH[$store]=$LOAD_BASE; done
ROSTER_MEMBER_IN=$(sed -n 1p "$WORK/load-ids")
export ROSTER_MEMBER_IN
while read -r size group; do
    ROSTER_GROUP_ID=$group ROSTER_MEMBER_OUT=$(sed -n "$((size + 1))p" "$WORK/load-ids")
    export ROSTER_GROUP_ID ROSTER_MEMBER_OUT
    for store in "${STORES[@]}"; do
        phase "group_$size" "PATCH group of $size: one out, one in (1 client)" "$store" "http://127.0.0.1:${PORT[$store]}" group_patch.lua 1
    done
done <"$WORK/size-groups"
for store in "${STORES[@]}"; do
    record rss_loaded "RSS of roster after loading (serving)" "$store" "" "" "" "$(rss_mb "$store")"
done

# Start-up with that store: from exec to the first 200 from /readyz.
for store in "${STORES[@]}"; do
    stop_server "$store"
    STARTUP=$(python3 - "$ROSTER" "${DATABASE_URL[$store]}" "${PORT[$store]}" "$WORK/server-$store-startup.log" <<'PY'
import subprocess, sys, time, urllib.request
roster, database, port, log = sys.argv[1:5]
started = time.perf_counter()
server = subprocess.Popen([roster, "serve", "--database-url", database, "--port", port, "--base-url", f"http://127.0.0.1:{port}",
                           "--rate-limit-concurrent-requests", "0"], stdout=open(log, "w"), stderr=subprocess.STDOUT)
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
    read -r startup_ms SERVER_PID[$store] <<<"$STARTUP"
    sleep 1
    record startup "Start-up to /readyz 200 with that store" "$store" "" "" "" "$startup_ms ms"
    record rss_idle "RSS of roster after start-up, idle" "$store" "" "" "" "$(rss_mb "$store")"
    stop_server "$store"
done
record size "The store on disk" sqlite "" "" "" "$(du -m "$WORK/roster_bench.sqlite" | cut -f1) MB"
if [[ ${STORES[*]} == *postgresql* ]]; then
    record size "The store on disk" postgresql "" "" "" \
        "$(postgres_psql -At -c "SELECT pg_database_size('roster_large') / 1048576") MB (pg_database_size)"
fi

echo "Load after: $(uptime)"
echo
python3 bench/load.py table "$RESULTS"

# The statements (each one round trip) of single SCIM writes on PostgreSQL, from its log with log_statement = all, on
# a database of their own: two users in two groups, one of them mapped to a team.
if [[ ${STORES[*]} == *postgresql* ]]; then
    new_database postgresql roster_trips
    serve postgresql
    directory postgresql Trips
    python3 bench/load.py trips-setup "${PORT[postgresql]}" "${BASE_PATH[postgresql]}" "${TOKEN[postgresql]}" "$WORK/trips.json"
    "$ROSTER" team create trips-team --database-url "${DATABASE_URL[postgresql]}" >/dev/null
    "$ROSTER" team map trips-team "Trips team" --database-url "${DATABASE_URL[postgresql]}" >/dev/null
    postgres_psql -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5
    echo
    echo "Statements PostgreSQL ran for one SCIM write (log_statement = all; each is one round trip):"
    echo
    python3 bench/load.py trips "${PORT[postgresql]}" "${BASE_PATH[postgresql]}" "${TOKEN[postgresql]}" "$WORK/trips.json" \
        "$POSTGRES_DIR/server.log" 2>"$WORK/trips.log"
    postgres_psql -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
    cp "$WORK/trips.log" /tmp/roster-bench-statements.log
    say "the full statements are in /tmp/roster-bench-statements.log"
fi
