#!/usr/bin/env python3
"""Crash consistency: `kill -9` a live `roster serve` under load, and stop its PostgreSQL at once, restart them, and
check that nothing was lost or half-applied (standard library only).

Usage: consistency.py ROSTER_BINARY WORK_DIR KILLS [SEED] [--postgres URL [--postgres-stops N] [--postgres-dir DIR]
                      [--replicas N --nginx-config FILE [--nginx BINARY]]]

Sets up one directory and four teams mapped to group names (with the `roster` CLI), starts `roster serve` on a SQLite
file in WORK_DIR (or, with --postgres, on that PostgreSQL database, which should be empty), and runs 8 concurrent SCIM
clients that send Okta's and Entra's request shapes: user creates, name changes, deactivations and reactivations,
deletions; group creates with members, member adds, the three ways to remove members, renames between mapped and
unmapped names, deletions; and PATCHes that must fail with 409 after an earlier operation in the same request
already succeeded in memory. Each client owns its own users and groups, so it knows exactly what the store must hold
after every answer.

The faults, in an order the seed shuffles, each at a random moment while the clients run:
- KILLS times the server gets SIGKILL; it is restarted on the same store and port.
- With --postgres, N times (--postgres-stops) PostgreSQL is stopped at once (`pg_ctl stop -m immediate`, as the user
  who owns DIR/data; DIR defaults to $ROSTER_TEST_POSTGRES_DIR) and started again 2 to 4 s later while the clients
  keep sending. Every SCIM answer while it is down must be 503 with `Retry-After` (never a 500), `/readyz` must be 503
  with a reason, and the first 2xx must come at most 10 s after PostgreSQL accepts connections again, without a
  restart of Roster. A request answered 503 (or whose connection dropped) during the outage is treated as in flight:
  a COMMIT whose connection dropped may have committed. That client then only sends requests that change nothing
  (GETs, PATCHes that must fail) until the check.
After each fault, with the clients stopped, the store is checked:
- every change that got a 2xx is in the store, and every change that got an error is not there at all (the one
  request per client that was in flight at the fault may have landed or not, but only as a whole);
- the store is sound: SQLite's `PRAGMA integrity_check` is `ok` and `PRAGMA foreign_key_check` is empty; on
  PostgreSQL, foreign-key and consistency queries find nothing and amcheck's `bt_index_check` passes on every index;
- replaying the outbox's `group.member_added` / `group.member_removed` / `group.deleted` events gives exactly each
  group's member rows;
- every team's rows sourced by a group are exactly that group's members when the team is mapped to the group's
  current name, and none otherwise; replaying `team.member_added` / `team.member_removed` gives exactly the active
  users the team holds;
- the server serves the clients' resources over SCIM.
Any 5xx outside an outage, unexpected status or connection error while the server is up is a failure too. Prints one
line per fault with its recovery time and `N passed, N failed`; exits 1 on any failure. The store is read with
sqlite3, or with `psql` on PostgreSQL (Tests/crash/databases.py).

ROSTER_CRASH_SABOTAGE=rewind rewinds the store after each kill to a copy taken mid-round (losing acknowledged
commits): the run must then fail.

With --replicas N (PostgreSQL only; scripts/replicas.sh): N `roster serve` processes on the one database, started at
the same moment, all with nginx's URL as their public URL, behind nginx (FILE is README's nginx block, whose
placeholder ports Tests/replicas/cluster.py replaces; nginx stays up throughout). The clients send through nginx,
and a group that no client owns, `shared` (mapped to two teams), is changed by all of them: each adds and removes
only its own users, so the group must hold the union of what each client knows of its part. The faults, in this
order: KILLS times one replica gets SIGKILL while the clients go on, and is restarted 2 to 4 s later (the others
must answer meanwhile); once, every replica gets SIGKILL and all are restarted at once; then, --postgres-stops times,
PostgreSQL is stopped as above (after which every replica must be ready again within the same 10 s). Any 5xx while a replica and PostgreSQL are up is a failure, except nginx's 502 for a
request that was in flight on a replica when it was killed (sent before the kill, or in the 0.5 s after it, while
nginx may still reuse a connection to the dead replica): that request is treated as in flight (and so is a DELETE
answered 404 then, as nginx may have passed it on to another replica after the dead one committed it). A request
sent while every replica is dead (nginx's 502) never reached one. The store checks after each fault are the same;
the summary says how many requests each replica answered (nginx's access log).
"""
import argparse
import copy
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from databases import PostgresCluster, PostgresDatabase, SQLiteDatabase, postgres_bin_dir  # noqa: E402
from ports import free_port  # noqa: E402

arguments = argparse.ArgumentParser(description="Crash consistency of roster serve under kill -9 and PostgreSQL stops.")
arguments.add_argument("roster")
arguments.add_argument("work")
arguments.add_argument("kills", type=int)
arguments.add_argument("seed", type=int, nargs="?")
arguments.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database instead of a SQLite file")
arguments.add_argument("--postgres-stops", type=int, default=0, metavar="N", help="immediate PostgreSQL stops")
arguments.add_argument("--postgres-dir", default=os.environ.get("ROSTER_TEST_POSTGRES_DIR"), metavar="DIR",
                       help="the cluster's directory, with data/ (default $ROSTER_TEST_POSTGRES_DIR)")
arguments.add_argument("--replicas", type=int, default=0, metavar="N",
                       help="N roster serve processes on the PostgreSQL database behind nginx (needs --nginx-config)")
arguments.add_argument("--nginx-config", metavar="FILE", help="README's nginx block, with its placeholder ports")
arguments.add_argument("--nginx", default="nginx", metavar="BINARY", help="the nginx binary (default: nginx on PATH)")
OPTIONS = arguments.parse_args()
ROSTER, WORK, KILLS = OPTIONS.roster, OPTIONS.work, OPTIONS.kills
SEED = OPTIONS.seed if OPTIONS.seed is not None else random.randrange(1 << 30)
STOPS = OPTIONS.postgres_stops if OPTIONS.postgres else 0
CLIENTS = 8
SABOTAGE = os.environ.get("ROSTER_CRASH_SABOTAGE", "")
REPLICAS = OPTIONS.replicas
if REPLICAS:
    if not OPTIONS.postgres or not OPTIONS.nginx_config:
        raise SystemExit("--replicas needs --postgres and --nginx-config")
    if SABOTAGE:
        raise SystemExit("ROSTER_CRASH_SABOTAGE is for one server, not --replicas")
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "replicas"))
    import cluster  # noqa: E402
if OPTIONS.postgres:
    DATABASE = PostgresDatabase(OPTIONS.postgres, postgres_bin_dir(), WORK)
    if STOPS and not OPTIONS.postgres_dir:
        raise SystemExit("--postgres-stops needs the cluster's directory: --postgres-dir or $ROSTER_TEST_POSTGRES_DIR")
    CLUSTER = PostgresCluster(OPTIONS.postgres_dir, postgres_bin_dir()) if STOPS else None
else:
    DATABASE = SQLiteDatabase(os.path.join(WORK, "roster.sqlite"))
    CLUSTER = None
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
# Group names a client gives its groups: g0..g2 are mapped to teams (g0 to two teams), g3..g5 to none.
MAPPED = {"g0": ["all-mapped", "team-g0"], "g1": ["team-g1"], "g2": ["team-g2"]}
GROUP_NAMES = ["g0", "g1", "g2", "g3", "g4", "g5"]
# With --replicas, the group every client changes (its externalId and displayName), and the teams it is mapped to:
# all-mapped too, so that a user in it and in a client's g0 holds that team through two groups.
SHARED = "shared" if REPLICAS else None
SHARED_TEAMS = ["all-mapped", "team-shared"]
# With --replicas: a 502 for a request sent before a kill, or this long after it, is a request in flight at the kill.
KILL_GRACE = 0.5
# How long after PostgreSQL accepts connections again the first SCIM request must succeed.
RECOVERY_LIMIT = 10.0
# How long a client waits for an answer; Roster's own deadlines (a 5 s lease, a 3 s readiness probe) are shorter.
REQUEST_TIMEOUT = 20.0
# Answers received this long after `pg_ctl stop` returned may still carry a commit made before the stop.
STOP_GRACE = 0.5

failures = []
failures_lock = threading.Lock()


def fail(message):
    with failures_lock:
        failures.append(message)
    print(f"FAIL {message}", flush=True)


def cli(*arguments):
    result = subprocess.run([ROSTER, *arguments, "--database-url", DATABASE.url], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"roster {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout


class Server:
    """One `roster serve` process on a fixed port and the store."""

    def __init__(self, port):
        self.port = port
        self.process = None
        self.log = open(os.path.join(WORK, "server.log"), "ab")

    def start(self):
        base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [ROSTER, "serve", "--database-url", DATABASE.url, "--host", "127.0.0.1", "--port", str(self.port),
             "--base-url", base, "--rate-limit-per-second", "0"],
            stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"roster serve exited with {self.process.returncode} before it was ready")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/readyz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("roster serve was not ready within 60 s")

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class Unavailable(Exception):
    """A 503 during a PostgreSQL outage: the request may have landed or not (a COMMIT whose connection dropped may
    have committed), but only as a whole."""


class InFlight(Exception):
    """With --replicas: nginx's 502 for a request that was in flight on a replica when it was killed (or a DELETE
    answered 404 then, which nginx may have passed on after the dead replica committed it): it may have landed or not,
    but only as a whole."""


class Refused(Exception):
    """With --replicas: nginx's 502 for a request sent while every replica was dead; it reached none."""


class Outage:
    """What the clients saw during one PostgreSQL stop. Every answer in [down_from, down_until) must be a 503 with
    `Retry-After`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stopping_at = float("inf")  # when `pg_ctl stop` was run
        self.down_from = self.down_until = float("inf")  # down_from: STOP_GRACE after `pg_ctl stop` returned
        self.accepting_at = float("inf")  # when PostgreSQL accepted connections again
        self.first_success = float("inf")  # the first 2xx SCIM answer after that
        self.unavailable = 0  # 503 answers with Retry-After
        self.unavailable_while_down = 0  # of which while PostgreSQL was down
        self.dropped = 0  # connection errors
        self.sent_while_down = {}  # status -> how many requests sent from `pg_ctl stop` to `pg_ctl start` got it
        self.longest_wait = 0.0  # the longest wait of such a request for its answer, in seconds

    def is_down(self, moment):
        return self.down_from <= moment < self.down_until

    def note_success(self, moment):
        with self.lock:
            if moment >= self.accepting_at:
                self.first_success = min(self.first_success, moment)


class Model:
    """What one client knows the store holds: users by userName -> (givenName, active), groups by externalId ->
    (displayName, frozenset of member userNames), and (with --replicas) which of its users are in the shared group."""

    def __init__(self):
        self.users = {}
        self.groups = {}
        self.shared = frozenset()

    def snapshot(self):
        return (dict(self.users), dict(self.groups), self.shared)


class Client(threading.Thread):
    """A sequential SCIM client that owns the users and groups whose names start with its prefix."""

    def __init__(self, number, coordinator):
        super().__init__(daemon=True)
        self.number = number
        self.prefix = f"c{number}."
        self.coordinator = coordinator
        self.random = random.Random(SEED * 31 + number)
        self.model = Model()
        self.user_ids = {}  # userName -> id
        self.group_ids = {}  # externalId -> id
        self.counter = 0
        self.pending = None  # (description, model before, model after) of the request in flight at a fault
        self.pending_description, self.pending_after = "", None
        self.pending_answered_503 = False  # whether the pending request is a change that was answered 503
        self.probing = False  # after a 503 in an outage: only requests that change nothing until the check
        self.connection = None
        self.connection_generation = 0
        self.operations = 0
        self.parked = False
        self.sent = 0.0  # when the last request was sent

    # --- HTTP ---

    def request(self, method, path, body=None):
        if self.connection is not None and self.connection_generation != self.coordinator.generation:
            self.connection.close()  # opened to a server that has since been killed
            self.connection = None
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.coordinator.entry_port,
                                                         timeout=REQUEST_TIMEOUT)
            self.connection_generation = self.coordinator.generation
        payload = json.dumps(body).encode() if body is not None else None
        sent = time.time()
        headers = {"Authorization": f"Bearer {self.coordinator.token}", "Content-Type": "application/scim+json"}
        try:
            self.connection.request(method, self.coordinator.base + path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        self.sent = sent
        if REPLICAS and response.status == 502:
            self.observe_bad_gateway(method, path, sent)
        try:
            answer = json.loads(data) if data else None
        except ValueError:
            answer = {"body": data[:200].decode("utf-8", "replace")}
        self.observe_outage(method, path, response, answer, sent, time.time())
        if REPLICAS:
            self.coordinator.note_answer(sent, response.status)
        return response.status, answer

    def observe_bad_gateway(self, method, path, sent):
        """With --replicas, nginx's 502: raises ``InFlight`` for a request sent before a kill (or within KILL_GRACE
        after it), ``Refused`` for one sent while every replica was dead; any other 502 fails (a replica and
        PostgreSQL were up), and the request is then treated as in flight."""
        coordinator = self.coordinator
        if coordinator.fault in ("kill-one", "kill-all") and sent < coordinator.killed_at + KILL_GRACE:
            raise InFlight()
        if coordinator.fault == "kill-all":
            raise Refused()
        fail(f"client {self.number}: {method} {path}: 502 from nginx while "
             f"{'PostgreSQL was stopped but every replica was up' if coordinator.fault == 'postgres' else 'every replica was up'}"
             f"{' (one had been killed ' + format(sent - coordinator.killed_at, '.1f') + ' s before it was sent)' if coordinator.fault == 'kill-one' else ''}")
        raise InFlight()

    def maybe_passed_on(self):
        """With --replicas, whether the last request was sent while a kill could have cut it off (nginx passes a
        DELETE on to the next replica after an error, even when the dead one had committed it)."""
        return REPLICAS and self.coordinator.fault in ("kill-one", "kill-all") and \
            self.sent < self.coordinator.killed_at + KILL_GRACE

    def observe_outage(self, method, path, response, answer, sent, received):
        """During a PostgreSQL stop: a 503 must carry `Retry-After` and raises ``Unavailable``; any other answer
        while PostgreSQL is down fails; a 2xx after it is back may be the first one (the recovery time)."""
        if self.coordinator.fault != "postgres":
            return
        outage = self.coordinator.outage
        if outage.stopping_at <= sent < outage.down_until:
            with outage.lock:
                outage.sent_while_down[response.status] = outage.sent_while_down.get(response.status, 0) + 1
                outage.longest_wait = max(outage.longest_wait, received - sent)
        if response.status == 503:
            retry_after = response.getheader("Retry-After", "")
            if not retry_after.isdigit() or int(retry_after) < 1:
                fail(f"client {self.number}: {method} {path}: 503 without a valid Retry-After ({retry_after!r})")
            with outage.lock:
                outage.unavailable += 1
                outage.unavailable_while_down += outage.is_down(received)
            raise Unavailable()
        if outage.is_down(received):
            fail(f"client {self.number}: {method} {path}: {response.status} while PostgreSQL was down, wanted 503: "
                 f"{json.dumps(answer)[:200]}")
        elif 200 <= response.status < 300:
            outage.note_success(received)

    # --- the loop ---

    def run(self):
        coordinator = self.coordinator
        while True:
            if not coordinator.running.is_set():
                self.parked = True
                coordinator.running.wait()
                self.parked = False
            if coordinator.finished:
                return
            before = copy.deepcopy(self.model)
            try:
                if self.probing:
                    self.probe()
                else:
                    self.step()
                self.operations += 1
            except Unavailable:
                self.operations += 1
                self.become_uncertain(before, answered_503=True)
            except InFlight:
                self.operations += 1
                coordinator.count("in flight at a kill (502 or a DELETE's 404)")
                if coordinator.fault == "kill-all":
                    self.pending = (self.pending_description, before, self.pending_after)
                    self.pending_answered_503 = False
                    self.park_until_resumed()
                else:
                    # One replica was killed: the client goes on through the others, sending only requests that
                    # change nothing until the check settles whether this one landed.
                    self.become_uncertain(before)
            except Refused:
                self.operations += 1
                coordinator.refused += 1  # sent while every replica was dead: it reached none
                self.model = before
                self.park_until_resumed()
            except (OSError, http.client.HTTPException) as error:
                if REPLICAS:
                    fail(f"client {self.number}: connection error to nginx, which stays up: {error!r}")
                    self.become_uncertain(before)
                    continue
                if coordinator.fault is None:
                    fail(f"client {self.number}: connection error while the server was up: {error!r}")
                    self.model = before
                    continue
                if coordinator.fault == "postgres":
                    # Roster stays up while PostgreSQL is down: it must answer every request within the lease and
                    # readiness deadlines (5 s), so no answer at all is a failure; a cut connection is counted and
                    # the request treated as in flight.
                    if isinstance(error, TimeoutError):
                        fail(f"client {self.number}: no answer within {REQUEST_TIMEOUT:.0f} s during the PostgreSQL "
                             f"stop ({self.pending_description if not self.probing else 'a request that changes nothing'})")
                    else:
                        with coordinator.outage.lock:
                            coordinator.outage.dropped += 1
                        print(f"client {self.number}: connection error during the PostgreSQL stop: {error!r}", flush=True)
                    self.become_uncertain(before)
                    continue
                if isinstance(error, ConnectionRefusedError):
                    coordinator.refused += 1  # sent after the kill: it never reached the server
                else:
                    # The request in flight at the kill: it may have landed or not, but only as a whole.
                    self.pending = (self.pending_description, before, self.pending_after)
                    self.pending_answered_503 = False
                self.park_until_resumed()

    def become_uncertain(self, before, answered_503=False):
        """The request just answered 503 (or cut off) in an outage may have landed whole or not at all; until the
        check settles which, the client sends only requests that change nothing."""
        if not self.probing:
            self.pending = (self.pending_description, before, self.pending_after)
            self.pending_answered_503 = answered_503 and self.pending_after.snapshot() != before.snapshot()
            self.probing = True

    def probe(self):
        """A request that changes nothing, on resources that exist whether or not the pending request landed: a GET
        of a user or group (200), or a PATCH that must fail with 409. During the outage they must get 503."""
        _, before, after = self.pending
        users = sorted(set(before.users) & set(after.users))
        groups = sorted(g for g in before.groups if g in after.groups and before.groups[g][0] == after.groups[g][0])
        choice = self.random.random()
        if choice < 0.3 and users:
            user_name = self.random.choice(users)
            status, answer = self.request("GET", f"/Users/{self.user_ids[user_name]}")
            self.expect(status, {200}, f"GET user {user_name}", answer)
        elif choice < 0.5 and groups:
            group = self.random.choice(groups)
            status, answer = self.request("GET", f"/Groups/{self.group_ids[group]}")
            self.expect(status, {200}, f"GET group {group}", answer)
        elif choice < 0.75 and len(users) >= 2:
            self.failing_user_patch(users)
        elif len(groups) >= 2 and users:
            self.failing_group_patch(groups, users)
        else:
            status, answer = self.request("GET", "/Users?count=1")
            self.expect(status, {200}, "GET /Users?count=1", answer)

    def park_until_resumed(self):
        self.parked = True
        while self.coordinator.running.is_set():
            time.sleep(0.01)  # the coordinator clears `running` right after the kill
        self.coordinator.running.wait()
        self.parked = False

    def expect(self, status, wanted, what, body):
        if status not in wanted:
            fail(f"client {self.number}: {what}: status {status}, wanted {sorted(wanted)}: {json.dumps(body)[:300]}")
            return False
        return True

    def intend(self, description, change):
        """Records what the model becomes if the next request lands, before sending it."""
        after = copy.deepcopy(self.model)
        change(after)
        self.pending_description = description
        self.pending_after = after
        return after

    def live_users(self):
        return sorted(self.model.users)

    def step(self):
        r = self.random
        users = self.live_users()
        groups = sorted(self.model.groups)
        if SHARED and len(users) >= 3 and r.random() < 0.15:
            return self.change_shared_group(users)
        choice = r.random()
        if choice < 0.22 or len(users) < 3:
            self.create_user()
        elif choice < 0.34:
            self.rename_user(r.choice(users))
        elif choice < 0.44:
            self.toggle_user(r.choice(users))
        elif choice < 0.47:
            self.delete_user(r.choice(users))
        elif choice < 0.53 or not groups:
            self.create_group(users)
        elif choice < 0.68:
            self.add_members(r.choice(groups), users)
        elif choice < 0.80:
            self.remove_member(r.choice(groups))
        elif choice < 0.85:
            self.rename_group(r.choice(groups))
        elif choice < 0.87:
            self.delete_group(r.choice(groups))
        elif choice < 0.93:
            self.failing_user_patch(users)
        else:
            self.failing_group_patch(groups, users)

    # --- users ---

    def create_user(self):
        self.counter += 1
        user_name = f"{self.prefix}u{self.counter}@crash.example"
        given = f"Given{self.counter}"
        body = {"schemas": [USER_SCHEMA], "userName": user_name, "name": {"givenName": given, "familyName": "Crash"},
                "emails": [{"primary": True, "value": user_name, "type": "work"}], "displayName": f"{given} Crash",
                "locale": "en-US", "externalId": f"{self.prefix}ext{self.counter}", "groups": [],
                "password": "Aa1!aaaaaaaa", "active": True}
        after = self.intend(f"POST /Users {user_name}", lambda m: m.users.__setitem__(user_name, (given, True)))
        status, answer = self.request("POST", "/Users", body)
        if self.expect(status, {201}, f"POST /Users {user_name}", answer):
            self.user_ids[user_name] = answer["id"]
            self.model = after

    def rename_user(self, user_name):
        self.counter += 1
        given = f"Renamed{self.counter}"
        active = self.model.users[user_name][1]
        body = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "name.givenName", "value": given}]}
        after = self.intend(f"PATCH givenName {user_name}", lambda m: m.users.__setitem__(user_name, (given, active)))
        status, answer = self.request("PATCH", f"/Users/{self.user_ids[user_name]}", body)
        if self.expect(status, {200, 204}, f"PATCH givenName {user_name}", answer):
            self.model = after

    def toggle_user(self, user_name):
        given, active = self.model.users[user_name]
        if self.random.random() < 0.5:  # Okta: a value object; Entra: a capitalised op and a "False" string
            operation = {"op": "replace", "value": {"active": not active}}
        else:
            operation = {"op": "Replace", "path": "active", "value": "True" if not active else "False"}
        body = {"schemas": [PATCH], "Operations": [operation]}
        after = self.intend(f"PATCH active={not active} {user_name}",
                            lambda m: m.users.__setitem__(user_name, (given, not active)))
        status, answer = self.request("PATCH", f"/Users/{self.user_ids[user_name]}", body)
        if self.expect(status, {200, 204}, f"PATCH active {user_name}", answer):
            self.model = after

    def delete_user(self, user_name):
        def change(m):
            del m.users[user_name]
            for key, (name, members) in list(m.groups.items()):
                m.groups[key] = (name, members - {user_name})
            m.shared = m.shared - {user_name}

        after = self.intend(f"DELETE user {user_name}", change)
        status, answer = self.request("DELETE", f"/Users/{self.user_ids[user_name]}")
        if status == 404 and self.maybe_passed_on():
            raise InFlight()
        if self.expect(status, {204}, f"DELETE user {user_name}", answer):
            self.model = after

    def failing_user_patch(self, users):
        """A name change then a userName another user has: 409, and the name change must not land."""
        if len(users) < 2:
            return self.create_user()
        target, taken = self.random.sample(users, 2)
        body = {"schemas": [PATCH], "Operations": [
            {"op": "replace", "path": "name.givenName", "value": "MustNotLand"},
            {"op": "replace", "path": "userName", "value": taken}]}
        self.intend(f"failing PATCH {target}", lambda m: None)
        status, answer = self.request("PATCH", f"/Users/{self.user_ids[target]}", body)
        self.expect(status, {409}, f"PATCH userName to a taken one ({target})", answer)

    # --- groups ---

    def free_group_name(self, exclude=None):
        used = {name for name, _ in self.model.groups.values()}
        free = [name for name in GROUP_NAMES if self.prefix + name not in used and self.prefix + name != exclude]
        return self.prefix + self.random.choice(free) if free else None

    def create_group(self, users):
        name = self.free_group_name()
        if name is None:
            return self.add_members(self.random.choice(sorted(self.model.groups)), users)
        self.counter += 1
        external_id = f"{self.prefix}grp{self.counter}"
        members = self.random.sample(users, min(len(users), self.random.randint(0, 3)))
        body = {"schemas": [GROUP_SCHEMA], "displayName": name, "externalId": external_id,
                "members": [{"value": self.user_ids[u], "display": u} for u in members]}
        after = self.intend(f"POST /Groups {name}",
                            lambda m: m.groups.__setitem__(external_id, (name, frozenset(members))))
        status, answer = self.request("POST", "/Groups", body)
        if self.expect(status, {201}, f"POST /Groups {name}", answer):
            self.group_ids[external_id] = answer["id"]
            self.model = after

    def add_members(self, group, users):
        name, members = self.model.groups[group]
        added = self.random.sample(users, min(len(users), self.random.randint(1, 3)))
        body = {"schemas": [PATCH], "Operations": [
            {"op": "add", "path": "members", "value": [{"value": self.user_ids[u], "display": u} for u in added]}]}
        after = self.intend(f"PATCH add members {name}",
                            lambda m: m.groups.__setitem__(group, (name, members | frozenset(added))))
        status, answer = self.request("PATCH", f"/Groups/{self.group_ids[group]}", body)
        if self.expect(status, {200, 204}, f"PATCH add members to {name}", answer):
            self.model = after

    def remove_member(self, group):
        name, members = self.model.groups[group]
        if not members:
            return self.add_members(group, self.live_users())
        removed = self.random.choice(sorted(members))
        member_id = self.user_ids[removed]
        shape = self.random.randrange(3)
        if shape == 0:  # Okta: a filter in the path
            operation = {"op": "remove", "path": f'members[value eq "{member_id}"]'}
        elif shape == 1:  # Entra: a capitalised op and the member in the value
            operation = {"op": "Remove", "path": "members", "value": [{"value": member_id}]}
        else:  # OneLogin and others: replace the whole member list
            rest = sorted(members - {removed})
            operation = {"op": "replace", "path": "members", "value": [{"value": self.user_ids[u]} for u in rest]}
        body = {"schemas": [PATCH], "Operations": [operation]}
        after = self.intend(f"PATCH remove {removed} from {name}",
                            lambda m: m.groups.__setitem__(group, (name, members - {removed})))
        status, answer = self.request("PATCH", f"/Groups/{self.group_ids[group]}", body)
        if self.expect(status, {200, 204}, f"PATCH remove member from {name}", answer):
            self.model = after

    def rename_group(self, group):
        name, members = self.model.groups[group]
        new_name = self.free_group_name(exclude=name)
        if new_name is None:
            return
        body = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "displayName", "value": new_name}]}
        after = self.intend(f"PATCH rename {name} to {new_name}",
                            lambda m: m.groups.__setitem__(group, (new_name, members)))
        status, answer = self.request("PATCH", f"/Groups/{self.group_ids[group]}", body)
        if self.expect(status, {200, 204}, f"PATCH rename {name}", answer):
            self.model = after

    def delete_group(self, group):
        name, _ = self.model.groups[group]
        after = self.intend(f"DELETE group {name}", lambda m: m.groups.__delitem__(group))
        status, answer = self.request("DELETE", f"/Groups/{self.group_ids[group]}")
        if status == 404 and self.maybe_passed_on():
            raise InFlight()
        if self.expect(status, {204}, f"DELETE group {name}", answer):
            self.model = after

    def change_shared_group(self, users):
        """With --replicas: adds some of this client's users to the shared group, or removes one of them (Okta's
        filter or Entra's value form; never a replace of the member list, which would take the others' users out)."""
        inside = sorted(self.model.shared)
        outside = [u for u in users if u not in self.model.shared]
        group_id = self.coordinator.shared_group_id
        if inside and (not outside or self.random.random() < 0.45):
            removed = self.random.choice(inside)
            member_id = self.user_ids[removed]
            if self.random.random() < 0.5:
                operation = {"op": "remove", "path": f'members[value eq "{member_id}"]'}
            else:
                operation = {"op": "Remove", "path": "members", "value": [{"value": member_id}]}
            description = f"PATCH remove {removed} from the shared group"
            after = self.intend(description, lambda m: setattr(m, "shared", m.shared - {removed}))
        else:
            added = self.random.sample(outside, min(len(outside), self.random.randint(1, 2)))
            operation = {"op": "add", "path": "members", "value": [{"value": self.user_ids[u]} for u in added]}
            description = f"PATCH add {', '.join(added)} to the shared group"
            after = self.intend(description, lambda m: setattr(m, "shared", m.shared | frozenset(added)))
        body = {"schemas": [PATCH], "Operations": [operation]}
        status, answer = self.request("PATCH", f"/Groups/{group_id}", body)
        if self.expect(status, {200, 204}, description, answer):
            self.model = after

    def failing_group_patch(self, groups, users):
        """A member add then a displayName another group has: 409, and the member add must not land."""
        if len(groups) < 2 or not users:
            return self.create_group(users)
        target, other = self.random.sample(groups, 2)
        taken = self.model.groups[other][0]
        newcomer = self.random.choice(users)
        body = {"schemas": [PATCH], "Operations": [
            {"op": "add", "path": "members", "value": [{"value": self.user_ids[newcomer]}]},
            {"op": "replace", "path": "displayName", "value": taken}]}
        self.intend(f"failing group PATCH {target}", lambda m: None)
        status, answer = self.request("PATCH", f"/Groups/{self.group_ids[target]}", body)
        self.expect(status, {409}, f"PATCH group displayName to a taken one ({target})", answer)


class Coordinator:
    """Runs the clients, injects the faults (kills and restarts the server, stops and starts PostgreSQL), and checks
    the store after each."""

    def __init__(self):
        if REPLICAS:
            self.pids = cluster.Pids(os.path.join(WORK, "pids"))
            ports = [free_port() for _ in range(REPLICAS)]
            with open(OPTIONS.nginx_config, encoding="utf-8") as template:
                self.nginx = cluster.Nginx(OPTIONS.nginx, template.read(), ports, os.path.join(WORK, "nginx"), self.pids)
            self.replicas = [cluster.Replica(ROSTER, number, port, DATABASE.url, self.nginx.url,
                                             os.path.join(WORK, f"replica-{number}.log"), self.pids)
                             for number, port in enumerate(ports, 1)]
            self.server = None
            self.entry_port = self.nginx.port
        else:
            self.server = Server(free_port())
            self.entry_port = self.server.port
        self.running = threading.Event()
        self.fault = None  # "kill", "kill-one", "kill-all" or "postgres" while one is under way
        self.killed_at = float("inf")  # with --replicas: when the replicas of the fault under way were dead
        self.shared_group_id = None
        self.started_at = self.restarted_at = float("inf")
        self.lock = threading.Lock()
        self.counts = {}  # with --replicas: what the clients saw during the kills, for the summary
        self.outage = Outage()
        self.finished = False
        self.checks = 0
        self.generation = 0  # how many times the server has been started
        self.landed = self.lost = 0  # requests in flight at a fault that did / did not land
        self.landed_after_503 = 0  # changes answered 503 in an outage that had committed all the same
        self.refused = 0  # requests sent after a kill, which never reached the server
        self.recoveries = {"kill": [], "postgres": []}  # seconds until service, per fault

    def setup(self):
        DATABASE.prepare()
        created = json.loads(cli("directory", "create", "--name", "crash", "--provider", "okta", "--json",
                                 "--base-url", f"http://127.0.0.1:{self.entry_port}"))
        self.directory, self.token = created["id"], created["token"]
        self.base = f"/api/scim/v2.0/{self.directory}"
        for team in sorted({team for teams in MAPPED.values() for team in teams}):
            cli("team", "create", team)
        for group, teams in MAPPED.items():
            for team in teams:
                for number in range(CLIENTS):
                    cli("team", "map", team, f"c{number}.{group}", "--directory", self.directory)
        if SHARED:
            for team in SHARED_TEAMS:
                if team not in {team for teams in MAPPED.values() for team in teams}:
                    cli("team", "create", team)
                cli("team", "map", team, SHARED, "--directory", self.directory)

    def start_replicas(self):
        """Starts every replica at the same moment and nginx, then makes the shared group through nginx."""
        ready = cluster.start_all(self.replicas)
        self.nginx.start()
        print(f"{REPLICAS} replicas started at once, all ready in {ready:.2f} s, behind nginx on port "
              f"{self.nginx.port} (replica ports {', '.join(str(r.port) for r in self.replicas)})", flush=True)
        connection = http.client.HTTPConnection("127.0.0.1", self.entry_port, timeout=30)
        body = {"schemas": [GROUP_SCHEMA], "displayName": SHARED, "externalId": SHARED, "members": []}
        connection.request("POST", f"{self.base}/Groups", body=json.dumps(body),
                           headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/scim+json"})
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        if response.status != 201:
            raise SystemExit(f"POST /Groups {SHARED} through nginx: {response.status} {answer[:300]!r}")
        self.shared_group_id = json.loads(answer)["id"]

    def stop_processes(self):
        if REPLICAS:
            self.nginx.stop()
            for replica in self.replicas:
                replica.stop()
        else:
            self.server.stop()

    def count(self, what):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def note_answer(self, sent, status):
        """With --replicas: the statuses of requests sent while a replica was dead, for the summary."""
        if self.fault == "kill-one" and self.killed_at <= sent < self.restarted_at:
            self.count("2xx" if 200 <= status < 300 else str(status))

    def run(self):
        self.setup()
        if REPLICAS:
            self.start_replicas()
        else:
            self.server.start()
        self.clients = [Client(number, self) for number in range(CLIENTS)]
        for client in self.clients:
            client.start()
        rng = random.Random(SEED)
        if REPLICAS:
            faults = ["kill-one"] * KILLS + ["kill-all"] + ["postgres"] * STOPS
        else:
            faults = ["kill"] * KILLS + ["postgres"] * STOPS
            random.Random(SEED + 1).shuffle(faults)
        self.started_at = time.time()
        for number, fault in enumerate(faults, 1):
            self.fault = None
            self.running.set()
            run_for = rng.uniform(0.4, 2.5)
            if SABOTAGE == "rewind" and fault == "kill":
                time.sleep(run_for / 2)
                DATABASE.save()
                saved_at = [client.operations for client in self.clients]
                time.sleep(run_for / 2)
                # The self-check must have something to find: every client gets a few more answers after the copy,
                # however slow the machine (a debug build on a busy CI machine answered 166 requests in 4 s, and
                # once the check then found nothing lost).
                deadline = time.time() + 20
                while time.time() < deadline and any(c.operations - n < 3 for c, n in zip(self.clients, saved_at)):
                    time.sleep(0.05)
            else:
                time.sleep(run_for)
            if fault == "kill":
                summary = self.kill_server()
            elif fault == "kill-one":
                summary = self.kill_one_replica(rng)
            elif fault == "kill-all":
                summary = self.kill_all_replicas()
            else:
                summary = self.stop_postgres(rng)
            self.verify(f"{number}/{len(faults)}", summary)
            for client in self.clients:
                client.probing = False
        self.finished = True
        self.running.set()
        if REPLICAS:
            self.check_balanced()
        self.stop_processes()

    def kill_one_replica(self, rng):
        """`kill -9` of one replica while the clients go on through nginx; restarted 2 to 4 s later, then the clients
        go on one more second with every replica up."""
        victim = self.replicas[rng.randrange(len(self.replicas))]
        with self.lock:
            self.counts = {}
        self.restarted_at = self.killed_at = float("inf")  # until it is dead, every 502 is a request in flight
        self.fault = "kill-one"
        victim.kill()
        self.killed_at = time.time()
        time.sleep(rng.uniform(2.0, 4.0))
        self.restarted_at = time.time()
        down = self.restarted_at - self.killed_at
        victim.start()
        ready = time.time() - self.restarted_at
        self.recoveries["kill"].append(ready)
        time.sleep(1.0)
        self.running.clear()
        self.wait_for_parked_clients()
        with self.lock:
            counts = dict(self.counts)
        in_flight = counts.pop("in flight at a kill (502 or a DELETE's 404)", 0)
        answers = ", ".join(f"{count}x {status}" for status, count in sorted(counts.items()))
        return (f"{victim.name} (port {victim.port}) killed (kill -9) while the clients went on, restarted {down:.1f} s "
                f"later, /readyz 200 {ready:.2f} s after that; requests sent through nginx while it was down answered "
                f"{answers or 'none'}; {in_flight} in flight at the kill")

    def kill_all_replicas(self):
        """`kill -9` of every replica at once; all restarted at once once the clients have stopped."""
        self.restarted_at = self.killed_at = float("inf")  # until all are dead, every 502 is a request in flight
        self.fault = "kill-all"
        for replica in self.replicas:
            os.kill(replica.pid, signal.SIGKILL)
        for replica in self.replicas:
            replica.kill()
        self.killed_at = time.time()
        self.running.clear()
        self.wait_for_parked_clients()
        self.generation += 1
        ready = cluster.start_all(self.replicas)
        self.recoveries["kill"].append(ready)
        return (f"all {REPLICAS} replicas killed (kill -9) at once and restarted at once; every /readyz 200 {ready:.2f} s "
                f"after the restart; {self.refused} requests so far got nginx's 502 while no replica ran")

    def check_balanced(self):
        """nginx sent the clients' SCIM requests to every replica (round-robin)."""
        self.checks += 1
        counts = self.nginx.upstream_counts(self.started_at, "/api/scim/")
        total = sum(counts.values())
        spread = ", ".join(f"{replica.name} {counts[replica.port]}" for replica in self.replicas)
        print(f"SCIM requests each replica answered through nginx: {spread}", flush=True)
        if total == 0 or min(counts.values()) < total / (len(counts) * 4):
            fail(f"nginx did not spread the clients' requests over the replicas: {spread}")

    def kill_server(self):
        """`kill -9` of roster serve, then a restart on the same store; the restart's time until /readyz is 200."""
        self.fault = "kill"
        self.server.kill()
        self.running.clear()
        self.wait_for_parked_clients()
        self.generation += 1
        if SABOTAGE == "rewind":
            # The suite's own check that it can fail: the store rewound to a moment before the kill has lost
            # commits that were acknowledged.
            DATABASE.rewind()
        started = time.time()
        self.server.start()
        ready = time.time() - started
        self.recoveries["kill"].append(ready)
        return f"roster serve killed (kill -9) and restarted; /readyz 200 {ready:.2f} s after the restart"

    def stop_postgres(self, rng):
        """PostgreSQL stopped at once while the clients send, down for 2 to 4 s, started again; Roster must answer
        503s meanwhile and serve again within RECOVERY_LIMIT of PostgreSQL accepting connections."""
        down_for = rng.uniform(2.0, 4.0)
        self.outage = outage = Outage()
        self.fault = "postgres"
        outage.stopping_at = time.time()
        CLUSTER.stop_immediately()
        stopped = time.time()
        outage.down_from = stopped + STOP_GRACE
        readiness = self.check_readiness_while_down()
        time.sleep(max(0.0, stopped + down_for - time.time()))
        outage.down_until = time.time()
        down = outage.down_until - stopped
        accepting = CLUSTER.start()
        with outage.lock:
            outage.accepting_at = accepting
        recovered, ready = self.wait_for_recovery(outage)
        every_replica = ""
        if REPLICAS:
            # Each replica recovers by itself: its own /readyz, not just the one nginx happened to ask.
            self.checks += 1
            for replica in self.replicas:
                replica.wait_ready()
            all_ready = time.time() - outage.accepting_at
            every_replica = f", every replica's own /readyz 200 after {all_ready:.2f} s"
            if all_ready > RECOVERY_LIMIT:
                fail(f"not every replica was ready within {RECOVERY_LIMIT:.0f} s of PostgreSQL accepting connections "
                     f"({all_ready:.2f} s)")
        self.running.clear()
        self.wait_for_parked_clients()
        self.recoveries["postgres"].append(recovered)
        self.checks += 1
        if recovered > RECOVERY_LIMIT:
            fail(f"the first SCIM 2xx came {recovered:.2f} s after PostgreSQL accepted connections, over "
                 f"{RECOVERY_LIMIT:.0f} s")
        sent_while_down = ", ".join(f"{count}x {status}" for status, count in sorted(outage.sent_while_down.items()))
        return (f"PostgreSQL stopped (-m immediate), down {down:.1f} s; first SCIM 2xx {recovered:.2f} s after it "
                f"accepted connections again (limit {RECOVERY_LIMIT:.0f} s), /readyz 200 after {ready:.2f} s{every_replica}\n"
                f"  meanwhile: /readyz 503 \"{readiness}\"; {outage.unavailable} SCIM answers 503 with Retry-After "
                f"({outage.unavailable_while_down} while it was down, no other status then); requests sent from the "
                f"stop to the start answered {sent_while_down or 'none'} (longest wait {outage.longest_wait:.1f} s); "
                f"{outage.dropped} dropped connections")

    def check_readiness_while_down(self):
        """/readyz while PostgreSQL is down: 503, `"status": "unavailable"` and the reason; returns the reason."""
        self.checks += 1
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.entry_port, timeout=30)
            connection.request("GET", "/readyz")
            response = connection.getresponse()
            data = response.read()
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            fail(f"/readyz while PostgreSQL was down: {error!r}")
            return ""
        try:
            body = json.loads(data)
        except ValueError:
            body = {}
        detail = body.get("detail", "") if isinstance(body, dict) else ""
        if response.status != 503 or body.get("status") != "unavailable" or not detail:
            fail(f"/readyz while PostgreSQL was down: {response.status} {data[:200]!r}, wanted 503 with a reason")
        return detail

    def wait_for_recovery(self, outage):
        """Sends a GET /Users every 0.1 s (each on its own connection, so a slow one does not hold back the next)
        until one answers 2xx, while the clients go on; returns the seconds from PostgreSQL accepting connections to
        the first 2xx any of them got, and to the first /readyz 200 after it."""
        headers = {"Authorization": f"Bearer {self.token}"}

        def probe():
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.entry_port, timeout=30)
                connection.request("GET", f"{self.base}/Users?count=1", headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
            except (OSError, http.client.HTTPException) as error:
                fail(f"GET /Users after PostgreSQL came back: {error!r}")
                return
            if 200 <= response.status < 300:
                outage.note_success(time.time())
            elif response.status != 503:
                fail(f"GET /Users after PostgreSQL came back: {response.status}, wanted 503 or 200")

        deadline = outage.accepting_at + 60
        probes = []
        while outage.first_success == float("inf"):
            if time.time() > deadline:
                raise SystemExit("no SCIM request succeeded within 60 s of PostgreSQL accepting connections")
            probes = [thread for thread in probes if thread.is_alive()]
            if len(probes) < 50:
                thread = threading.Thread(target=probe, daemon=True)
                thread.start()
                probes.append(thread)
            time.sleep(0.1)
        for thread in probes:
            thread.join()
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", self.entry_port, timeout=30)
            connection.request("GET", "/readyz")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                break
            if time.time() > deadline:
                raise SystemExit("/readyz did not answer 200 within 60 s of PostgreSQL accepting connections")
            time.sleep(0.05)
        return outage.first_success - outage.accepting_at, time.time() - outage.accepting_at

    def wait_for_parked_clients(self):
        deadline = time.time() + 60
        while not all(client.parked for client in self.clients):
            if time.time() > deadline:
                raise SystemExit("clients did not stop within 60 s of the fault")
            time.sleep(0.01)

    # --- checks ---

    def verify(self, label, summary):
        before = len(failures)
        snapshot = DATABASE.snapshot(self.directory)
        self.check_soundness()
        self.check_clients(snapshot)
        self.check_group_events(snapshot)
        self.check_teams(snapshot)
        self.check_served()
        operations = sum(client.operations for client in self.clients)
        status = "ok" if len(failures) == before else "FAILED"
        print(f"fault {label}: {summary}", flush=True)
        answered_503 = f" ({self.landed_after_503} of them answered 503)" if STOPS else ""
        shared = ""
        if SHARED:
            parts = [len(client.model.shared) for client in self.clients]
            shared = f"; the shared group holds {sum(parts)} users of {sum(1 for part in parts if part)} clients"
        print(f"  checks {status}; {operations} answered requests so far; in flight at the faults: {self.landed} "
              f"landed whole{answered_503}, {self.lost} not at all ({self.refused} more refused); "
              f"{snapshot['total_users']} users, {snapshot['total_events']} events{shared}", flush=True)

    def check_soundness(self):
        problems, checks = DATABASE.soundness_problems()
        self.checks += checks
        for problem in problems:
            fail(f"{DATABASE.describe()}: {problem}")

    def client_state(self, snapshot, client):
        prefix = client.prefix
        users = {}
        names_by_row = {}
        for row, user_id, user_name, _, document in snapshot["users"]:
            names_by_row[row] = user_name
            if not user_name.startswith(prefix):
                continue
            attributes = json.loads(document)
            users[user_name] = (attributes.get("name", {}).get("givenName"), attributes.get("active"))
            client.user_ids.setdefault(user_name, user_id)
        members_by_group = {}
        for group_row, user_row in snapshot["members"]:
            members_by_group.setdefault(group_row, set()).add(names_by_row.get(user_row))
        groups = {}
        shared = frozenset()
        for row, group_id, external_id, name in snapshot["groups"]:
            if SHARED and external_id == SHARED:
                shared = frozenset(n for n in members_by_group.get(row, ()) if n and n.startswith(prefix))
            if not (external_id or "").startswith(prefix):
                continue
            groups[external_id] = (name, frozenset(members_by_group.get(row, ())))
            client.group_ids.setdefault(external_id, group_id)
        return users, groups, shared

    def check_clients(self, snapshot):
        for client in self.clients:
            self.checks += 1
            actual = self.client_state(snapshot, client)
            acknowledged = client.model.snapshot()
            if client.pending:
                description, before, after = client.pending
                answered_503, client.pending, client.pending_answered_503 = client.pending_answered_503, None, False
                if actual == after.snapshot():
                    client.model = after
                    self.landed += 1
                    self.landed_after_503 += answered_503
                    continue
                if actual == before.snapshot():
                    client.model = before
                    self.lost += 1
                    continue
                fail(f"client {client.number}: the store is neither what was acknowledged nor that plus the request in "
                     f"flight at the fault ({description}), so something acknowledged was lost or something "
                     f"half-applied: {difference(actual, before.snapshot())}")
                client.model = model_from(actual)
            elif actual != acknowledged:
                fail(f"client {client.number}: the store differs from what was acknowledged: "
                     f"{difference(actual, acknowledged)}")
                client.model = model_from(actual)

    def check_group_events(self, snapshot):
        self.checks += 1
        replayed = {}
        for kind, resource_id, data in snapshot["events"]:
            if kind not in ("group.member_added", "group.member_removed", "group.deleted"):
                continue
            members = replayed.setdefault(resource_id, set())
            if kind == "group.deleted":
                members.clear()
            elif kind == "group.member_added":
                members.add(json.loads(data)["user"]["id"])
            else:
                members.discard(json.loads(data)["user"]["id"])
        ids_by_row = {row: user_id for row, user_id, _, _, _ in snapshot["users"]}
        group_ids = {row: group_id for row, group_id, _, _ in snapshot["groups"]}
        stored = {}
        for group_row, user_row in snapshot["members"]:
            stored.setdefault(group_ids[group_row], set()).add(ids_by_row.get(user_row))
        replayed = {group: members for group, members in replayed.items() if members}
        if replayed != stored:
            wrong = sorted(set(replayed) ^ set(stored) | {g for g in replayed if g in stored and replayed[g] != stored[g]})
            fail(f"group events do not replay to the member rows for {len(wrong)} groups, e.g. {wrong[:3]}")

    def check_teams(self, snapshot):
        self.checks += 1
        members_by_group = {}
        for group_row, user_row in snapshot["members"]:
            members_by_group.setdefault(group_row, set()).add(user_row)
        users = {row: (user_id, active) for row, user_id, _, active, _ in snapshot["users"]}
        for slug, team_id in snapshot["teams"]:
            rows = [(user_row, source) for team, user_row, source in snapshot["team_rows"] if team == team_id]
            for group_row, _, _, name in snapshot["groups"]:
                members = members_by_group.get(group_row, set())
                sourced = {user_row for user_row, source in rows if source == group_row}
                mapped = slug in (SHARED_TEAMS if SHARED and name == SHARED else MAPPED.get(name.split(".", 1)[-1], []))
                wanted = members if mapped else set()
                if sourced != wanted:
                    fail(f"team {slug}: rows sourced by group {name} are {len(sourced)}, the group has "
                         f"{len(members)} members (mapped: {mapped})")
            holders = {users[user_row][0] for user_row, _ in rows if user_row in users and users[user_row][1]}
            replayed = set()
            for kind, resource_id, data in snapshot["events"]:
                if resource_id != team_id or kind not in ("team.member_added", "team.member_removed"):
                    continue
                user = json.loads(data)["user"]["id"]
                if kind == "team.member_added":
                    if user in replayed:
                        fail(f"team {slug}: user {user} added twice without a removal between")
                    replayed.add(user)
                else:
                    replayed.discard(user)
            if replayed != holders:
                fail(f"team {slug}: events replay to {len(replayed)} members, the team holds {len(holders)} active "
                     f"users ({len(replayed ^ holders)} differ)")

    def check_served(self):
        """The restarted server answers for the clients' resources over SCIM."""
        connection = http.client.HTTPConnection("127.0.0.1", self.entry_port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}"}
        for client in self.clients:
            for user_name in list(client.model.users)[-3:]:
                self.checks += 1
                connection.request("GET", f"{self.base}/Users/{client.user_ids[user_name]}", headers=headers)
                response = connection.getresponse()
                body = json.loads(response.read() or b"null")
                given, active = client.model.users[user_name]
                if response.status != 200 or body["name"]["givenName"] != given or body["active"] != active:
                    fail(f"GET user {user_name} after restart: {response.status} {json.dumps(body)[:200]}")
            for external_id in list(client.model.groups)[-2:]:
                self.checks += 1
                connection.request("GET", f"{self.base}/Groups/{client.group_ids[external_id]}", headers=headers)
                response = connection.getresponse()
                body = json.loads(response.read() or b"null")
                name, members = client.model.groups[external_id]
                served = {member.get("value") for member in body.get("members", [])} if response.status == 200 else None
                if response.status != 200 or body["displayName"] != name or served != {client.user_ids[u] for u in members}:
                    fail(f"GET group {name} after restart: {response.status} {json.dumps(body)[:200]}")
        if SHARED:
            self.checks += 1
            connection.request("GET", f"{self.base}/Groups/{self.shared_group_id}", headers=headers)
            response = connection.getresponse()
            body = json.loads(response.read() or b"null")
            wanted = {client.user_ids[u] for client in self.clients for u in client.model.shared}
            served = {member.get("value") for member in body.get("members", [])} if response.status == 200 else None
            if served != wanted:
                fail(f"GET the shared group: {response.status}, {len(served or ())} members, wanted the union of the "
                     f"clients' parts ({len(wanted)}): {len((served or set()) ^ wanted)} differ")
        connection.close()


def model_from(state):
    model = Model()
    model.users, model.groups, model.shared = dict(state[0]), dict(state[1]), state[2]
    return model


def difference(actual, wanted):
    lines = []
    for label, a, w in (("user", actual[0], wanted[0]), ("group", actual[1], wanted[1])):
        for key in sorted(set(a) | set(w)):
            if a.get(key) != w.get(key):
                lines.append(f"{label} {key}: stored {a.get(key)}, wanted {w.get(key)}")
    if actual[2] != wanted[2]:
        lines.append(f"shared group: stored {sorted(actual[2])}, wanted {sorted(wanted[2])}")
    return "; ".join(lines[:4]) + (f" (and {len(lines) - 4} more)" if len(lines) > 4 else "")


def main():
    stops = f", {STOPS} immediate PostgreSQL stops" if STOPS else ""
    if REPLICAS:
        print(f"crash consistency on {DATABASE.describe()} with {REPLICAS} replicas behind nginx: {KILLS} "
              f"kill{'s' if KILLS != 1 else ''} of one replica, 1 kill of all{stops}, {CLIENTS} clients and a shared group, seed {SEED}", flush=True)
    else:
        print(f"crash consistency on {DATABASE.describe()}: {KILLS} kills{stops}, {CLIENTS} clients, seed {SEED}",
              flush=True)
    coordinator = Coordinator()
    started = time.time()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))  # so that `finally` runs
    try:
        coordinator.run()
    finally:
        coordinator.stop_processes()
        if CLUSTER:
            CLUSTER.ensure_running()
    operations = sum(client.operations for client in coordinator.clients)
    for fault, label in (("kill", "after the kills, the restarted " + ("replicas" if REPLICAS else "roster serve") +
                          " ready in"),
                         ("postgres", "after the PostgreSQL stops, first SCIM 2xx after PostgreSQL accepted connections in")):
        if coordinator.recoveries[fault]:
            times = ", ".join(f"{seconds:.2f}" for seconds in coordinator.recoveries[fault])
            print(f"{label}: {times} s (max {max(coordinator.recoveries[fault]):.2f} s)")
    print(f"{operations} answered requests in {time.time() - started:.0f} s; "
          f"{coordinator.checks - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
