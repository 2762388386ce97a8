#!/usr/bin/env python3
"""Crash consistency: `kill -9` a live `roster serve` under load, restart it, and check that nothing was lost or
half-applied (standard library only).

Usage: consistency.py ROSTER_BINARY WORK_DIR KILLS [SEED]

Sets up one directory and four teams mapped to group names (with the `roster` CLI), starts `roster serve` on a SQLite
file in WORK_DIR, and runs 8 concurrent SCIM clients that send Okta's and Entra's request shapes: user creates,
name changes, deactivations and reactivations, deletions; group creates with members, member adds, the three ways to
remove members, renames between mapped and unmapped names, deletions; and PATCHes that must fail with 409 after an
earlier operation in the same request already succeeded in memory. Each client owns its own users and groups, so it
knows exactly what the store must hold after every answer.

KILLS times, at a random moment while the clients run, the server gets SIGKILL; then it is restarted on the same file
and port and checked before the clients go on:
- every change that got a 2xx is in the store, and every change that got an error is not there at all (the one
  request per client that was in flight at the kill may have landed or not, but only as a whole);
- `PRAGMA integrity_check` is `ok` and `PRAGMA foreign_key_check` is empty;
- replaying the outbox's `group.member_added` / `group.member_removed` / `group.deleted` events gives exactly each
  group's member rows;
- every team's rows sourced by a group are exactly that group's members when the team is mapped to the group's
  current name, and none otherwise; replaying `team.member_added` / `team.member_removed` gives exactly the active
  users the team holds;
- the restarted server serves the clients' resources over SCIM.
Any 5xx, unexpected status or connection error while the server is up is a failure too. Prints one line per kill and
`N passed, N failed`; exits 1 on any failure.
"""
import copy
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

ROSTER, WORK, KILLS = sys.argv[1], sys.argv[2], int(sys.argv[3])
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else random.randrange(1 << 30)
CLIENTS = 8
SABOTAGE = os.environ.get("ROSTER_CRASH_SABOTAGE", "")
DATABASE_FILE = os.path.join(WORK, "roster.sqlite")
DATABASE = "sqlite:" + DATABASE_FILE
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
# Group names a client gives its groups: g0..g2 are mapped to teams (g0 to two teams), g3..g5 to none.
MAPPED = {"g0": ["all-mapped", "team-g0"], "g1": ["team-g1"], "g2": ["team-g2"]}
GROUP_NAMES = ["g0", "g1", "g2", "g3", "g4", "g5"]

failures = []
failures_lock = threading.Lock()


def fail(message):
    with failures_lock:
        failures.append(message)
    print(f"FAIL {message}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cli(*arguments):
    result = subprocess.run([ROSTER, *arguments, "--database-url", DATABASE], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"roster {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout


class Server:
    """One `roster serve` process on a fixed port and the SQLite file."""

    def __init__(self, port):
        self.port = port
        self.process = None
        self.log = open(os.path.join(WORK, "server.log"), "ab")

    def start(self):
        base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [ROSTER, "serve", "--database-url", DATABASE, "--host", "127.0.0.1", "--port", str(self.port),
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


class Model:
    """What one client knows the store holds: users by userName -> (givenName, active), groups by externalId ->
    (displayName, frozenset of member userNames)."""

    def __init__(self):
        self.users = {}
        self.groups = {}

    def snapshot(self):
        return (dict(self.users), dict(self.groups))


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
        self.pending = None  # (description, model before, model after) of the request in flight at a kill
        self.pending_description, self.pending_after = "", None
        self.connection = None
        self.connection_generation = 0
        self.operations = 0
        self.parked = False

    # --- HTTP ---

    def request(self, method, path, body=None):
        if self.connection is not None and self.connection_generation != self.coordinator.generation:
            self.connection.close()  # opened to a server that has since been killed
            self.connection = None
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.coordinator.server.port, timeout=30)
            self.connection_generation = self.coordinator.generation
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.coordinator.token}", "Content-Type": "application/scim+json"}
        try:
            self.connection.request(method, self.coordinator.base + path, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        return response.status, (json.loads(data) if data else None)

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
                self.step()
                self.operations += 1
            except (OSError, http.client.HTTPException) as error:
                if not coordinator.killing:
                    fail(f"client {self.number}: connection error while the server was up: {error!r}")
                    self.model = before
                    continue
                if isinstance(error, ConnectionRefusedError):
                    coordinator.refused += 1  # sent after the kill: it never reached the server
                else:
                    # The request in flight at the kill: it may have landed or not, but only as a whole.
                    self.pending = (self.pending_description, before, self.pending_after)
                self.park_until_resumed()

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

        after = self.intend(f"DELETE user {user_name}", change)
        status, answer = self.request("DELETE", f"/Users/{self.user_ids[user_name]}")
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
        if self.expect(status, {204}, f"DELETE group {name}", answer):
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
    """Runs the clients, kills and restarts the server, and checks the store after each restart."""

    def __init__(self):
        self.server = Server(free_port())
        self.running = threading.Event()
        self.killing = False
        self.finished = False
        self.checks = 0
        self.generation = 0  # how many times the server has been started
        self.landed = self.lost = 0  # requests in flight at a kill that did / did not land
        self.refused = 0  # requests sent after a kill, which never reached the server

    def setup(self):
        created = json.loads(cli("directory", "create", "--name", "crash", "--provider", "okta", "--json",
                                 "--base-url", f"http://127.0.0.1:{self.server.port}"))
        self.directory, self.token = created["id"], created["token"]
        self.base = f"/api/scim/v2.0/{self.directory}"
        for team in sorted({team for teams in MAPPED.values() for team in teams}):
            cli("team", "create", team)
        for group, teams in MAPPED.items():
            for team in teams:
                for number in range(CLIENTS):
                    cli("team", "map", team, f"c{number}.{group}", "--directory", self.directory)

    def run(self):
        self.setup()
        self.server.start()
        self.clients = [Client(number, self) for number in range(CLIENTS)]
        for client in self.clients:
            client.start()
        rng = random.Random(SEED)
        for kill in range(1, KILLS + 1):
            self.killing = False
            self.running.set()
            run_for = rng.uniform(0.4, 2.5)
            if SABOTAGE == "rewind":
                time.sleep(run_for / 2)
                snapshot = os.path.join(WORK, "snapshot.sqlite")
                with sqlite3.connect(f"file:{DATABASE_FILE}?mode=ro", uri=True) as source, sqlite3.connect(snapshot) as copy:
                    source.backup(copy)
                time.sleep(run_for / 2)
            else:
                time.sleep(run_for)
            self.killing = True
            self.server.kill()
            self.running.clear()
            self.wait_for_parked_clients()
            self.generation += 1
            if SABOTAGE == "rewind":
                # The suite's own check that it can fail: the store rewound to a moment before the kill has lost
                # commits that were acknowledged.
                for suffix in ("-wal", "-shm"):
                    if os.path.exists(DATABASE_FILE + suffix):
                        os.remove(DATABASE_FILE + suffix)
                os.replace(snapshot, DATABASE_FILE)
            self.server.start()
            self.verify(kill)
        self.finished = True
        self.running.set()
        self.server.stop()

    def wait_for_parked_clients(self):
        deadline = time.time() + 60
        while not all(client.parked for client in self.clients):
            if time.time() > deadline:
                raise SystemExit("clients did not stop within 60 s of the kill")
            time.sleep(0.01)

    # --- checks ---

    def verify(self, kill):
        database = sqlite3.connect(f"file:{DATABASE_FILE}?mode=ro", uri=True)
        try:
            before = len(failures)
            self.check_integrity(database)
            self.check_clients(database)
            self.check_group_events(database)
            self.check_teams(database)
            self.check_served()
            operations = sum(client.operations for client in self.clients)
            users = database.execute("SELECT count(*) FROM scim_user").fetchone()[0]
            events = database.execute("SELECT count(*) FROM event").fetchone()[0]
            status = "ok" if len(failures) == before else "FAILED"
            print(f"kill {kill}/{KILLS}: {status}; {operations} answered requests so far; in flight at the kills: "
                  f"{self.landed} landed whole, {self.lost} not at all ({self.refused} more refused); {users} users, "
                  f"{events} events", flush=True)
        finally:
            database.close()

    def check_integrity(self, database):
        self.checks += 1
        result = database.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            fail(f"integrity_check: {result[:5]}")
        self.checks += 1
        problems = database.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            fail(f"foreign_key_check: {problems[:5]}")

    def client_state(self, database, client):
        prefix = client.prefix
        users = {}
        for user_name, user_id, document in database.execute(
                "SELECT user_name, id, document FROM scim_user WHERE directory_id = ? AND substr(user_name, 1, ?) = ?",
                (self.directory, len(prefix), prefix)):
            attributes = json.loads(document)
            users[user_name] = (attributes.get("name", {}).get("givenName"), attributes.get("active"))
            client.user_ids.setdefault(user_name, user_id)
        groups = {}
        for row, group_id, external_id, name in database.execute(
                "SELECT row_id, id, external_id, display_name FROM scim_group WHERE directory_id = ? "
                "AND substr(external_id, 1, ?) = ?", (self.directory, len(prefix), prefix)):
            members = frozenset(user_name for (user_name,) in database.execute(
                "SELECT u.user_name FROM group_member m JOIN scim_user u ON u.row_id = m.user_row WHERE m.group_row = ?",
                (row,)))
            groups[external_id] = (name, members)
            client.group_ids.setdefault(external_id, group_id)
        return users, groups

    def check_clients(self, database):
        for client in self.clients:
            self.checks += 1
            actual = self.client_state(database, client)
            acknowledged = client.model.snapshot()
            if client.pending:
                description, before, after = client.pending
                client.pending = None
                if actual == after.snapshot():
                    client.model = after
                    self.landed += 1
                    continue
                if actual == before.snapshot():
                    client.model = before
                    self.lost += 1
                    continue
                fail(f"client {client.number}: the store is neither what was acknowledged nor that plus the request in "
                     f"flight at the kill ({description}), so something acknowledged was lost or something half-applied: "
                     f"{difference(actual, before.snapshot())}")
                client.model = model_from(actual)
            elif actual != acknowledged:
                fail(f"client {client.number}: the store differs from what was acknowledged: "
                     f"{difference(actual, acknowledged)}")
                client.model = model_from(actual)

    def check_group_events(self, database):
        self.checks += 1
        replayed = {}
        for kind, resource_id, data in database.execute(
                "SELECT type, resource_id, data FROM event WHERE directory_id = ? AND type IN "
                "('group.member_added', 'group.member_removed', 'group.deleted') ORDER BY sequence", (self.directory,)):
            members = replayed.setdefault(resource_id, set())
            if kind == "group.deleted":
                members.clear()
            elif kind == "group.member_added":
                members.add(json.loads(data)["user"]["id"])
            else:
                members.discard(json.loads(data)["user"]["id"])
        stored = {}
        for group_id, user_id in database.execute(
                "SELECT g.id, u.id FROM group_member m JOIN scim_group g ON g.row_id = m.group_row "
                "JOIN scim_user u ON u.row_id = m.user_row WHERE g.directory_id = ?", (self.directory,)):
            stored.setdefault(group_id, set()).add(user_id)
        replayed = {group: members for group, members in replayed.items() if members}
        if replayed != stored:
            wrong = sorted(set(replayed) ^ set(stored) | {g for g in replayed if g in stored and replayed[g] != stored[g]})
            fail(f"group events do not replay to the member rows for {len(wrong)} groups, e.g. {wrong[:3]}")

    def check_teams(self, database):
        self.checks += 1
        teams = dict(database.execute("SELECT slug, id FROM team").fetchall())
        groups = database.execute("SELECT row_id, display_name FROM scim_group WHERE directory_id = ?",
                                  (self.directory,)).fetchall()
        for slug, team_id in teams.items():
            for group_row, name in groups:
                members = set(r for (r,) in database.execute(
                    "SELECT user_row FROM group_member WHERE group_row = ?", (group_row,)))
                sourced = set(r for (r,) in database.execute(
                    "SELECT user_row FROM team_membership WHERE team_id = ? AND source_group_row = ?",
                    (team_id, group_row)))
                mapped = slug in MAPPED.get(name.split(".", 1)[-1], [])
                wanted = members if mapped else set()
                if sourced != wanted:
                    fail(f"team {slug}: rows sourced by group {name} are {len(sourced)}, the group has "
                         f"{len(members)} members (mapped: {mapped})")
            holders = set(u for (u,) in database.execute(
                "SELECT DISTINCT u.id FROM team_membership m JOIN scim_user u ON u.row_id = m.user_row "
                "WHERE m.team_id = ? AND u.active = 1", (team_id,)))
            replayed = set()
            for kind, data in database.execute(
                    "SELECT type, data FROM event WHERE resource_id = ? AND type IN "
                    "('team.member_added', 'team.member_removed') ORDER BY sequence", (team_id,)):
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
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
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
        connection.close()


def model_from(state):
    model = Model()
    model.users, model.groups = dict(state[0]), dict(state[1])
    return model


def difference(actual, wanted):
    lines = []
    for label, a, w in (("user", actual[0], wanted[0]), ("group", actual[1], wanted[1])):
        for key in sorted(set(a) | set(w)):
            if a.get(key) != w.get(key):
                lines.append(f"{label} {key}: stored {a.get(key)}, wanted {w.get(key)}")
    return "; ".join(lines[:4]) + (f" (and {len(lines) - 4} more)" if len(lines) > 4 else "")


def main():
    print(f"crash consistency: {KILLS} kills, {CLIENTS} clients, seed {SEED}", flush=True)
    coordinator = Coordinator()
    started = time.time()
    try:
        coordinator.run()
    finally:
        coordinator.server.stop()
    operations = sum(client.operations for client in coordinator.clients)
    print(f"{operations} answered requests in {time.time() - started:.0f} s; "
          f"{coordinator.checks - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
