"""Run every scim2-tester check against one SCIM endpoint and print `N passed, N failed`.

Usage: ROSTER_SCIM_TOKEN=TOKEN python scripts/conformance.py SCIM_BASE_URL [--verbose]

The token is read from the environment so that it never shows in a process list. All checks run: discovery
(ServiceProviderConfig, ResourceTypes, Schemas), an unknown URL, and for every resource type the server publishes,
create, read, list and search with attributes/excludedAttributes, replace, PATCH add/remove/replace of every
attribute, and delete. The client validates status codes, content types and payloads.

A check passes when scim2-tester rates it SUCCESS (or COMPLIANT/ACCEPTABLE, which newer versions may use for
conforming optional behaviour). Everything else fails, SKIPPED included, as `scim2 test` also does: a skip here means
the server advertised or answered that it lacks something (PATCH, /.search) the checks expected. Exit status: 0 when
no check failed and at least one passed, 1 otherwise.
"""

import argparse
import json
import os
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status
from scim2_tester import check_server

PASSING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}


def one_line(value, limit):
    """A value as one line of at most `limit` characters."""
    if not isinstance(value, str):
        try:
            value = json.dumps(value, default=str)
        except (TypeError, ValueError):
            value = repr(value)
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="the directory's SCIM Base URL")
    parser.add_argument("--verbose", action="store_true", help="also print the data of failed checks in full")
    arguments = parser.parse_args()
    token = os.environ.get("ROSTER_SCIM_TOKEN")
    if not token:
        print("conformance.py: set ROSTER_SCIM_TOKEN to the directory's bearer token", file=sys.stderr)
        return 2

    http = Client(base_url=arguments.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client)

    passed = failed = 0
    for result in results:
        ok = result.status in PASSING
        passed += ok
        failed += not ok
        scope = f"{result.resource_type} " if result.resource_type else ""
        print(f"{result.status.name:<8} {scope}{result.title}")
        if not ok:
            if result.reason:
                print(f"         reason: {one_line(result.reason, 2000)}")
            if result.data is not None:
                limit = 100_000 if arguments.verbose else 600
                print(f"         data: {one_line(result.data, limit)}")

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
