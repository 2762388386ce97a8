#!/usr/bin/env python3
"""Measures Roster's SCIM endpoints over loopback with one keep-alive client (standard library only).

Usage: bench/scim_bench.py BASE_URL TOKEN [--users N] [--sizes 10,1000,10000] [--samples N]

BASE_URL is a directory's SCIM Base URL (as `roster directory create` prints it). It reports:
- POST /Users throughput (sequential, one client);
- filtered GET (`userName eq`) throughput on existing users;
- p50/p90 latency of Okta's one-member group PATCH (remove one member + add one) on groups of each size, and the
  ratio of the largest to the smallest size's p50.
"""
import argparse
import http.client
import json
import statistics
import time
import urllib.parse


class Client:
    def __init__(self, base_url, token):
        parsed = urllib.parse.urlparse(base_url)
        self.host, self.port, self.prefix = parsed.hostname, parsed.port or 80, parsed.path.rstrip("/")
        self.headers = {
            "Authorization": "Bearer " + token,
            "Content-Type": "application/scim+json; charset=utf-8",
            "Accept": "application/scim+json",
        }
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method, path, body=None, expect=(200, 201, 204)):
        payload = None if body is None else json.dumps(body).encode()
        self.connection.request(method, self.prefix + path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status not in expect:
            raise SystemExit(f"{method} {path} answered {response.status}: {data[:300]!r}")
        return json.loads(data) if data else None


def user_body(index, run):
    name = f"bench.{run}.{index}@example.com"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": name,
        "name": {"givenName": "Bench", "familyName": f"User{index}"},
        "emails": [{"primary": True, "value": name, "type": "work"}],
        "displayName": f"Bench User {index}",
        "locale": "en-US",
        "externalId": f"00u{run}{index}",
        "groups": [],
        "password": "1mz050nq",
        "active": True,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("--users", type=int, default=2000, help="users created by the POST phase")
    parser.add_argument("--sizes", default="10,1000,10000", help="group sizes for the PATCH phase")
    parser.add_argument("--samples", type=int, default=200, help="PATCHes measured per group size")
    parser.add_argument("--run-id", default=str(int(time.time())),
                        help="names the groups bench-RUN-SIZE, so teams can be mapped to them beforehand")
    args = parser.parse_args()
    client = Client(args.base_url, args.token)
    run = args.run_id
    sizes = [int(size) for size in args.sizes.split(",")]
    needed = max(args.users, max(sizes) + 2)

    ids, names = [], []
    start = time.perf_counter()
    for index in range(args.users):
        created = client.request("POST", "/Users", user_body(index, run), expect=(201,))
        ids.append(created["id"])
        names.append(created["userName"])
    elapsed = time.perf_counter() - start
    print(f"POST /Users: {args.users} users in {elapsed:.2f} s = {args.users / elapsed:.0f} creates/s")
    for index in range(args.users, needed):
        ids.append(client.request("POST", "/Users", user_body(index, run), expect=(201,))["id"])

    lookups = min(args.users, 2000)
    start = time.perf_counter()
    for index in range(lookups):
        query = urllib.parse.urlencode({"filter": f'userName eq "{names[index % len(names)]}"', "startIndex": 1, "count": 100})
        page = client.request("GET", "/Users?" + query)
        assert page["totalResults"] == 1
    elapsed = time.perf_counter() - start
    print(f"GET /Users?filter=userName eq: {lookups} lookups in {elapsed:.2f} s = {lookups / elapsed:.0f} lookups/s")

    medians = {}
    for size in sizes:
        group = client.request("POST", "/Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                                   "displayName": f"bench-{run}-{size}", "members": []}, expect=(201,))
        for offset in range(0, size, 1000):
            chunk = [{"value": member} for member in ids[offset:min(size, offset + 1000)]]
            client.request("PATCH", f"/Groups/{group['id']}", {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "path": "members", "value": chunk}]})
        spare = ids[size]
        durations = []
        for sample in range(args.samples):
            out_member, in_member = (ids[0], spare) if sample % 2 == 0 else (spare, ids[0])
            body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                {"op": "remove", "path": f'members[value eq "{out_member}"]'},
                {"op": "add", "path": "members", "value": [{"value": in_member, "display": "bench"}]}]}
            start = time.perf_counter()
            client.request("PATCH", f"/Groups/{group['id']}", body, expect=(204,))
            durations.append((time.perf_counter() - start) * 1000)
        durations.sort()
        medians[size] = statistics.median(durations)
        p90 = durations[int(len(durations) * 0.9) - 1]
        print(f"PATCH /Groups/{{id}} remove+add one member, group of {size}: p50 {medians[size]:.2f} ms, p90 {p90:.2f} ms")
    print(f"p50 ratio {max(sizes)} : {min(sizes)} members = {medians[max(sizes)] / medians[min(sizes)]:.2f}")


if __name__ == "__main__":
    main()
