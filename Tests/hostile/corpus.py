#!/usr/bin/env python3
"""The hostile-input corpus, sent over raw HTTP to a live `roster serve` (standard library only).

Usage: corpus.py PORT SCIM_BASE_PATH TOKEN SERVER_PID

Every case is sent on its own connection, exactly as written (raw sockets, so invalid UTF-8, NUL bytes, repeated
keys and lying Content-Length headers reach the server unchanged). Each must get the expected status (and
`scimType`, for SCIM errors), and after each the server must still answer GET /ServiceProviderConfig with 200.
At the end the server's resident memory must be back near its baseline. Prints one line per check and
`N passed, N failed`; exits 1 on any failure.
"""
import json
import socket
import sys
import time
import urllib.parse

PORT, BASE, TOKEN, SERVER_PID = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
RUN = str(int(time.time() * 1000))  # makes the names this run creates new, so the corpus can run twice
passed = failed = 0


def check(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def send(method, path, body=b"", headers=None, chunks=None, content_length=None):
    """One request on a fresh connection; returns (status, parsed JSON body or None, raw body)."""
    connection = socket.create_connection(("127.0.0.1", PORT), timeout=60)
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Bearer {TOKEN}",
             "Content-Type: application/scim+json", "Connection: close"]
    lines += headers or []
    if chunks is not None:
        lines.append("Transfer-Encoding: chunked")
    else:
        lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    # A server that answers before reading the whole body (413) stops reading: stop sending after a pause.
    connection.settimeout(5)
    try:
        if chunks is None:
            connection.sendall(head + body)
        else:
            connection.sendall(head)
            for chunk in chunks:
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            connection.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass  # the server answered early (413) and stopped reading or closed; its answer is still readable
    connection.settimeout(60)
    data = b""
    try:
        while True:
            part = connection.recv(65536)
            if not part:
                break
            data += part
    except (ConnectionResetError, socket.timeout):
        pass
    connection.close()
    if not data.startswith(b"HTTP/1.1 "):
        return None, None, data
    status = int(data.split(b" ", 2)[1])
    raw = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    try:
        document = json.loads(raw) if raw else None
    except ValueError:
        document = None
    return status, document, raw


def alive():
    status, _, _ = send("GET", BASE + "/ServiceProviderConfig")
    return status == 200


def rss_kb():
    with open(f"/proc/{SERVER_PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def expect(name, method, path, body=b"", statuses=(400,), scim_type=None, **options):
    status, document, raw = send(method, BASE + path if path.startswith("/") else path, body, **options)
    ok = status in statuses
    if ok and status >= 400 and status != 413 and scim_type is not None:
        ok = isinstance(document, dict) and document.get("scimType") == scim_type and bool(document.get("detail"))
    if ok and status >= 400 and isinstance(document, dict):
        ok = "urn:ietf:params:scim:api:messages:2.0:Error" in document.get("schemas", [])
    check(ok, f"{name}: {status}", f"expected {statuses} {scim_type or ''}, got {status} {raw[:200]!r}")
    check(alive(), f"{name}: the server still answers")
    return document


def search(filter_text):
    return json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": filter_text}).encode()


def main():
    # Warm up, then take the memory baseline.
    for n in range(200):
        send("GET", BASE + "/Users?count=5")
    baseline = rss_kb()

    # Malformed and truncated JSON.
    expect("malformed JSON", "POST", "/Users", b'{"userName": "a",', scim_type="invalidSyntax")
    expect("truncated JSON", "POST", "/Users", b'{"userName":"a","name":{"givenName":"x"', scim_type="invalidSyntax")
    expect("empty body", "POST", "/Users", b"", scim_type="invalidSyntax")
    expect("a JSON array as the body", "POST", "/Users", b"[1,2]", scim_type="invalidSyntax")
    expect("a JSON string as the body", "POST", "/Users", b'"x"', scim_type="invalidSyntax")

    # Wrong types.
    expect("userName an object", "POST", "/Users", b'{"userName":{"a":1}}', scim_type="invalidValue")
    expect("userName an array of objects", "POST", "/Users", b'{"userName":[{"a":1}]}', scim_type="invalidValue")
    expect("active not a boolean", "POST", "/Users", b'{"userName":"t@x.com","active":"maybe"}', scim_type="invalidValue")
    expect("name a string", "POST", "/Users", b'{"userName":"t@x.com","name":"x"}', scim_type="invalidValue")
    expect("an email value an object", "POST", "/Users", b'{"userName":"t@x.com","emails":[{"value":{"a":1}}]}',
           scim_type="invalidValue")
    expect("displayName of a group a number array", "POST", "/Groups", b'{"displayName":[[1]]}', scim_type="invalidValue")
    expect("PATCH Operations a string", "PATCH", "/Users/x", json.dumps({"schemas": [PATCH], "Operations": "x"}).encode(),
           scim_type="invalidSyntax")
    expect("PATCH op unknown", "PATCH", "/Users/x", json.dumps({"schemas": [PATCH], "Operations": [{"op": "frob"}]}).encode(),
           scim_type="invalidSyntax")
    expect("startIndex not a number", "GET", "/Users?startIndex=abc", statuses=(400,), scim_type="invalidValue")
    expect("startIndex beyond any integer", "GET", "/Users?startIndex=99999999999999999999", scim_type="invalidValue")

    # Nesting and size.
    expect("10 000 nested arrays", "POST", "/Users", b"[" * 10000 + b"]" * 10000, scim_type="invalidSyntax")
    expect("10 000 nested objects", "POST", "/Users", b'{"a":' * 10000 + b"1" + b"}" * 10000, scim_type="invalidSyntax")
    expect("a 100 MB body, declared", "POST", "/Users", b"{}", statuses=(413,), content_length=100 * 1024 * 1024)
    megabyte = b" " * (1024 * 1024)
    expect("a 100 MB body, chunked", "POST", "/Users", statuses=(413,), chunks=(megabyte for _ in range(100)))

    # Filters.
    expect("a filter of 100 000 characters (POST .search)", "POST", "/Users/.search",
           search('userName eq "' + "a" * 100000 + '"'), scim_type="invalidFilter")
    status, _, _ = send("GET", BASE + "/Users?filter=" + "a" * 100000)
    check(status is not None and 400 <= status < 500, f"a filter of 100 000 characters in the URL: {status} (the HTTP layer's limit)")
    check(alive(), "a filter of 100 000 characters in the URL: the server still answers")
    expect("1 000 'or' clauses", "POST", "/Users/.search",
           search(" or ".join(f'userName eq "u{n}"' for n in range(1000))), scim_type="invalidFilter")
    chain = expect("910 'or' clauses within the length limit", "POST", "/Users/.search", search(" or ".join(["id pr"] * 910)),
                   statuses=(200,))
    check(isinstance(chain, dict) and chain.get("totalResults", -1) >= 0, "910 'or' clauses: a ListResponse")
    nested = "id pr"
    for level in range(31):
        nested = f"not (id pr and {nested})" if level % 2 == 0 else f"(id pr or {nested})"
    expect("31 levels of alternating and/or/not", "POST", "/Users/.search", search(nested), statuses=(200,))
    expect("33 levels of parentheses", "POST", "/Users/.search", search("(" * 33 + "id pr" + ")" * 33), scim_type="invalidFilter")
    expect("an unterminated filter string", "GET", "/Users?filter=" + urllib.parse.quote('userName eq "abc'),
           scim_type="invalidFilter")

    # NUL bytes and invalid UTF-8.
    expect("a raw NUL byte inside a JSON string", "POST", "/Users", b'{"userName":"a\x00b"}', scim_type="invalidSyntax")
    expect("invalid UTF-8 in the body", "POST", "/Users", b'{"userName":"\xff\xfe@x.com"}', scim_type="invalidSyntax")
    expect("a lone surrogate escape", "POST", "/Users", b'{"userName":"\\ud800@x.com"}', scim_type="invalidSyntax")
    expect("a NUL in a filter value", "GET", "/Users?filter=" + urllib.parse.quote('userName eq "a\x00b"'), statuses=(200, 400))
    expect("invalid UTF-8 in a filter", "GET", "/Users?filter=userName%20eq%20%22%ff%fe%22", statuses=(200, 400))
    expect("invalid UTF-8 in a resource id", "GET", "/Users/%ff%fe", statuses=(404,))
    expect("a malformed percent-escape in a resource id", "GET", "/Users/%zz", statuses=(400, 404))

    # SQL metacharacters are data.
    sql_name = "o'brien\"; DROP TABLE scim_user;--" + RUN + "@x.com"
    created = expect("SQL metacharacters in a userName", "POST", "/Users", json.dumps({"userName": sql_name}).encode(), statuses=(201,))
    found = expect("the same name found by filter", "GET", "/Users?filter=" + urllib.parse.quote(
        'userName eq "' + sql_name.replace("\\", "\\\\").replace('"', '\\"') + '"'), statuses=(200,))
    check(isinstance(found, dict) and found.get("totalResults") == 1 and isinstance(created, dict)
          and found["Resources"][0]["id"] == created.get("id"), "the SQL-looking name round-trips exactly")
    injected = expect("SQL metacharacters in a filter", "GET", "/Users?filter=" + urllib.parse.quote(
        "userName eq \"x' OR 1=1 --\" or externalId eq \"') OR ('1'='1\""), statuses=(200,))
    check(isinstance(injected, dict) and injected.get("totalResults") == 0, "an injection-shaped filter matches nothing")

    # Unicode.
    emoji = "\U0001F600.\u00e9cole.\u4e2d\u6587." + RUN + "@example.com"
    created = expect("an emoji and accented userName", "POST", "/Users", json.dumps({"userName": emoji}).encode(), statuses=(201,))
    check(isinstance(created, dict) and created.get("userName") == emoji, "the unicode userName round-trips exactly")
    expect("the same userName in upper case is taken", "POST", "/Users", json.dumps({"userName": emoji.upper()}).encode(),
           statuses=(409,), scim_type="uniqueness")

    # Repeated keys.
    expect("a repeated member name", "POST", "/Users", b'{"userName":"r1@x.com","userName":"r2@x.com"}', scim_type="invalidSyntax")

    # A 10 000-operation PATCH is valid SCIM: it is applied (in one transaction), not refused.
    if isinstance(created, dict):
        operations = [{"op": "replace", "path": "displayName", "value": f"name {n}"} for n in range(10000)]
        patched = expect("a 10 000-operation PATCH", "PATCH", "/Users/" + created["id"],
                         json.dumps({"schemas": [PATCH], "Operations": operations}).encode(), statuses=(200, 204))
        check(patched is None or patched.get("displayName") == "name 9999", "the last of 10 000 operations wins")

    # Oversized headers never reach Roster's code.
    status, _, _ = send("GET", BASE + "/Users", headers=["X-Junk: " + "a" * 200000])
    check(status is None or 400 <= status < 500, f"a 200 KB header: {status}")
    check(alive(), "a 200 KB header: the server still answers")

    # Memory back near its baseline once the large requests are done.
    for n in range(200):
        send("GET", BASE + "/Users?count=5")
    time.sleep(1)
    final = rss_kb()
    check(final <= baseline + 48 * 1024, f"memory back near its baseline: {baseline // 1024} MB before, {final // 1024} MB after",
          "more than 48 MB above the baseline")

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
