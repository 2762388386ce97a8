#!/usr/bin/env bash
# Several replicas on one PostgreSQL: three `roster serve` processes on one database behind nginx, balanced
# round-robin with the configuration README.md shows under "Run several replicas" (the block between
# <!-- nginx-config:start --> and <!-- nginx-config:end -->, its ports 8080 and 3001-3003 replaced by free ones), so
# that the README's configuration is the one tested. Prints one line per check and `N passed, N failed`.
#
#   scripts/replicas.sh                                      # builds roster (debug) with swift build --product roster
#   ROSTER_BIN=.build-cli/debug/roster scripts/replicas.sh   # builds nothing, tests that binary
#   scripts/replicas.sh 3 2      # 3 kills of one replica and 2 PostgreSQL stops in the crash part (default 1 and 1)
#   CRASH_SEED=7 scripts/replicas.sh   # repeats the crash part's random choices (its seed is printed first)
#
# 1. installs nginx with apt-get when it is missing, and oidc-provider-mock (pinned in scripts/oidc-requirements.txt)
#    into .build/oidc-venv; uses the PostgreSQL cluster that ROSTER_TEST_POSTGRES_URL and ROSTER_TEST_POSTGRES_DIR
#    name (scripts/test.sh exports both), else starts a throwaway one (scripts/postgres.sh) and stops it at the end;
#    makes two fresh databases in it and drops them at the end;
# 2. crash consistency through the balancer (Tests/crash/consistency.py --replicas 3): 8 SCIM clients send through
#    nginx while one replica gets `kill -9` and is restarted a few seconds later as they go on, then every replica
#    gets `kill -9` and all are restarted, then PostgreSQL is stopped at once (`pg_ctl stop -m immediate`) and
#    started again; a group all clients change (each only its own users) through different replicas. After each
#    fault, everything acknowledged must be stored, the request in flight at the fault whole or not at all, group and
#    team events must replay to the member rows; no 5xx while a replica and PostgreSQL are up (except nginx's 502 for
#    a request in flight on a replica when it was killed);
# 3. on the other database (Tests/replicas/replicas.py): the three replicas started at the same moment on the empty
#    database all become ready; an event-feed follower through nginx reads every event exactly once and in order
#    while 8 writers go through all replicas; webhooks reach each endpoint once and in order, and after `kill -9` of
#    the endpoint's owner (its webhook_lease row) another replica takes over within 20 s with at most one event sent
#    twice; the settings pages with each step on another replica (sign-in link, new directory and its token shown
#    once, token regeneration) and OIDC sign-in started on one replica and called back on another; and a client
#    flooding wrong bearer tokens through nginx does not lock out another (TRUSTED_PROXIES, X-Forwarded-For);
# 4. always stops every process it started and removes the temporary files; prints the replicas' log tails on
#    failure.
# Exit status: 0 when every check passed; 1 when one failed or the run could not be set up.
#
# Environment: ROSTER_BIN (the binary to test), SWIFT_SCRATCH_PATH (default .build; where to build),
# ROSTER_TEST_POSTGRES_URL and ROSTER_TEST_POSTGRES_DIR (a running cluster to use), CRASH_SEED.
# Works as root on a clean machine: it installs what it needs (nginx, postgresql-15, python3-venv) with apt-get.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

KILLS=${1:-1}
STOPS=${2:-1}

BEGAN=$(date +%s)

# --- 1. what it needs ---
find_roster build

install_tool nginx
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

install_venv VENV oidc oidc-provider-mock

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-replicas.XXXXXX")
mkdir "$WORK/crash" "$WORK/run"
STARTED_POSTGRES=
cleanup() {
    local status=$1 log
    stop_processes "$CHILD_PID"
    # What the Python scripts could not stop themselves (they were killed).
    stop_listed_processes "$WORK/crash/pids" "$WORK/run/pids"
    if [[ $status -ne 0 ]]; then
        for log in "$WORK"/crash/replica-*.log "$WORK"/run/replica-*.log; do
            [[ -s $log ]] || continue
            [[ $log == "$WORK"/crash/* && ${crash_status:-1} -eq 0 ]] && continue
            [[ $log == "$WORK"/run/* && ${run_status:-1} -eq 0 ]] && continue
            say "last lines of ${log#"$WORK"/}:"
            tail -n 8 "$log" | cut -c1-300 >&2
        done
    fi
    postgres_drop_databases
    if [[ -n $STARTED_POSTGRES ]]; then
        bash "$ROOT/scripts/postgres.sh" stop "$ROSTER_TEST_POSTGRES_DIR"
    fi
    rm -rf "$WORK"
}
install_cleanup cleanup

if [[ -z ${ROSTER_TEST_POSTGRES_URL:-} || -z ${ROSTER_TEST_POSTGRES_DIR:-} ]]; then
    say "starting a throwaway PostgreSQL (scripts/postgres.sh)"
    STARTED_POSTGRES=1
    eval "$(bash "$ROOT/scripts/postgres.sh" start)"
fi

postgres_create_database "roster_replicas_crash_$$" || exit 1
postgres_create_database "roster_replicas_$$" || exit 1

# README's nginx block, the configuration under test.
python3 - "$ROOT/README.md" "$WORK/roster.conf.template" <<'PYTHON' || die "cannot take the nginx configuration from README.md"
import sys
sys.path.insert(0, "Tests/replicas")
import cluster
block = cluster.readme_nginx_block(sys.argv[1])
cluster.render_nginx_config(block, 1, [2, 3, 4])  # every placeholder is there, once
open(sys.argv[2], "w").write(block)
PYTHON
say "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') with README.md's block ($(wc -l <"$WORK/roster.conf.template") lines); roster $ROSTER"

# --- 2. crash consistency through nginx ---
say "crash consistency through nginx: $KILLS kill(s) of one replica, 1 of all, $STOPS PostgreSQL stop(s), 8 clients"
crash_status=0
run_child --tee "$WORK/crash.out" timeout $((180 + KILLS * 60 + STOPS * 90)) python3 "$ROOT/Tests/crash/consistency.py" \
    "$ROSTER" "$WORK/crash" "$KILLS" ${CRASH_SEED:+"$CRASH_SEED"} --postgres "$(postgres_cluster_url "roster_replicas_crash_$$")" \
    --postgres-stops "$STOPS" --postgres-dir "$ROSTER_TEST_POSTGRES_DIR" --replicas 3 \
    --nginx-config "$WORK/roster.conf.template" --nginx "$NGINX" || crash_status=$?

# --- 3. the event feed, webhooks, the settings pages and OIDC, X-Forwarded-For ---
say "event feed, webhooks, settings pages and OIDC across replicas, X-Forwarded-For"
run_status=0
run_child --tee "$WORK/run.out" timeout 300 "$VENV/bin/python" "$ROOT/Tests/replicas/replicas.py" "$ROSTER" \
    "$VENV/bin/oidc-provider-mock" "$WORK/run" --database-url "$(postgres_cluster_url "roster_replicas_$$")" \
    --nginx-config "$WORK/roster.conf.template" --nginx "$NGINX" || run_status=$?

# --- the total ---
passed=0
failed=0
for out in "$WORK/crash.out" "$WORK/run.out"; do
    counts=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1 || true)
    if [[ -z $counts ]]; then
        say "${out##*/}: no count of checks (it stopped early)"
        failed=$((failed + 1))
        continue
    fi
    passed=$((passed + ${counts%% passed*}))
    counts=${counts#*passed, }
    failed=$((failed + ${counts%% failed*}))
done
[[ $crash_status -eq 0 && $run_status -eq 0 ]] || ((failed > 0)) || failed=1
say "$passed passed, $failed failed in $(($(date +%s) - BEGAN)) s"
[[ $failed -eq 0 ]]
