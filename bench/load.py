#!/usr/bin/env python3
"""Loads a Roster directory over SCIM for bench/run.sh (standard library only).

  load.py users   PORT BASE TOKEN COUNT PREFIX OUT [--clients N]   concurrent POST /Users; ids to OUT, one a line
  load.py groups  PORT BASE TOKEN IDS SIZES PREFIX OUT              groups with the first SIZE users of IDS as
                                                                    members (added by PATCH, 1 000 at a time);
                                                                    writes "size group-id" lines to OUT
  load.py import  PORT BASE TOKEN USERS GROUPS MEMBERS              Okta's initial import by one sequential client:
                                                                    for each user a filtered GET then a POST, then
                                                                    for each group a POST and one PATCH adding its
                                                                    members; prints one line for bench/run.sh:
                                                                    "SECONDS RATE P50 P99 CPU" (wall seconds,
                                                                    requests/s, "1.23ms", "4.56ms", the client's own
                                                                    CPU seconds over the same span)
  load.py trips-setup PORT BASE TOKEN OUT                           the users and groups `trips` needs (the group
                                                                    "Trips team" is for a team mapping); JSON to OUT
  load.py trips   PORT BASE TOKEN STATE LOG                         sends each measured SCIM write once (after one
                                                                    warm-up of each) and counts the statements that
                                                                    PostgreSQL logged for it (log_statement = all);
                                                                    prints a Markdown table
  load.py table   RESULTS                                           the side-by-side table of bench/run.sh's results
                                                                    (tab-separated: key, phase, store, ops/s, p50,
                                                                    p99, figure), then the targets: PostgreSQL
                                                                    against SQLite, then each store against its own
                                                                    GET /healthz ops/s (the `healthz` row)

BASE is the directory's SCIM path (/api/scim/v2.0/{id}). Any answer other than the expected one stops the run with
the status and the start of the body.
"""
import datetime
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse

HEADERS = {"Content-Type": "application/scim+json; charset=utf-8", "Accept": "application/scim+json"}
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class Client:
    """One keep-alive connection."""

    def __init__(self, port, base, token):
        self.base = base
        self.headers = dict(HEADERS, Authorization="Bearer " + token)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def request(self, method, path, body=None, expect=(200,)):
        payload = None if body is None else json.dumps(body).encode()
        self.connection.request(method, self.base + path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status not in expect:
            sys.exit(f"load.py: {method} {path} answered {response.status}: {data[:300]!r}")
        return json.loads(data) if data else None


def user_body(name, index):
    """The body Okta sends to create a user."""
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": name,
        "name": {"givenName": "Load", "familyName": f"User{index}"},
        "emails": [{"primary": True, "value": name, "type": "work"}],
        "displayName": f"Load User {index}",
        "locale": "en-US",
        "externalId": f"00u{index:012d}",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
    }


def add_members(client, group_id, member_ids):
    for offset in range(0, len(member_ids), 1000):
        chunk = [{"value": member} for member in member_ids[offset:offset + 1000]]
        client.request("PATCH", f"/Groups/{group_id}", {
            "schemas": [PATCH_SCHEMA], "Operations": [{"op": "add", "path": "members", "value": chunk}]}, expect=(200, 204))


def create_users(port, base, token, count, prefix, out, clients=8):
    ids = [None] * count

    def work(worker):
        client = Client(port, base, token)
        for index in range(worker, count, clients):
            name = f"{prefix}{index}@example.com"
            ids[index] = client.request("POST", "/Users", user_body(name, index), expect=(201,))["id"]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if any(identifier is None for identifier in ids):
        sys.exit("load.py: some users were not created")
    with open(out, "w") as file:
        file.write("\n".join(ids) + "\n")
    elapsed = time.perf_counter() - started
    print(f"load.py: {count} users in {elapsed:.1f} s ({count / elapsed:.0f}/s, {clients} clients)", file=sys.stderr)


def create_groups(port, base, token, ids_file, sizes, prefix, out):
    client = Client(port, base, token)
    ids = open(ids_file).read().split()
    lines = []
    for number, size in enumerate(sizes):
        group = client.request("POST", "/Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                                   "displayName": f"{prefix}{number}"}, expect=(201,))
        add_members(client, group["id"], ids[:size])
        lines.append(f"{size} {group['id']}")
    with open(out, "w") as file:
        file.write("\n".join(lines) + "\n")


def okta_import(port, base, token, users, groups, members):
    """Okta's initial push: it looks each user up by userName before creating it, then pushes groups."""
    client = Client(port, base, token)
    latencies = []
    ids = []
    started = time.perf_counter()
    cpu_started = time.process_time()  # this process's CPU (user + system): the client's own cost
    for index in range(users):
        name = f"import{index}@example.com"
        query = urllib.parse.urlencode({"filter": f'userName eq "{name}"', "startIndex": 1, "count": 100})
        before = time.perf_counter()
        page = client.request("GET", "/Users?" + query)
        middle = time.perf_counter()
        if page["totalResults"] != 0:
            sys.exit("load.py: the import found a user that should not exist yet")
        ids.append(client.request("POST", "/Users", user_body(name, index), expect=(201,))["id"])
        after = time.perf_counter()
        latencies += [middle - before, after - middle]
    for number in range(groups):
        before = time.perf_counter()
        group = client.request("POST", "/Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                                   "displayName": f"Import group {number}"}, expect=(201,))
        middle = time.perf_counter()
        first = (number * members) % max(1, users - members)
        client.request("PATCH", f"/Groups/{group['id']}", {"schemas": [PATCH_SCHEMA], "Operations": [
            {"op": "add", "path": "members", "value": [{"value": member} for member in ids[first:first + members]]}]},
            expect=(200, 204))
        after = time.perf_counter()
        latencies += [middle - before, after - middle]
    cpu = time.process_time() - cpu_started
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{elapsed:.2f} {len(latencies) / elapsed:.0f} {p50:.2f}ms {p99:.2f}ms {cpu:.2f}")


def patch_members(client, group_id, out, into):
    """Okta's one-member group PATCH: remove one member by filter, add one."""
    client.request("PATCH", f"/Groups/{group_id}", {"schemas": [PATCH_SCHEMA], "Operations": [
        {"op": "remove", "path": f'members[value eq "{out}"]'},
        {"op": "add", "path": "members", "value": [{"value": into, "display": "trips"}]}]}, expect=(200, 204))


def trips_setup(port, base, token, out):
    client = Client(port, base, token)
    users = [client.request("POST", "/Users", user_body(f"trips{n}@example.com", n), expect=(201,))["id"] for n in range(4)]
    groups = {}
    for name in ("Trips plain", "Trips team"):
        group = client.request("POST", "/Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                                   "displayName": name}, expect=(201,))
        add_members(client, group["id"], users[:1])
        groups[name] = group["id"]
    with open(out, "w") as file:
        json.dump({"users": users, "groups": groups}, file)


LOG_ENTRY = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) UTC \[(\d+)\] LOG:  (?:execute ([^:]+)|statement): (.*)$")


def logged_statements(log, offset, started, finished):
    """The statements PostgreSQL logged (log_line_prefix '%m [%p] ') from byte `offset` on whose time falls in
    [started, finished] (seconds since 1970, with 2 ms of slack for the log's millisecond precision). The webhook
    worker's once-a-second poll of `webhook_endpoint` is not the request's and is left out."""
    with open(log, "rb") as file:
        file.seek(offset)
        text = file.read().decode("utf-8", "replace")
    statements = []
    for line in text.splitlines():
        match = LOG_ENTRY.match(line)
        if not match:
            continue
        when = datetime.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S.%f").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        if not started - 0.002 <= when <= finished + 0.002:
            continue
        sql = " ".join(match.group(4).split())
        if "FROM webhook_endpoint" in sql:
            continue
        prepared = match.group(3) is not None and match.group(3) != "<unnamed>"
        statements.append((sql, prepared))
    return statements


def summarize(sql):
    """A statement in a few words for the table: its verb and the table it works on."""
    words = sql.split()
    verb = words[0].upper()
    if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
        return verb
    table = ""
    for keyword in ("INTO", "UPDATE", "FROM"):
        if keyword in [w.upper() for w in words]:
            index = [w.upper() for w in words].index(keyword)
            if index + 1 < len(words):
                table = words[index + 1]
                break
    if verb == "UPDATE" and len(words) > 1:
        table = words[1]
    extra = " … FOR NO KEY UPDATE" if "FOR NO KEY UPDATE" in sql.upper() else (" … FOR UPDATE" if "FOR UPDATE" in sql.upper() else "")
    extra += " (+ feed lock)" if "pg_advisory_xact_lock" in sql else ""
    extra += " … RETURNING" if " RETURNING " in f" {sql.upper()} " and verb != "SELECT" else ""
    return f"{verb} {table}{extra}".strip()


def trips(port, base, token, state_file, log):
    state = json.load(open(state_file))
    users, groups = state["users"], state["groups"]
    client = Client(port, base, token)
    deactivate = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": False}}]}
    requests = [
        ("POST /Users (Okta body)",
         lambda: client.request("POST", "/Users", user_body("trips-warm@example.com", 90), expect=(201,)),
         lambda: client.request("POST", "/Users", user_body("trips-measured@example.com", 91), expect=(201,))),
        ("PATCH group, one out and one in, no team mapped",
         lambda: patch_members(client, groups["Trips plain"], users[0], users[1]),
         lambda: patch_members(client, groups["Trips plain"], users[1], users[0])),
        ("PATCH group, one out and one in, group mapped to one team",
         lambda: patch_members(client, groups["Trips team"], users[0], users[1]),
         lambda: patch_members(client, groups["Trips team"], users[1], users[0])),
        ("PATCH /Users/{id} active false (Okta deactivate)",
         lambda: client.request("PATCH", f"/Users/{users[2]}", deactivate, expect=(200, 204)),
         lambda: client.request("PATCH", f"/Users/{users[3]}", deactivate, expect=(200, 204))),
    ]
    print("| SCIM write | Statements (round trips) | In the transaction | The statements, in order |")
    print("| --- | ---: | ---: | --- |")
    for name, warm_up, measured in requests:
        warm_up()
        time.sleep(0.2)
        offset = os.path.getsize(log)
        started = time.time()
        measured()
        finished = time.time()
        time.sleep(0.5)
        statements = logged_statements(log, offset, started, finished)
        sqls = [sql for sql, _ in statements]
        inside = 0
        if "BEGIN" in sqls and "COMMIT" in sqls:
            inside = sqls.index("COMMIT") - sqls.index("BEGIN") + 1
        listing = "; ".join(summarize(sql) + (" (prepared)" if prepared else "") for sql, prepared in statements)
        print(f"| {name} | {len(statements)} | {inside} | {listing} |")
        for sql, _ in statements:
            print(f"load.py trips: {name}: {sql[:300]}", file=sys.stderr)


def milliseconds(text):
    """wrk's latency ("812.00us", "1.50ms", "1.02s") in milliseconds, or None."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text or "")
    if not match:
        return None
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def table(results):
    """Prints the results side by side (SQLite, PostgreSQL, and PostgreSQL's ops/s over SQLite's), then the targets."""
    rows = {}
    order = []
    for line in open(results):
        key, phase, store, rate, p50, p99, figure = (line.rstrip("\n").split("\t") + [""] * 7)[:7]
        if key not in rows:
            rows[key] = {"phase": phase}
            order.append(key)
        stores = ["sqlite", "postgresql"] if store == "both" else [store]
        for name in stores:
            rows[key][name] = {"rate": rate, "p50": p50, "p99": p99, "figure": figure}
    ceiling = rows.get("ceiling", {}).get("sqlite", {}).get("rate")

    def cells(entry):
        if not entry:
            return ["", "", "", ""]
        figure = entry["figure"]
        if not figure and entry["rate"] and ceiling:
            figure = f"{100 * float(entry['rate']) / float(ceiling):.1f} %"
        rate = f"{float(entry['rate']):,.0f}".replace(",", " ") if entry["rate"] else ""
        p50, p99 = milliseconds(entry["p50"]), milliseconds(entry["p99"])
        return [rate, f"{p50:.2f} ms" if p50 is not None else entry["p50"], f"{p99:.2f} ms" if p99 is not None else entry["p99"], figure]

    print("| Phase | SQLite ops/s | p50 | p99 | of ceiling (or figure) | PostgreSQL ops/s | p50 | p99 | of ceiling (or figure) | PostgreSQL ÷ SQLite |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key in order:
        row = rows[key]
        sqlite, postgres = row.get("sqlite"), row.get("postgresql")
        ratio = ""
        if key != "ceiling" and sqlite and postgres and sqlite["rate"] and postgres["rate"]:
            ratio = f"{float(postgres['rate']) / float(sqlite['rate']):.2f}"
        print("| " + " | ".join([row["phase"]] + cells(sqlite) + cells(postgres) + [ratio]) + " |")

    print()
    print("| Target | Measured | |")
    print("| --- | --- | --- |")

    def throughput(key, label):
        sqlite, postgres = rows.get(key, {}).get("sqlite"), rows.get(key, {}).get("postgresql")
        if not (sqlite and postgres and sqlite["rate"] and postgres["rate"]):
            return
        ratio = float(postgres["rate"]) / float(sqlite["rate"])
        print(f"| {label}: PostgreSQL ≥ 0.5 × SQLite | {float(postgres['rate']):.0f}/s vs {float(sqlite['rate']):.0f}/s "
              f"= {ratio:.2f} × | {'met' if ratio >= 0.5 else 'not met'} |")

    throughput("post", "POST /Users")
    sizes = sorted(int(key.split("_")[1]) for key in order if key.startswith("group_"))
    for size in sizes:
        throughput(f"group_{size}", f"one-member group PATCH, group of {size}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for store, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
            a = milliseconds(rows.get(f"group_{small}", {}).get(store, {}).get("p50"))
            b = milliseconds(rows.get(f"group_{large}", {}).get(store, {}).get("p50"))
            if a and b:
                print(f"| {label}: one-member PATCH p50 at {large} ≤ 1.5 × p50 at {small} | {b:.2f} ms vs {a:.2f} ms "
                      f"= {b / a:.2f} × | {'met' if b / a <= 1.5 else 'not met'} |")

    relative_targets(rows, order)


# The throughput targets relative to GET /healthz on the same store in the same run: (key, phase, minimum % of it).
RELATIVE_TARGETS = [("get", "GET /Users/{id}", 60.0), ("filter", "GET filter=userName eq", 50.0),
                    ("post", "POST /Users", 25.0), ("list", "GET list page of 100", 4.5)]
IMPORT_TARGET_USERS, IMPORT_TARGET_GROUPS, IMPORT_TARGET_SECONDS = 10000, 100, 15.0
TAIL_TARGET = 10.0  # p99 < TAIL_TARGET × p50 in every wrk phase on Roster


def spaced(number):
    """12345.6 → "12 346", the table's thousands separator."""
    return f"{number:,.0f}".replace(",", " ")


def relative_targets(rows, order):
    """The targets against each store's own GET /healthz ops/s of the same run, then the import's wall time and the
    tail (p99 ÷ p50) of every wrk phase on Roster (the nginx ceiling is not Roster's and is left out)."""
    stores = [(store, label) for store, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))
              if any(store in row for key, row in rows.items() if key != "ceiling")]
    if not stores:
        return

    def rate(key, store):
        text = rows.get(key, {}).get(store, {}).get("rate")
        return float(text) if text else None

    print()
    print("Against the targets (relative to GET /healthz, same run):")
    print()
    print("| Target | Measured | |")
    print("| --- | --- | --- |")
    for store, label in stores:
        healthz = rate("healthz", store)
        for key, name, minimum in RELATIVE_TARGETS:
            target = f"{label}: {name} ≥ {minimum:g} % of GET /healthz ops/s"
            measured = rate(key, store)
            if measured is None or not healthz:
                print(f"| {target} | not measured | |")
                continue
            percent = 100 * measured / healthz
            print(f"| {target} | {spaced(measured)}/s vs {spaced(healthz)}/s = {percent:.1f} % | "
                  f"{'met' if percent >= minimum else 'missed'} |")

        target = (f"{label}: Okta import ({spaced(IMPORT_TARGET_USERS)} users + {IMPORT_TARGET_GROUPS} groups, 1 client) "
                  f"< {IMPORT_TARGET_SECONDS:g} s")
        entry = rows.get("import", {}).get(store)
        wall = re.match(r"[\d.]+", entry["figure"]) if entry else None
        if not wall:
            print(f"| {target} | not measured | |")
        else:
            seconds = float(wall.group())
            size = re.search(r"(\d+) users \+ (\d+) groups", rows["import"]["phase"])
            users, groups = (int(size.group(1)), int(size.group(2))) if size else (None, None)
            cpu = re.match(r"[\d.]+", rows.get("import_client_cpu", {}).get(store, {}).get("figure", ""))
            detail = f"{seconds:.2f} s" + (f" (client CPU {float(cpu.group()):.2f} s)" if cpu else "")
            if (users, groups) != (IMPORT_TARGET_USERS, IMPORT_TARGET_GROUPS):
                print(f"| {target} | {detail} for {spaced(users) if users else '?'} users + {groups or '?'} groups | "
                      f"not comparable |")
            else:
                print(f"| {target} | {detail} | {'met' if seconds < IMPORT_TARGET_SECONDS else 'missed'} |")

        tails = []
        for key in order:
            entry = rows[key].get(store)
            if key == "ceiling" or key.startswith("import") or not entry:
                continue
            p50, p99 = milliseconds(entry["p50"]), milliseconds(entry["p99"])
            if p50 and p99 is not None:
                tails.append((p99 / p50, p99, p50, rows[key]["phase"]))
        target = f"{label}: p99 < {TAIL_TARGET:g} × p50 in every wrk phase"
        if not tails:
            print(f"| {target} | not measured | |")
            continue
        ratio, p99, p50, phase = max(tails)
        over = sum(1 for tail in tails if tail[0] >= TAIL_TARGET)
        print(f"| {target} | worst: {phase}, {p99:.2f} ms vs {p50:.2f} ms = {ratio:.1f} × "
              f"({over} of {len(tails)} phases at or over {TAIL_TARGET:g} ×) | {'met' if over == 0 else 'missed'} |")


def main():
    if sys.argv[1] == "table":
        table(sys.argv[2])
        return
    command, port, base, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rest = sys.argv[5:]
    if command == "users":
        clients = int(rest[rest.index("--clients") + 1]) if "--clients" in rest else 8
        create_users(port, base, token, int(rest[0]), rest[1], rest[2], clients)
    elif command == "groups":
        create_groups(port, base, token, rest[0], [int(size) for size in rest[1].split(",")], rest[2], rest[3])
    elif command == "import":
        okta_import(port, base, token, int(rest[0]), int(rest[1]), int(rest[2]))
    elif command == "trips-setup":
        trips_setup(port, base, token, rest[0])
    elif command == "trips":
        trips(port, base, token, rest[0], rest[1])
    else:
        sys.exit(f"load.py: unknown command {command}")


if __name__ == "__main__":
    main()
