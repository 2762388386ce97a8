#!/usr/bin/env python3
"""Fills a migrated Roster SQLite file with USERS users, GROUPS groups and memberships, for the export benchmark.

    roster directory create --name Bench --provider okta --database-url sqlite:FILE   # creates and migrates FILE
    bench/make_export_fixture.py FILE [--users 100000] [--groups 1000] [--groups-per-user 2]

Rows are written straight into the tables (as the store would write them, with a user.created event per user),
which takes seconds instead of the minutes 100 000 SCIM requests would.
"""
import argparse
import json
import sqlite3
import time
import uuid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=1_000)
    parser.add_argument("--groups-per-user", type=int, default=2)
    args = parser.parse_args()
    db = sqlite3.connect(args.file)
    directory = db.execute("SELECT id FROM directory ORDER BY created_at LIMIT 1").fetchone()[0]
    now = int(time.time() * 1000)
    with db:
        for index in range(args.users):
            user_name = f"user{index:06d}@example.com"
            document = {
                "userName": user_name,
                "name": {"givenName": f"Given{index}", "familyName": f"Family{index}"},
                "emails": [{"value": user_name, "type": "work", "primary": True}],
                "displayName": f"Given{index} Family{index}",
                "active": True,
            }
            user_id = str(uuid.uuid4())
            cursor = db.execute(
                "INSERT INTO scim_user (id, directory_id, user_name, user_name_key, external_id, display_name_key, active, "
                "created_at, modified_at, version, document) VALUES (?, ?, ?, ?, NULL, ?, 1, ?, ?, 1, ?)",
                (user_id, directory, user_name, user_name, document["displayName"].lower(), now, now, json.dumps(document)),
            )
            db.execute(
                "INSERT INTO scim_user_email (user_row, directory_id, value_key, type_key) VALUES (?, ?, ?, 'work')",
                (cursor.lastrowid, directory, user_name),
            )
            db.execute(
                "INSERT INTO event (id, directory_id, type, resource_id, data, previous_attributes, created_at) "
                "VALUES (?, ?, 'user.created', ?, ?, NULL, ?)",
                ("evt_" + str(uuid.uuid4()), directory, user_id, json.dumps(document), now),
            )
        group_rows = []
        for index in range(args.groups):
            name = f"Group {index:04d}"
            cursor = db.execute(
                "INSERT INTO scim_group (id, directory_id, display_name, display_name_key, external_id, created_at, modified_at, "
                "version, document) VALUES (?, ?, ?, ?, NULL, ?, ?, 1, ?)",
                (str(uuid.uuid4()), directory, name, name.lower(), now, now, json.dumps({"displayName": name})),
            )
            group_rows.append(cursor.lastrowid)
        user_rows = [row[0] for row in db.execute("SELECT row_id FROM scim_user ORDER BY row_id")]
        pairs = set()
        for position, user_row in enumerate(user_rows):
            for k in range(args.groups_per_user):
                pairs.add((group_rows[(position * (k * 7 + 1) + k * 3) % len(group_rows)], user_row))
        db.executemany("INSERT INTO group_member (group_row, user_row) VALUES (?, ?)", sorted(pairs))
    counts = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ["scim_user", "scim_group", "group_member", "event"]}
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
