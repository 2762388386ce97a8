"""The two stores the crash suite checks, read the same way (standard library only): a SQLite file through sqlite3,
a PostgreSQL database through `psql`; and the PostgreSQL cluster the suite stops and starts.

Each database gives `snapshot(directory)`, every row the checks need in one read, in the same shapes on both
(users: row_id, id, user_name, active, document; groups: row_id, id, external_id, display_name; members:
group_row, user_row; teams: slug, id; team_rows: team_id, user_row, source_group_row; events: type, resource_id,
data in sequence order; and the total user and event counts);
`soundness_problems()`, what is wrong with the store as a whole (SQLite's integrity and foreign-key checks;
PostgreSQL's B-tree checks and foreign-key and consistency queries); and `save()` / `rewind()` for the suite's
self-check, which rewinds the store to a moment before a kill.

The PostgreSQL database also answers what Tests/replicas/replicas.py reads: `event_sequences()` (the event table's
sequence numbers in order), `last_sequence()`, `webhook_leases()` (the `webhook_lease` table: endpoint -> owner and
whether the lease is unexpired by PostgreSQL's clock) and `migrations()`.
"""
import os
import pwd
import shutil
import sqlite3
import subprocess
import time
import urllib.parse


class SQLiteDatabase:
    """A Roster SQLite file, read with sqlite3 in read-only mode."""

    def __init__(self, path):
        self.path = path
        self.url = "sqlite:" + path
        self.saved = path + ".saved"

    def describe(self):
        return f"SQLite file {self.path}"

    def prepare(self):
        pass

    def snapshot(self, directory):
        with self.connect() as database:
            users = [(row, uid, name, bool(active), document) for row, uid, name, active, document in database.execute(
                "SELECT row_id, id, user_name, active, document FROM scim_user WHERE directory_id = ?", (directory,))]
            groups = database.execute(
                "SELECT row_id, id, external_id, display_name FROM scim_group WHERE directory_id = ?",
                (directory,)).fetchall()
            members = database.execute(
                "SELECT m.group_row, m.user_row FROM group_member m JOIN scim_group g ON g.row_id = m.group_row "
                "WHERE g.directory_id = ?", (directory,)).fetchall()
            teams = database.execute("SELECT slug, id FROM team").fetchall()
            team_rows = database.execute("SELECT team_id, user_row, source_group_row FROM team_membership").fetchall()
            events = database.execute(
                "SELECT type, resource_id, data FROM event WHERE directory_id = ? OR type LIKE 'team.%' "
                "ORDER BY sequence", (directory,)).fetchall()
            totals = database.execute("SELECT (SELECT count(*) FROM scim_user), (SELECT count(*) FROM event)").fetchone()
        return {"users": users, "groups": groups, "members": members, "teams": teams, "team_rows": team_rows,
                "events": events, "total_users": totals[0], "total_events": totals[1]}

    def soundness_problems(self):
        """`PRAGMA integrity_check` must be `ok` and `PRAGMA foreign_key_check` empty."""
        problems = []
        with self.connect() as database:
            result = database.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                problems.append(f"integrity_check: {result[:5]}")
            violations = database.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                problems.append(f"foreign_key_check: {violations[:5]}")
        return problems, 2

    def save(self):
        """Copies the file as it is now (a consistent copy while the server writes)."""
        with self.connect() as source, sqlite3.connect(self.saved) as copy:
            source.backup(copy)

    def rewind(self):
        """Replaces the store with the saved copy; the server must not run."""
        for suffix in ("-wal", "-shm"):
            if os.path.exists(self.path + suffix):
                os.remove(self.path + suffix)
        os.replace(self.saved, self.path)

    def connect(self):
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)


class PostgresDatabase:
    """A Roster PostgreSQL database, read with `psql` (unaligned, unit-separated fields, record-separated rows)."""

    FIELD, RECORD = "\x1f", "\x1e"

    def __init__(self, url, bin_dir, work):
        self.url = url
        self.bin_dir = bin_dir
        self.saved = os.path.join(work, "saved.dump")
        self.amcheck = False

    def describe(self):
        parts = urllib.parse.urlsplit(self.url)
        return f"PostgreSQL database {parts.path.lstrip('/')} on {parts.hostname}:{parts.port}"

    def prepare(self):
        """Installs amcheck for the B-tree checks when the cluster has it (the URL's user owns the cluster)."""
        try:
            self.query("CREATE EXTENSION IF NOT EXISTS amcheck")
            self.amcheck = True
        except RuntimeError:
            self.amcheck = False

    def query(self, sql):
        """The rows of one statement, as tuples of strings; NULL reads as an empty string."""
        result = subprocess.run(
            [shutil.which("psql") or os.path.join(self.bin_dir, "psql"), self.url, "-X", "-q", "-At",
             "-v", "ON_ERROR_STOP=1", "-F", self.FIELD, "-R", self.RECORD, "-c", sql],
            capture_output=True, text=True, check=False, env={**os.environ, "PGCONNECT_TIMEOUT": "10"})
        if result.returncode != 0:
            raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr.strip()} [{sql[:200]}]")
        output = result.stdout[:-1] if result.stdout.endswith("\n") else result.stdout
        if output == "":
            return []
        return [tuple(record.split(self.FIELD)) for record in output.split(self.RECORD)]

    def snapshot(self, directory):
        d = literal(directory)
        users = [(int(row), uid, name, active == "t", document) for row, uid, name, active, document in self.query(
            f"SELECT row_id, id, user_name, active, document FROM scim_user WHERE directory_id = {d}")]
        groups = [(int(row), gid, external_id, name) for row, gid, external_id, name in self.query(
            f"SELECT row_id, id, external_id, display_name FROM scim_group WHERE directory_id = {d}")]
        members = [(int(group), int(user)) for group, user in self.query(
            "SELECT m.group_row, m.user_row FROM group_member m JOIN scim_group g ON g.row_id = m.group_row "
            f"WHERE g.directory_id = {d}")]
        teams = self.query("SELECT slug, id FROM team")
        team_rows = [(team, int(user), int(source) if source != "" else None) for team, user, source in self.query(
            "SELECT team_id, user_row, source_group_row FROM team_membership")]
        events = self.query(
            f"SELECT type, resource_id, data FROM event WHERE directory_id = {d} OR type LIKE 'team.%' "
            "ORDER BY sequence")
        ((total_users, total_events),) = self.query("SELECT (SELECT count(*) FROM scim_user), (SELECT count(*) FROM event)")
        return {"users": users, "groups": groups, "members": members, "teams": teams, "team_rows": team_rows,
                "events": events, "total_users": int(total_users), "total_events": int(total_events)}

    # Each query counts rows that must not exist; the foreign keys forbid the first ones, the rest are rules of the
    # schema that no constraint states.
    CONSISTENCY_QUERIES = {
        "member rows without their group or user":
            "SELECT count(*) FROM group_member m WHERE NOT EXISTS (SELECT 1 FROM scim_group g WHERE g.row_id = m.group_row) "
            "OR NOT EXISTS (SELECT 1 FROM scim_user u WHERE u.row_id = m.user_row)",
        "team rows without their team, user or source group":
            "SELECT count(*) FROM team_membership t WHERE NOT EXISTS (SELECT 1 FROM team WHERE team.id = t.team_id) "
            "OR NOT EXISTS (SELECT 1 FROM scim_user u WHERE u.row_id = t.user_row) OR (t.source_group_row IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM scim_group g WHERE g.row_id = t.source_group_row))",
        "email rows without their user":
            "SELECT count(*) FROM scim_user_email e WHERE NOT EXISTS (SELECT 1 FROM scim_user u WHERE u.row_id = e.user_row)",
        "resources without their directory":
            "SELECT (SELECT count(*) FROM scim_user u WHERE NOT EXISTS (SELECT 1 FROM directory d WHERE d.id = u.directory_id)) "
            "+ (SELECT count(*) FROM scim_group g WHERE NOT EXISTS (SELECT 1 FROM directory d WHERE d.id = g.directory_id))",
        "member rows joining two directories":
            "SELECT count(*) FROM group_member m JOIN scim_group g ON g.row_id = m.group_row "
            "JOIN scim_user u ON u.row_id = m.user_row WHERE g.directory_id <> u.directory_id",
        "duplicate member rows":
            "SELECT count(*) FROM (SELECT 1 FROM group_member GROUP BY group_row, user_row HAVING count(*) > 1) d",
        "duplicate team rows":
            "SELECT count(*) FROM (SELECT 1 FROM team_membership GROUP BY team_id, user_row, source_group_row "
            "HAVING count(*) > 1) d",
        "users whose active column differs from their document":
            "SELECT count(*) FROM scim_user WHERE (document::jsonb ->> 'active')::boolean IS DISTINCT FROM active",
        "users whose userName key is not their lowercased userName":
            "SELECT count(*) FROM scim_user WHERE user_name_key <> lower(user_name)",
        "email rows that are not in their user's document":
            "SELECT count(*) FROM scim_user_email e JOIN scim_user u ON u.row_id = e.user_row "
            "WHERE strpos(lower(u.document), e.value_key) = 0",
    }

    def event_sequences(self):
        """Every event's sequence number, in order."""
        return [int(sequence) for (sequence,) in self.query("SELECT sequence FROM event ORDER BY sequence")]

    def last_sequence(self):
        """The highest event sequence number, 0 without events."""
        return int(self.query("SELECT COALESCE(MAX(sequence), 0) FROM event")[0][0])

    def webhook_leases(self):
        """The `webhook_lease` table: endpoint id -> (owner, whether the lease is unexpired now by PostgreSQL's
        clock, in milliseconds since 1970 as `expires_at` is). Raises RuntimeError when there is no such table."""
        rows = self.query("SELECT endpoint_id, owner, expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint "
                          "FROM webhook_lease")
        return {endpoint: (owner, live == "t") for endpoint, owner, live in rows}

    def migrations(self):
        """The identifiers in `roster_migration`, in the order they were applied."""
        return [identifier for (identifier,) in self.query("SELECT identifier FROM roster_migration ORDER BY applied_at, identifier")]

    def soundness_problems(self):
        """Every consistency query counts 0; with amcheck, every B-tree index of the schema checks out against its
        table (`bt_index_check` with `heapallindexed`)."""
        problems = []
        checks = 0
        counts = self.query("SELECT " + ", ".join(f"({sql})" for sql in self.CONSISTENCY_QUERIES.values()))[0]
        for (name, _), count in zip(self.CONSISTENCY_QUERIES.items(), counts):
            checks += 1
            if count != "0":
                problems.append(f"{count} {name}")
        if self.amcheck:
            checks += 1
            try:
                indexes = self.query(
                    "SELECT c.relname, bt_index_check(c.oid, true) IS NULL FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE a.amname = 'btree' AND n.nspname = 'public'")
                if not indexes:
                    problems.append("bt_index_check found no indexes to check")
            except RuntimeError as error:
                problems.append(f"bt_index_check: {error}")
        return problems, checks

    def save(self):
        """Dumps the database as it is now (pg_dump takes one consistent snapshot while the server writes)."""
        subprocess.run([os.path.join(self.bin_dir, "pg_dump"), "-Fc", "-f", self.saved, self.url], check=True,
                       capture_output=True)

    def rewind(self):
        """Replaces every object of the database with the dump; the server must not run."""
        result = subprocess.run([os.path.join(self.bin_dir, "pg_restore"), "--clean", "--if-exists", "-d", self.url,
                                 self.saved], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"pg_restore failed: {result.stderr.strip()[:500]}")


def literal(value):
    """A SQL string literal (standard_conforming_strings is on, so only quotes are doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


class PostgresCluster:
    """The PostgreSQL cluster in DIR/data (scripts/postgres.sh's layout), stopped and started with `pg_ctl` as the
    user who owns the data directory."""

    def __init__(self, directory, bin_dir):
        self.data = os.path.join(directory, "data")
        self.log = os.path.join(directory, "server.log")
        self.bin_dir = bin_dir
        if not os.path.isdir(self.data):
            raise SystemExit(f"no PostgreSQL data directory at {self.data}")
        owner = os.stat(self.data).st_uid
        self.run_as = [] if owner == os.getuid() else ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--"]

    def pg_ctl(self, *arguments):
        command = [*self.run_as, os.path.join(self.bin_dir, "pg_ctl"), "-D", self.data, *arguments]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {(result.stdout + result.stderr).strip()}")

    def stop_immediately(self):
        """`pg_ctl stop -m immediate`: every backend ends at once, no checkpoint; crash recovery at the next start."""
        self.pg_ctl("stop", "-m", "immediate", "-w")

    def is_running(self):
        command = [*self.run_as, os.path.join(self.bin_dir, "pg_ctl"), "-D", self.data, "status"]
        return subprocess.run(command, capture_output=True, check=False).returncode == 0

    def ensure_running(self):
        """Starts the cluster if a run ended while it was stopped, so that later tests find it up."""
        if not self.is_running():
            self.start()

    def start(self):
        """`pg_ctl start -w`: returns once the server accepts connections (pg_ctl looks every 0.1 s); the time."""
        self.pg_ctl("-l", self.log, "-w", "-t", "60", "start")
        return time.time()


def postgres_bin_dir():
    """Where `pg_ctl`, `pg_dump` and `pg_restore` are: PostgreSQL 15's directory first, as scripts/postgres.sh."""
    root = "/usr/lib/postgresql"
    others = sorted(os.listdir(root), reverse=True) if os.path.isdir(root) else []
    for version in ["15", *others]:
        candidate = os.path.join(root, version, "bin")
        if os.path.exists(os.path.join(candidate, "pg_ctl")):
            return candidate
    raise SystemExit(f"no PostgreSQL binaries (pg_ctl) under {root}")
