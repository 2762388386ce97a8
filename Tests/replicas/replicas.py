#!/usr/bin/env python3
"""Several `roster serve` replicas on one PostgreSQL database behind nginx: the event feed, webhooks, the settings
pages and OIDC sign-in across replicas, and per-client lockouts behind the proxy (standard library only).

    replicas.py ROSTER_BIN MOCK_BIN WORK_DIR --database-url URL --nginx-config FILE [--nginx BINARY]

scripts/replicas.sh runs this (after Tests/crash/consistency.py --replicas, on another database). URL names an empty
PostgreSQL database (psql must accept it too: no sslmode=no-verify); FILE is README's nginx block (Tests/replicas/
cluster.py replaces its placeholder ports). This script owns every process of the run, and keeps their pids in
WORK_DIR/pids so that replicas.sh can stop whatever is left if this script is killed:
  - oidc-provider-mock (MOCK_BIN, an OpenID Connect provider) on a free loopback port;
  - three replicas, `roster serve` on free loopback ports, all with nginx's URL as their public URL,
    SAML_ADMINS=admin@example.com, TRUSTED_PROXIES=127.0.0.1, the provider as OIDC_ISSUER, rate limit off; logs in
    WORK_DIR/replica-N.log;
  - nginx with README's block in WORK_DIR/nginx (its access log names the replica that answered each request);
  - a webhook receiver (http.server in a thread).
The checks, one line each:
  0. the three replicas, started at the same moment on the empty database, all become ready (/readyz 200): the
     migrations ran once, under their advisory lock; a body of 10 MiB (Roster's MAX_BODY_BYTES default) passes nginx
     and one byte more gets its 413 (client_max_body_size);
  1. an API key made on the settings pages (sign-in link, CSRF token, the key shown once after the redirect); a
     follower reads GET /api/v1/events?after=… through nginx without pause while 8 writers send SCIM changes through
     nginx (every replica answers some of both); at the end it has read exactly the event table's sequence numbers,
     in strictly increasing order, none skipped, none twice;
  2. two webhook endpoints made on the settings pages, a receiver recording each delivery's `sequence`: with no
     fault, every event after the endpoints were made reaches each endpoint once, in order; then the replica that
     owns one endpoint (its `webhook_lease` row's owner, HOST:PID:RANDOM) gets `kill -9` while the writers go on:
     another replica holds the lease within 20 s (it lapses 15 s after its last renewal), and each endpoint still
     gets every event, in order, with at most one sent twice;
  3. the settings pages with each step on another replica, all sharing one cookie jar: the sign-in link on replica
     1, the overview on replica 2, a new directory on replica 3 whose token must show on replica 1 (the page after
     the redirect), a regenerated token (replica 2) shown on replica 3; the token works for SCIM through nginx, the
     one it replaced does not, and a reload shows it no more; then OIDC: the sign-in started on replica 1 ends with
     the provider's callback on replica 2 (and, as a control, both on one replica);
  4. behind nginx, one client (connecting from 127.0.0.2) flooding wrong bearer tokens is refused with 429, and
     another (from 127.0.0.3) is not: Roster counts the address nginx puts in X-Forwarded-For. Runs last: without
     TRUSTED_PROXIES every client is nginx's 127.0.0.1, locked out for a minute.
Prints one line per check and `N passed, N failed`. Exit status 1 when a check failed or a step could not run.
"""
import argparse
import html
import http.client
import http.cookiejar
import http.server
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "crash"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import cluster  # noqa: E402
from databases import PostgresDatabase, postgres_bin_dir  # noqa: E402
from ports import free_port  # noqa: E402

ADMIN_EMAIL = cluster.ADMIN_EMAIL
DSYNC = "/settings/organization/dsync"
SCIM_PREFIX = "/api/scim/v2.0"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
WRITERS = 8
HTTP_SECONDS = 30
# A webhook endpoint's lease lapses 15 s after its owner's last renewal; the takeover may take that and a poll more.
TAKEOVER_LIMIT = 20.0
# How long after the last event the deliveries may take to arrive, and how long to wait for stragglers after that.
DELIVERY_LIMIT = 60.0
SETTLE = 2.0


class StepError(Exception):
    """A check cannot go on; what it needs is missing."""


def short(value, limit=400):
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- HTTP ---


class Response:
    def __init__(self, status, headers, body, url):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def location(self):
        location = self.headers.get("Location")
        return urllib.parse.urljoin(self.url, location) if location else None

    def set_cookie(self, name):
        for header in self.headers.get_all("Set-Cookie") or []:
            if header.split("=", 1)[0].strip() == name:
                return header
        return None

    @property
    def h1(self):
        match = re.search(r"<h1\b[^>]*>(.*?)</h1>", self.body, re.IGNORECASE | re.DOTALL)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else None

    def input_value(self, element_id):
        """The value of the input with this id (a token or key shown once), or None."""
        match = re.search(r'<input\b[^>]*\bid="' + re.escape(element_id) + r'"[^>]*>', self.body)
        value = re.search(r'\bvalue="([^"]*)"', match.group(0)) if match else None
        return html.unescape(value.group(1)) if value and value.group(1) else None

    @property
    def csrf(self):
        match = re.search(r'<input\b[^>]*\bname="csrf"[^>]*\bvalue="([^"]+)"', self.body)
        return html.unescape(match.group(1)) if match else None

    def describe(self):
        parts = [f"status {self.status}"]
        if self.location:
            parts.append(f"Location {self.location}")
        if self.h1 is not None:
            parts.append(f"h1 {self.h1!r}")
        parts.append(f"body: {short(self.body, 300)}")
        return "; ".join(parts)


class KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """No redirect followed, no HTTPError raised: each hop is checked."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Browser:
    """Keeps cookies (one jar for every replica: a cookie without a Domain is sent to the host on any port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPCookieProcessor(self.jar), KeepEveryResponse())

    def request(self, method, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        with self.opener.open(request, timeout=HTTP_SECONDS) as response:
            return Response(response.status, response.headers, response.read().decode("utf-8", "replace"), url)

    def get(self, url):
        return self.request("GET", url)

    def post_form(self, url, fields):
        return self.request("POST", url, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def cookie(self, name):
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)


_plain = urllib.request.build_opener(urllib.request.ProxyHandler({}), KeepEveryResponse())


def plain_request(method, url, data=None, headers=None):
    """A request without cookies (to the provider): (status, headers, body text)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with _plain.open(request, timeout=HTTP_SECONDS) as response:
        return response.status, response.headers, response.read().decode("utf-8", "replace")


def on(url, base):
    """url (whatever host it names) sent to base's host and port instead."""
    split, target = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(split._replace(scheme=target.scheme, netloc=target.netloc))


def scim(port, method, path, token, body=None, source=None, connection=None):
    """One SCIM request to 127.0.0.1:port (from the source address, if given): (status, parsed answer)."""
    own = connection is None
    if own:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_SECONDS,
                                                source_address=(source, 0) if source else None)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        if own:
            connection.close()
    try:
        return response.status, json.loads(data) if data else None
    except ValueError:
        return response.status, {"body": data[:200].decode("utf-8", "replace")}


# --- the writers ---


class Writer:
    """A sequential SCIM client through nginx that owns its users and groups (w{N}.…): creates users, renames and
    (de)activates them, creates groups (w{N}.g0 is mapped to a team, so team events come too), adds and removes
    members. Its state lasts across rounds; each round runs in a thread of its own."""

    def __init__(self, run, number):
        self.run, self.number = run, number
        self.prefix = f"w{number}"
        self.random = random.Random(number)
        self.users = []  # ids
        self.groups = {}  # id -> set of member ids
        self.free_names = [f"{self.prefix}.g{k}" for k in range(3)]
        self.counter = 0
        self.requests = 0
        self.statuses = {}
        self.problems = []
        self.thread = None

    def start(self, stop=None, operations=None, pause=0.0):
        self.thread = threading.Thread(target=self.round, args=(stop, operations, pause), daemon=True)
        self.thread.start()

    def join(self):
        self.thread.join(120)

    def round(self, stop, operations, pause):
        connection = http.client.HTTPConnection("127.0.0.1", self.run.nginx.port, timeout=HTTP_SECONDS)
        done = 0
        try:
            while (operations is None or done < operations) and not (stop and stop.is_set()):
                try:
                    self.step(connection)
                except (OSError, http.client.HTTPException) as error:
                    self.problems.append(f"connection error to nginx: {error!r}")
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.run.nginx.port, timeout=HTTP_SECONDS)
                done += 1
                if pause:
                    time.sleep(pause)
        finally:
            connection.close()

    def send(self, connection, method, path, body, wanted):
        """Sends one request; returns the answer when its status is wanted, None after a tolerated 502 (a request
        in flight at a kill), and records anything else as a problem."""
        sent = time.time()
        status, answer = scim(self.run.nginx.port, method, self.run.base + path, self.run.token, body,
                              connection=connection)
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status in wanted:
            return answer if answer is not None else {}
        if status == 502 and sent < self.run.tolerate_502_until:
            return None
        self.problems.append(f"{method} {path}: {status}, wanted {sorted(wanted)}: {short(answer, 200)}")
        return None

    def step(self, connection):
        r = self.random
        choice = r.random()
        if len(self.users) < 3 or choice < 0.3:
            self.counter += 1
            name = f"{self.prefix}.u{self.counter}@replicas.example"
            body = {"schemas": [USER_SCHEMA], "userName": name, "name": {"givenName": "W", "familyName": str(self.counter)},
                    "emails": [{"primary": True, "value": name, "type": "work"}], "active": True}
            answer = self.send(connection, "POST", "/Users", body, {201})
            if answer:
                self.users.append(answer["id"])
        elif choice < 0.45:
            body = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "name.givenName", "value": f"R{r.randrange(10**6)}"}]}
            self.send(connection, "PATCH", f"/Users/{r.choice(self.users)}", body, {200, 204})
        elif choice < 0.55:
            body = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": r.random() < 0.5}}]}
            self.send(connection, "PATCH", f"/Users/{r.choice(self.users)}", body, {200, 204})
        elif (choice < 0.65 or not self.groups) and self.free_names:
            name = self.free_names.pop(0)
            members = r.sample(self.users, 2)
            body = {"schemas": [GROUP_SCHEMA], "displayName": name, "members": [{"value": m} for m in members]}
            answer = self.send(connection, "POST", "/Groups", body, {201})
            if answer:
                self.groups[answer["id"]] = set(members)
        elif self.groups:
            group = r.choice(sorted(self.groups))
            members = self.groups[group]
            outside = [u for u in self.users if u not in members]
            if members and (not outside or r.random() < 0.4):
                member = r.choice(sorted(members))
                body = {"schemas": [PATCH], "Operations": [{"op": "remove", "path": f'members[value eq "{member}"]'}]}
                change = lambda: members.discard(member)  # noqa: E731
            else:
                added = r.sample(outside, min(len(outside), 2))
                body = {"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": u} for u in added]}]}
                change = lambda: members.update(added)  # noqa: E731
            answer = self.send(connection, "PATCH", f"/Groups/{group}", body, {200, 204})
            if answer is not None:
                change()
            elif self.run.tolerate_502_until > 0:
                del self.groups[group]  # a 502: its members are unknown now; leave the group alone


# --- the webhook receiver ---


class Receiver:
    """Answers 200 to every POST /hook/NAME and records each delivery's `sequence` per NAME, in arrival order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.deliveries = {}  # name -> [sequence, …]
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                name = self.path.rsplit("/", 1)[-1]
                try:
                    sequence = json.loads(body)["sequence"]
                except (ValueError, KeyError, TypeError):
                    sequence = None
                with receiver.lock:
                    receiver.deliveries.setdefault(name, []).append(sequence)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def url(self, name):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook/{name}"

    def received(self, name):
        with self.lock:
            return list(self.deliveries.get(name, []))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


# --- the run ---


class Run:
    def __init__(self, arguments):
        self.arguments = arguments
        self.work = arguments.work
        self.pids = cluster.Pids(os.path.join(self.work, "pids"))
        self.database = PostgresDatabase(arguments.database_url, postgres_bin_dir(), self.work)
        self.passed = self.failed = 0
        self.mock_process = None
        self.mock_port = free_port()
        self.client_secret = "roster-replicas-" + secrets.token_urlsafe(24)
        ports = [free_port() for _ in range(3)]
        with open(arguments.nginx_config, encoding="utf-8") as template:
            self.nginx = cluster.Nginx(arguments.nginx, template.read(), ports, os.path.join(self.work, "nginx"), self.pids)
        oidc = {"OIDC_ISSUER": self.mock_url, "OIDC_CLIENT_ID": "roster-replicas", "OIDC_CLIENT_SECRET": self.client_secret,
                "OIDC_PROVIDER_NAME": "Mock IdP"}
        self.replicas = [cluster.Replica(arguments.roster, number, port, arguments.database_url, self.nginx.url,
                                         os.path.join(self.work, f"replica-{number}.log"), self.pids, oidc)
                         for number, port in enumerate(ports, 1)]
        self.receiver = None
        self.tolerate_502_until = 0.0  # writers accept nginx's 502 for requests sent before this moment
        self.writers = []
        self.directory = self.token = self.base = None

    @property
    def mock_url(self):
        return f"http://127.0.0.1:{self.mock_port}"

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}", flush=True)
            for line in str(detail).splitlines():
                print(f"     | {line}", flush=True)
        return bool(ok)

    def cli(self, *arguments):
        environment = dict(os.environ, SAML_ADMINS=ADMIN_EMAIL)
        result = subprocess.run([self.arguments.roster, *arguments, "--database-url", self.arguments.database_url],
                                capture_output=True, text=True, check=False, env=environment)
        if result.returncode != 0:
            raise StepError(f"roster {' '.join(arguments)} failed: {result.stderr.strip()}")
        return result.stdout

    # --- processes ---

    def start_mock(self):
        with open(os.path.join(self.work, "mock.log"), "ab") as log:
            self.mock_process = subprocess.Popen(
                [self.arguments.mock, "--host", "127.0.0.1", "--port", str(self.mock_port)], stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=dict(os.environ, NO_COLOR="1"))
        self.pids.started("mock", self.mock_process.pid)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.mock_process.poll() is not None:
                raise StepError(f"oidc-provider-mock exited with {self.mock_process.returncode}")
            try:
                if plain_request("GET", self.mock_url + "/.well-known/openid-configuration")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise StepError("oidc-provider-mock does not answer after 60 s")

    def stop_all(self):
        if self.receiver:
            self.receiver.stop()
        self.nginx.stop()
        for replica in self.replicas:
            replica.stop()
        if self.mock_process and self.mock_process.poll() is None:
            self.mock_process.terminate()
            try:
                self.mock_process.wait(10)
            except subprocess.TimeoutExpired:
                self.mock_process.kill()
                self.mock_process.wait()
        self.pids.stopped("mock")

    # --- shared steps ---

    def sign_in_with_link(self, browser, replica_url):
        """A sign-in link from `roster login-link`, opened on replica_url; returns the response."""
        output = self.cli("login-link", ADMIN_EMAIL, "--base-url", self.nginx.url)
        link = next((line.strip() for line in output.splitlines() if line.strip().startswith("http")), None)
        if not link:
            raise StepError(f"roster login-link printed no link: {output!r}")
        if not link.startswith(self.nginx.url + "/"):
            raise StepError(f"the sign-in link {link} does not start with the public URL {self.nginx.url}")
        return browser.get(on(link, replica_url))

    def page_with_csrf(self, browser, url):
        response = browser.get(url)
        if response.status != 200 or not response.csrf:
            raise StepError(f"GET {url}: no page with a CSRF token: {response.describe()}")
        return response

    def run_writers(self, operations=None, stop=None, pause=0.0):
        for writer in self.writers:
            writer.start(stop, operations, pause)

    def join_writers(self):
        for writer in self.writers:
            writer.join()

    def writer_problems(self):
        problems = [f"writer {w.number}: {p}" for w in self.writers for p in w.problems]
        for writer in self.writers:
            writer.problems = []
        return problems

    # --- 0 ---

    def check_0_start(self):
        """0. Three replicas started at once on the empty database all become ready."""
        try:
            ready = cluster.start_all(self.replicas)
        except SystemExit as error:
            raise StepError(f"0. three replicas started at the same moment on an empty database: {error}") from None
        migrations = self.database.migrations()
        self.check(f"0. three replicas started at the same moment on an empty database: all ready (/readyz 200) in "
                   f"{ready:.2f} s; roster_migration lists {len(migrations)} migrations, each once", migrations and
                   len(migrations) == len(set(migrations)), f"roster_migration: {migrations}")
        self.nginx.start()

    def check_0_body_limit(self):
        """0. nginx passes a body as large as Roster accepts, and refuses a larger one."""
        limit = 10 * 1024 * 1024  # MAX_BODY_BYTES's default, and README's client_max_body_size 10m
        answers = []
        for size in (limit, limit + 1):
            connection = http.client.HTTPConnection("127.0.0.1", self.nginx.port, timeout=HTTP_SECONDS)
            connection.request("POST", f"{self.base}/Users", body=b"{" + b" " * (size - 1),
                               headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/scim+json"})
            response = connection.getresponse()
            body = response.read()
            connection.close()
            answers.append((response.status, "scim" if body.lstrip().startswith(b"{") else "nginx"))
        self.check(f"0. through nginx, a {limit}-byte body reaches Roster (its answer: {answers[0][0]}), one byte more "
                   f"gets 413 ({answers[1][1]}'s)", answers[0][1] == "scim" and answers[0][0] != 413
                   and answers[1][0] == 413, f"answers (status, from): {answers}")

    # --- 1 ---

    def check_1_event_feed(self):
        """1. An event-feed follower through nginx reads every event once, in order."""
        browser = Browser()
        response = self.sign_in_with_link(browser, self.nginx.url)
        if response.status not in (302, 303) or not browser.cookie("roster_session"):
            raise StepError(f"the sign-in link through nginx did not sign in: {response.describe()}")
        # The key is shown once, on the page after the redirect: all three steps on replica 1, so that this check
        # does not depend on where that page is served.
        replica = self.replicas[0].url
        page = self.page_with_csrf(browser, replica + DSYNC + "/api-keys")
        response = browser.post_form(replica + DSYNC + "/api-keys", {"csrf": page.csrf, "name": "replicas follower"})
        if response.status not in (302, 303):
            raise StepError(f"POST {DSYNC}/api-keys: {response.describe()}")
        key = browser.get(on(response.location, replica)).input_value("api-key-value")
        self.check("1. an API key made on the settings pages is shown once after the redirect", key and key.startswith("rst_"),
                   f"the page after the redirect shows {key!r}")
        if not key:
            raise StepError("no API key")

        follower = Follower(self.nginx.port, key)
        started = time.time()
        follower.start()
        self.run_writers(operations=60)
        self.join_writers()
        follower.writers_done.set()
        follower.join(60)
        problems = self.writer_problems()
        requests = sum(w.requests for w in self.writers)
        self.check(f"1. {WRITERS} writers sent {requests} SCIM changes through nginx, every one answered 2xx",
                   not problems and requests, "\n".join(problems[:10]))
        self.check("1. the follower's every GET /api/v1/events answered 200", not follower.errors and not follower.is_alive(),
                   "\n".join(follower.errors[:10]) or "it did not catch up within 60 s of the last write")
        table = self.database.event_sequences()
        read = follower.sequences
        increasing = all(a < b for a, b in zip(read, read[1:]))
        self.check(f"1. the follower read {len(read)} events in {follower.pages} pages, in strictly increasing order",
                   increasing, f"first out of order: {next(((a, b) for a, b in zip(read, read[1:]) if a >= b), None)}")
        missing = sorted(set(table) - set(read))
        extra = sorted(set(read) - set(table))
        repeated = len(read) - len(set(read))
        self.check(f"1. ... exactly the event table's {len(table)} sequence numbers: none skipped, none twice",
                   read == table, f"skipped {len(missing)} (e.g. {missing[:10]}), {repeated} read twice, "
                   f"{len(extra)} not in the table (e.g. {extra[:10]})")
        scim_counts = self.nginx.upstream_counts(started, SCIM_PREFIX)
        feed_counts = self.nginx.upstream_counts(started, "/api/v1/events")
        self.check(f"1. nginx spread both over every replica: SCIM {self.spread(scim_counts)}; the feed "
                   f"{self.spread(feed_counts)}", all(scim_counts.values()) and all(feed_counts.values()))

    def spread(self, counts):
        return ", ".join(f"replica {r.number} {counts[r.port]}" for r in self.replicas)

    # --- 2 ---

    def check_2_webhooks(self):
        """2. Webhooks: once per endpoint and in order, and taken over after their owner's kill -9."""
        self.receiver = Receiver()
        browser = Browser()
        response = self.sign_in_with_link(browser, self.nginx.url)
        if not browser.cookie("roster_session"):
            raise StepError(f"the sign-in link through nginx did not sign in: {response.describe()}")
        replica = self.replicas[0].url
        before = self.database.last_sequence()
        endpoints = {}
        for name in ("a", "b"):
            page = self.page_with_csrf(browser, replica + DSYNC + "/webhooks")
            response = browser.post_form(replica + DSYNC + "/webhooks", {"csrf": page.csrf, "url": self.receiver.url(name)})
            path = urllib.parse.urlsplit(response.location or "").path
            if response.status not in (302, 303) or not path.startswith(DSYNC + "/webhooks/"):
                raise StepError(f"POST {DSYNC}/webhooks: {response.describe()}")
            endpoints[name] = urllib.parse.unquote(path.rsplit("/", 1)[-1])
        if self.database.last_sequence() != before:
            raise StepError("events were written while the endpoints were made")

        # No fault.
        self.run_writers(operations=15, pause=0.05)
        self.join_writers()
        problems = self.writer_problems()
        self.check("2. the writers' changes through nginx were all answered 2xx", not problems, "\n".join(problems[:10]))
        last = self.database.last_sequence()
        expected = [s for s in self.database.event_sequences() if before < s <= last]
        waited = self.wait_for_deliveries(endpoints, expected, {name: 0 for name in endpoints})
        for name in endpoints:
            received = self.receiver.received(name)
            self.check(f"2. endpoint {name}: the {len(expected)} events after it was made arrived once each, in order "
                       f"(all within {waited:.1f} s of the last write)", received == expected,
                       describe_deliveries(received, expected))

        # The owner of endpoint a killed while the writers go on.
        marks = {name: len(self.receiver.received(name)) for name in endpoints}
        before = self.database.last_sequence()
        stop = threading.Event()
        self.run_writers(stop=stop, pause=0.1)  # about 100 events a second
        time.sleep(1.5)
        victim = None
        try:
            leases = self.database.webhook_leases()
        except RuntimeError as error:
            leases = None
            self.check("2. the owner of endpoint a is in webhook_lease", False, short(str(error), 600))
        if leases is not None:
            owner, live = leases.get(endpoints["a"], (None, False))
            pid = owner_pid(owner)
            victim = next((r for r in self.replicas if pid is not None and r.pid == pid), None)
            self.check(f"2. the owner of endpoint a is in webhook_lease: {owner} ({victim.name if victim else 'no replica'})",
                       live and victim is not None, f"webhook_lease rows: {leases}; replica pids: "
                       f"{[r.pid for r in self.replicas]}")
        takeover = None
        holder, live = None, False
        if victim:
            self.tolerate_502_until = float("inf")
            victim.kill()
            killed_at = time.time()
            self.tolerate_502_until = killed_at + 0.5
            time.sleep(2.0)
            stop.set()
            self.join_writers()
            while time.time() < killed_at + TAKEOVER_LIMIT + 5:
                holder, live = self.database.webhook_leases().get(endpoints["a"], (None, False))
                if live and holder != owner:
                    takeover = time.time() - killed_at
                    break
                time.sleep(0.25)
            self.check(f"2. another replica holds endpoint a's lease {takeover or 0:.1f} s after its owner's kill -9 "
                       f"(limit {TAKEOVER_LIMIT:.0f} s): {holder}", takeover is not None and takeover <= TAKEOVER_LIMIT,
                       f"the lease after {time.time() - killed_at:.1f} s: {holder} (live: {live})")
            victim.start()
        else:
            time.sleep(2.0)
            stop.set()
            self.join_writers()
        problems = self.writer_problems()
        self.check("2. the writers' changes through nginx were answered 2xx while a replica was killed (a 502 only for "
                   "one in flight at the kill)", not problems, "\n".join(problems[:10]))
        self.tolerate_502_until = 0.0
        last = self.database.last_sequence()
        expected = [s for s in self.database.event_sequences() if before < s <= last]
        waited = self.wait_for_deliveries(endpoints, expected, marks)
        for name in endpoints:
            received = self.receiver.received(name)[marks[name]:]
            duplicates = len(received) - len(set(received))
            first_seen = list(dict.fromkeys(received))
            increasing = all(a < b for a, b in zip(first_seen, first_seen[1:]))
            self.check(f"2. endpoint {name} after the kill: the {len(expected)} events arrived, in order, at most one "
                       f"twice ({duplicates}; all within {waited:.1f} s of the last write)",
                       set(received) == set(expected) and increasing and duplicates <= 1 and victim is not None,
                       describe_deliveries(received, expected) + ("" if victim else "; no replica was killed"))

    def wait_for_deliveries(self, endpoints, expected, marks):
        """Waits until every endpoint has received every expected sequence since its mark, then SETTLE more for
        stragglers; returns the seconds waited."""
        started = time.time()
        wanted = set(expected)
        while time.time() < started + DELIVERY_LIMIT:
            if all(wanted <= set(self.receiver.received(name)[marks[name]:]) for name in endpoints):
                break
            time.sleep(0.2)
        waited = time.time() - started
        time.sleep(SETTLE)
        return waited

    # --- 3 ---

    def check_3_admin(self):
        """3. The settings pages, each step on another replica, and OIDC's start and callback on two."""
        one, two, three = (r.url for r in self.replicas)
        browser = Browser()
        response = self.sign_in_with_link(browser, one)
        self.check("3. the sign-in link opened on replica 1 signs in (303, roster_session)",
                   response.status in (302, 303) and browser.cookie("roster_session"), response.describe())
        overview = browser.get(two + DSYNC)
        self.check('3. ... the overview on replica 2 answers 200 "Directory sync" with that session',
                   overview.status == 200 and overview.h1 == "Directory sync" and overview.csrf, overview.describe())
        if not overview.csrf:
            raise StepError("not signed in on replica 2")
        response = browser.post_form(three + DSYNC + "/directories",
                                     {"csrf": overview.csrf, "name": "Across replicas", "provider": "okta"})
        path = urllib.parse.urlsplit(response.location or "").path
        created = response.status in (302, 303) and path.startswith(DSYNC + "/directories/")
        self.check("3. ... a directory made on replica 3 (303 to its page)", created, response.describe())
        if not created:
            raise StepError("no directory")
        directory = urllib.parse.unquote(path.rsplit("/", 1)[-1])
        page = browser.get(one + path)
        first = page.input_value("scim-bearer-token")
        self.check("3. ... its SCIM token is shown on the page after the redirect, fetched from replica 1",
                   page.status == 200 and first, f"status {page.status}; the token field: "
                   f"{'masked' if 'scim-bearer-token-masked' in page.body else 'absent'}")
        csrf = page.csrf or overview.csrf
        response = browser.post_form(two + path + "/token", {"csrf": csrf})
        self.check("3. ... the token regenerated on replica 2 (303 to the directory's page)",
                   response.status in (302, 303) and urllib.parse.urlsplit(response.location or "").path == path,
                   response.describe())
        page = browser.get(three + path)
        second = page.input_value("scim-bearer-token")
        statuses = [scim(self.nginx.port, "GET", f"{SCIM_PREFIX}/{directory}/Users", second)[0] for _ in range(3)] \
            if second else []
        works = statuses == [200, 200, 200] and second != first
        self.check(f"3. ... the new token is shown on replica 3, and works for SCIM through nginx (every replica): "
                   f"{statuses or 'no token'}", page.status == 200 and works,
                   f"status {page.status}; " + ("the token field is masked" if not second else
                   "the token shown is the one the regeneration replaced" if second == first else
                   "the token shown is refused: not the regenerated one (the one made with the directory, which replica "
                   "3 kept in its memory?)" if not works else ""))
        if first and second and works:
            time.sleep(1.2)  # a replica may remember a token's hash for a second
            statuses = [scim(self.nginx.port, "GET", f"{SCIM_PREFIX}/{directory}/Users", first)[0] for _ in range(3)]
            self.check(f"3. ... the token it replaced is refused through nginx (every replica): {statuses}",
                       statuses == [401, 401, 401])
        page = browser.get(two + path)
        self.check("3. ... and a reload (replica 2) shows the token no more",
                   page.status == 200 and not page.input_value("scim-bearer-token")
                   and "scim-bearer-token-masked" in page.body, page.describe())

        # The audit trail: the directory made on replica 3 and its token regenerated on replica 2 are the same two
        # entries on every replica's Audit log and in `roster audit`.
        rows = []
        for number, url in enumerate((one, two, three), start=1):
            page = browser.get(url + DSYNC + "/audit?target=" + urllib.parse.quote(directory))
            found = re.findall(r'<tr class="audit-row" data-id="(\d+)">.*?<td class="audit-action"><code>([a-z_.]+)</code>',
                               page.body, re.S)
            rows.append(found)
            self.check(f"3. ... the Audit log on replica {number} lists the directory's creation and token rotation, "
                       f"by the admin: {[action for _, action in found]}",
                       page.status == 200 and [action for _, action in found] == ["directory.token_rotated", "directory.created"]
                       and ADMIN_EMAIL in page.body, page.describe())
        self.check("3. ... with the same entries (ids) on the three replicas", rows[0] == rows[1] == rows[2] and rows[0],
                   f"{rows}")
        entries = [json.loads(line) for line in self.cli("audit", "--json", "--target", directory).splitlines() if line]
        self.check("3. ... and roster audit --json has them, oldest first, with the admin and a client address",
                   [entry["action"] for entry in entries] == ["directory.created", "directory.token_rotated"]
                   and all(entry["actor"] == ADMIN_EMAIL and entry["address"] for entry in entries),
                   short(entries))

        # OIDC: the control on one replica, then start and callback on two.
        for name, start_on, callback_on, (finish_on, finish_number) in (
                ("3. OIDC sign-in with start and callback both on replica 1 (the control)", one, one, (one, 1)),
                ("3. OIDC sign-in started on replica 1, the provider's callback on replica 2", one, two, (three, 3))):
            browser = Browser()
            response = browser.get(start_on + "/auth/oidc/start")
            if response.status not in (302, 303) or not response.location:
                self.check(name, False, f"GET /auth/oidc/start: {response.describe()}")
                continue
            callback = self.consent(response.location)
            if not callback.startswith(self.nginx.url + "/auth/oidc/callback?"):
                self.check(name, False, f"the provider sent the browser to {callback}, not to the public URL's callback")
                continue
            response = browser.get(on(callback, callback_on))
            signed_in = response.status in (302, 303) and urllib.parse.urlsplit(response.location or "").path == DSYNC \
                and response.set_cookie("roster_session") and browser.cookie("roster_session")
            self.check(f"{name}: 303 to the settings with a session", signed_in, response.describe())
            if signed_in:
                settings = browser.get(finish_on + DSYNC)
                self.check(f"{name}: ... the settings answer 200 on replica {finish_number}",
                           settings.status == 200 and settings.h1 == "Directory sync", settings.describe())

    def consent(self, authorize_url):
        """The provider's form, posted for the admin; returns where it sends the browser."""
        status, _, body = plain_request("GET", authorize_url)
        if status != 200 or 'name="sub"' not in body:
            raise StepError(f"GET {authorize_url} (the provider's form) answered {status}: {short(body)}")
        status, headers, body = plain_request("POST", authorize_url, urllib.parse.urlencode({"sub": ADMIN_EMAIL}).encode(),
                                              {"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (302, 303) or not headers.get("Location"):
            raise StepError(f"POST {authorize_url} answered {status}: {short(body)}")
        return urllib.parse.urljoin(authorize_url, headers["Location"])

    # --- 4 ---

    def check_4_forwarded_for(self):
        """4. A wrong-token flood from one client behind nginx does not lock out another."""
        path = f"{self.base}/Users?count=1"
        statuses = {}
        connection = http.client.HTTPConnection("127.0.0.1", self.nginx.port, timeout=HTTP_SECONDS,
                                                source_address=("127.0.0.2", 0))
        for _ in range(90):  # 20 failures a minute per address and replica; nginx spreads them over three
            status, _ = scim(self.nginx.port, "GET", path, "wrong-" + secrets.token_hex(8), connection=connection)
            statuses[status] = statuses.get(status, 0) + 1
        connection.close()
        self.check(f"4. 90 wrong bearer tokens through nginx from 127.0.0.2 end in 429: {statuses}",
                   statuses.get(429, 0) > 0 and set(statuses) <= {401, 429})
        other = [scim(self.nginx.port, "GET", path, self.token, source="127.0.0.3")[0] for _ in range(6)]
        self.check(f"4. ... and another client (127.0.0.3) with the right token still gets 200 on every replica: {other}",
                   other == [200] * 6, "it was locked out too: the replicas counted nginx's address, not X-Forwarded-For")
        flooder = [scim(self.nginx.port, "GET", path, self.token, source="127.0.0.2")[0] for _ in range(3)]
        self.check(f"4. ... while 127.0.0.2 stays locked out, even with the right token: {flooder}", flooder == [429] * 3)


class Follower(threading.Thread):
    """Reads GET /api/v1/events?after=… through nginx without pause, one connection, until it has caught up after
    the writers are done."""

    def __init__(self, port, key):
        super().__init__(daemon=True)
        self.port, self.key = port, key
        self.sequences = []
        self.pages = 0
        self.errors = []
        self.writers_done = threading.Event()

    def run(self):
        after = 0
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_SECONDS)
        while len(self.errors) < 20:
            done = self.writers_done.is_set()  # before the request: an empty page after it means all was read
            try:
                connection.request("GET", f"/api/v1/events?after={after}&limit=200",
                                   headers={"Authorization": f"Bearer {self.key}"})
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"after={after}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_SECONDS)
                continue
            if response.status != 200:
                self.errors.append(f"after={after}: {response.status} {short(data.decode('utf-8', 'replace'), 200)}")
                time.sleep(0.1)
                continue
            page = json.loads(data)
            self.pages += 1
            self.sequences += [event["sequence"] for event in page["data"]]
            after = int(page["next_after"])
            if not page["data"]:
                if done:
                    break
                time.sleep(0.02)
        connection.close()


def owner_pid(owner):
    """The pid in a lease owner HOST:PID:RANDOM, or None."""
    parts = (owner or "").rsplit(":", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def describe_deliveries(received, expected):
    counts = {}
    for sequence in received:
        counts[sequence] = counts.get(sequence, 0) + 1
    duplicates = sum(count - 1 for count in counts.values())
    missing = sorted(set(expected) - set(received))
    extra = sorted(set(received) - set(expected))
    disorder = sum(1 for a, b in zip(received, received[1:]) if a is not None and b is not None and b < a)
    return (f"{len(received)} deliveries for {len(expected)} events: {duplicates} sent again, {len(missing)} missing "
            f"(e.g. {missing[:5]}), {len(extra)} not expected (e.g. {extra[:5]}), {disorder} times a lower sequence "
            f"after a higher one; the first deliveries: {received[:12]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roster")
    parser.add_argument("mock")
    parser.add_argument("work")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--nginx-config", required=True)
    parser.add_argument("--nginx", default="nginx")
    arguments = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run = Run(arguments)
    started = time.time()
    try:
        run.start_mock()
        run.check_0_start()
        created = json.loads(run.cli("directory", "create", "--name", "replicas", "--provider", "okta", "--json",
                                     "--base-url", run.nginx.url))
        run.directory, run.token = created["id"], created["token"]
        run.base = f"{SCIM_PREFIX}/{run.directory}"
        run.cli("team", "create", "replicas-team")
        for number in range(WRITERS):
            run.cli("team", "map", "replicas-team", f"w{number}.g0", "--directory", run.directory)
        run.writers = [Writer(run, number) for number in range(WRITERS)]
        for check in (run.check_0_body_limit, run.check_1_event_feed, run.check_2_webhooks, run.check_3_admin, run.check_4_forwarded_for):
            try:
                check()
            except (Exception, SystemExit) as error:  # noqa: BLE001 - any error ends that check, reported as a failure
                if isinstance(error, SystemExit) and not isinstance(error.code, str):
                    raise  # SIGTERM
                detail = str(error) if isinstance(error, (StepError, SystemExit)) else traceback.format_exc()
                run.check(f"{check.__doc__.split('.')[0]}. could not finish", False, detail)
    except StepError as error:
        run.check("the provider, the replicas and nginx start", False, str(error))
    except SystemExit as error:
        if not isinstance(error.code, str):
            raise  # SIGTERM: stop the processes (below) and end
        run.check("the provider, the replicas and nginx start", False, error.code)
    finally:
        run.stop_all()
    print(f"{run.passed} passed, {run.failed} failed ({time.time() - started:.0f} s)", flush=True)
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
