#!/usr/bin/env python3
"""Loads a Roster directory over SCIM for bench/run.sh (standard library only).

  load.py users   PORT BASE TOKEN COUNT PREFIX OUT [--clients N]   concurrent POST /Users; ids to OUT, one a line
  load.py groups  PORT BASE TOKEN IDS SIZES PREFIX OUT              groups with the first SIZE users of IDS as
                                                                    members (added by PATCH, 1 000 at a time);
                                                                    writes "size group-id" lines to OUT
  load.py import  PORT BASE TOKEN USERS GROUPS MEMBERS              Okta's initial import by one sequential client:
                                                                    for each user a filtered GET then a POST, then
                                                                    for each group a POST and one PATCH adding its
                                                                    members; prints one table row

BASE is the directory's SCIM path (/api/scim/v2.0/{id}). Any answer other than the expected one stops the run with
the status and the start of the body.
"""
import http.client
import json
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
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{elapsed:.2f} {len(latencies) / elapsed:.0f} {p50:.2f}ms {p99:.2f}ms")


def main():
    command, port, base, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rest = sys.argv[5:]
    if command == "users":
        clients = int(rest[rest.index("--clients") + 1]) if "--clients" in rest else 8
        create_users(port, base, token, int(rest[0]), rest[1], rest[2], clients)
    elif command == "groups":
        create_groups(port, base, token, rest[0], [int(size) for size in rest[1].split(",")], rest[2], rest[3])
    elif command == "import":
        okta_import(port, base, token, int(rest[0]), int(rest[1]), int(rest[2]))
    else:
        sys.exit(f"load.py: unknown command {command}")


if __name__ == "__main__":
    main()
