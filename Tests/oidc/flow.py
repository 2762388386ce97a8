#!/usr/bin/env python3
"""Admin sign-in with OpenID Connect against a real provider: a live `roster serve` and oidc-provider-mock.

    flow.py ROSTER_BIN MOCK_BIN WORK_DIR [--log-level LEVEL]

scripts/oidc.sh installs the provider and runs this. This script owns every process of the run:
  - oidc-provider-mock (MOCK_BIN) on a free loopback port; it is restarted on the same port for the key rotation
    (the provider makes its RSA key at start) and stopped for "provider down";
  - a forwarding proxy on its own loopback port, in a thread here. It forwards every request to the mock with the
    proxy's own Host header, so the issuer and every endpoint the mock announces are the proxy's. Roster's
    OIDC_ISSUER is the proxy. With its tamper switch on, it rewrites the `email` claim of the ID token in token
    responses and keeps the old signature. It keeps every ID token it forwarded, for the log check;
  - `roster serve` (ROSTER_BIN) on a free port with a SQLite file in WORK_DIR, SAML_ADMINS=admin@example.com, the
    OIDC settings and LOG_LEVEL (default debug); its log is WORK_DIR/server.log.
The process ids are kept in WORK_DIR/pids, so that oidc.sh can stop whatever is left if this script is killed.

The HTTP client keeps cookies (http.cookiejar) and never follows a redirect, so each hop is checked:
   1. the sign-in page links "Sign in with Mock IdP" to /auth/oidc/start and shows the redirect URI;
   2. /auth/oidc/start: 303 to the provider's authorize URL with every parameter (PKCE S256), an HttpOnly,
      SameSite=Lax roster_oidc cookie;
   3. an admin signs in: callback 303 to the settings, roster_session set, roster_oidc cleared, settings 200;
   4. a non-admin: 403 "Not an admin", no session;
   5. an admin whose email_verified is false: 403 "Email not verified";
   6. an ID token whose email claim the proxy changed to the admin's: 400 "Sign-in could not be verified";
   7. a callback with another state: 400 "Sign-in could not be verified";
   8. the callback URL of 3 again (without the flow cookie, and with the used one): 400 "Sign-in expired"; the code
      of 3 with a new flow's state: the provider refuses it, 400 "Sign-in failed";
   9. consent denied: 403 "Sign-in was cancelled"; another error= value: 400 "Sign-in failed";
  10. key rotation: the provider restarted with a new key (new kid); an admin signs in again;
  11. provider down: the token exchange cannot connect: 502 "Cannot reach Mock IdP";
  12. the server log has none of the authorization codes, ID tokens or the client secret the run saw.
Prints one line per check and `N passed, N failed`. Exit status 1 when a check failed or a step could not run.
"""

import argparse
import base64
import html
import http.client
import http.cookiejar
import http.server
import json
import os
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
from ports import free_port, listening  # noqa: E402 - after the path

HTTP_SECONDS = 30
START_SECONDS = 60  # the mock (uvicorn) or a debug build of roster on a busy machine

ADMIN_EMAIL = "admin@example.com"
OTHER_EMAIL = "someone@example.com"
PROVIDER_NAME = "Mock IdP"
CLIENT_ID = "roster-oidc-test"
DSYNC_PATH = "/settings/organization/dsync"
SIGN_IN_PATH = "/auth/sign-in"
START_PATH = "/auth/oidc/start"
CALLBACK_PATH = "/auth/oidc/callback"
FLOW_COOKIE = "roster_oidc"
SESSION_COOKIE = "roster_session"
# Headers that belong to one connection, not to the request or response a proxy forwards.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}


class StepError(Exception):
    """A check cannot go on (a response is not what the next hop needs); the checks that need it are skipped."""


def short(value, limit=600):
    """A body or value as one line of at most `limit` characters, for a failure's detail."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def h1_in_html(text):
    """The text of the first h1 in an HTML document, tags removed and entities decoded."""
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", text, re.IGNORECASE | re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else None


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- processes ---


class Processes:
    """The child processes of the run, written to WORK_DIR/pids whenever one starts or stops."""

    def __init__(self, work):
        self.path = Path(work) / "pids"
        self.running = {}  # name -> Popen

    def started(self, name, process):
        self.running[name] = process
        self._write()

    def stop(self, name):
        process = self.running.pop(name, None)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._write()

    def stop_all(self):
        for name in list(self.running):
            self.stop(name)

    def _write(self):
        self.path.write_text("".join(f"{process.pid}\n" for process in self.running.values()))


class Mock:
    """oidc-provider-mock on a fixed port; start() after stop() is a new process, so a new signing key."""

    def __init__(self, binary, port, work, processes):
        self.binary = binary
        self.port = port
        self.log_path = Path(work) / "mock.log"
        self.processes = processes
        self.starts = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.starts += 1
        log = open(self.log_path, "a")
        log.write(f"--- start {self.starts} ---\n")
        log.flush()
        environment = dict(os.environ, NO_COLOR="1")
        process = subprocess.Popen(
            [self.binary, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
        )
        log.close()
        self.processes.started("mock", process)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StepError(f"oidc-provider-mock exited with {process.returncode}: {self.log_tail()}")
            try:
                status, _, _ = plain_request("GET", self.url + "/.well-known/openid-configuration", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise StepError(f"oidc-provider-mock does not answer on {self.url} after {START_SECONDS} s")

    def stop(self):
        self.processes.stop("mock")
        # The port must be free again before a restart binds it.
        deadline = time.monotonic() + 10
        while listening(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)

    def kid(self):
        status, _, body = plain_request("GET", self.url + "/jwks")
        if status != 200:
            raise StepError(f"GET {self.url}/jwks answered {status}: {short(body)}")
        return [key.get("kid") for key in json.loads(body).get("keys", [])]

    def set_claims(self, sub, claims):
        url = f"{self.url}/users/{urllib.parse.quote(sub, safe='')}"
        status, _, body = plain_request(
            "PUT", url, json.dumps(claims).encode(), {"Content-Type": "application/json"}
        )
        if status not in (200, 204):
            raise StepError(f"PUT {url} answered {status}: {short(body)}")

    def log_tail(self):
        try:
            return short(self.log_path.read_text()[-2000:], 2000)
        except OSError:
            return "(no log)"


class Proxy:
    """A forwarding proxy on its own port in front of the mock; see the module docstring."""

    def __init__(self, port, upstream_port):
        self.port = port
        self.upstream_port = upstream_port
        self.tamper = False
        self.tampered = 0
        self.id_tokens = []  # every id_token forwarded, the original and the tampered one
        self.requests = []  # (method, path without query, status)
        self.lock = threading.Lock()
        self.server = None
        self.thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, so that once the proxy is stopped nothing reaches the mock.
            def do_GET(self):
                self.forward()

            do_POST = do_PUT = do_DELETE = do_HEAD = do_GET

            def read_body(self):
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    body = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline().strip():
                                pass  # trailers
                            return body
                        body += self.rfile.read(size)
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else None

            def forward(self):
                body = self.read_body()
                headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
                headers["Host"] = f"127.0.0.1:{proxy.port}"
                if body is not None:
                    headers["Content-Length"] = str(len(body))
                path = urllib.parse.urlsplit(self.path).path
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=HTTP_SECONDS)
                    connection.request(self.command, self.path, body, headers)
                    response = connection.getresponse()
                    status, reason, data = response.status, response.reason, response.read()
                    response_headers = response.getheaders()
                    connection.close()
                except OSError as error:
                    data = f"the proxy cannot reach the provider: {error}".encode()
                    status, reason, response_headers = 502, "Bad Gateway", [("Content-Type", "text/plain")]
                if self.command == "POST" and path == "/oauth2/token" and status == 200:
                    data = proxy.rewrite_token_response(data)
                with proxy.lock:
                    proxy.requests.append((self.command, path, status))
                self.send_response(status, reason)
                for name, value in response_headers:
                    if name.lower() not in HOP_BY_HOP and name.lower() not in ("date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None

    def rewrite_token_response(self, data):
        """Keeps the id_token; with the tamper switch on, puts the admin's email in it under the old signature."""
        try:
            token_response = json.loads(data)
        except ValueError:
            return data
        id_token = token_response.get("id_token") if isinstance(token_response, dict) else None
        if not isinstance(id_token, str) or id_token.count(".") != 2:
            return data
        with self.lock:
            self.id_tokens.append(id_token)
        if not self.tamper:
            return data
        header, payload, signature = id_token.split(".")
        claims = json.loads(b64url_decode(payload))
        claims["email"] = ADMIN_EMAIL
        forged = ".".join((header, b64url_encode(json.dumps(claims, separators=(",", ":")).encode()), signature))
        token_response["id_token"] = forged
        with self.lock:
            self.id_tokens.append(forged)
            self.tampered += 1
        return json.dumps(token_response).encode()


def start_roster(arguments, port, issuer, client_secret, processes):
    base_url = f"http://127.0.0.1:{port}"
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OIDC_", "SAML_", "LOG_")) and name not in ("BASE_URL", "HOST", "PORT")
    }
    environment.update(
        OIDC_ISSUER=issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=client_secret,
        OIDC_PROVIDER_NAME=PROVIDER_NAME,
        SAML_ADMINS=ADMIN_EMAIL,
        LOG_LEVEL=arguments.log_level,
    )
    work = Path(arguments.work)
    command = [
        arguments.roster,
        "serve",
        "--database-url",
        f"sqlite:{work / 'roster.sqlite'}",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--base-url",
        base_url,
    ]
    with open(work / "server.log", "a") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environment
        )
    processes.started("roster", process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StepError(f"roster serve exited with {process.returncode} before listening")
        if listening(port):
            return base_url
        time.sleep(0.1)
    raise StepError(f"roster serve is not listening on port {port} after {START_SECONDS} s")


# --- HTTP ---


class Response:
    def __init__(self, status, headers, body, url):
        self.status = status
        self.headers = headers  # an http.client.HTTPMessage
        self.body = body
        self.url = url

    @property
    def location(self):
        """The Location header resolved against the request URL, or None."""
        location = self.headers.get("Location")
        return urllib.parse.urljoin(self.url, location) if location else None

    @property
    def set_cookies(self):
        return self.headers.get_all("Set-Cookie") or []

    def set_cookie(self, name):
        """The Set-Cookie header for the cookie `name`, or None."""
        for header in self.set_cookies:
            if header.split("=", 1)[0].strip() == name:
                return header
        return None

    @property
    def h1(self):
        return h1_in_html(self.body)

    def describe(self):
        parts = [f"status {self.status}"]
        if self.location:
            parts.append(f"Location {self.location}")
        for header in self.set_cookies:
            parts.append(f"Set-Cookie {header.split(';')[0][:60]}…")
        if self.h1 is not None:
            parts.append(f"h1 {self.h1!r}")
        parts.append(f"body: {short(self.body, 400)}")
        return "\n".join(parts)


class KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Returns 3xx, 4xx and 5xx responses as they are: no redirect is followed, no HTTPError raised."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Client:
    """A browser stand-in: keeps cookies, follows no redirect, ignores any proxy in the environment."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.jar),
            KeepEveryResponse(),
        )

    def request(self, method, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        with self.opener.open(request, timeout=HTTP_SECONDS) as response:
            body = response.read().decode("utf-8", "replace")
            return Response(response.status, response.headers, body, url)

    def get(self, url, headers=None):
        return self.request("GET", url, headers=headers)

    def cookie(self, name):
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        return None


_plain = urllib.request.build_opener(urllib.request.ProxyHandler({}), KeepEveryResponse())


def plain_request(method, url, data=None, headers=None, timeout=HTTP_SECONDS):
    """A request without cookies (to the provider): (status, headers, body text)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with _plain.open(request, timeout=timeout) as response:
        return response.status, response.headers, response.read().decode("utf-8", "replace")


# --- the run ---


class Run:
    """What the checks share: the processes, the clients' results, and the secrets the run saw."""

    def __init__(self, arguments):
        self.arguments = arguments
        self.processes = Processes(arguments.work)
        self.mock = Mock(arguments.mock, free_port(), arguments.work, self.processes)
        self.proxy = Proxy(free_port(), self.mock.port)
        self.client_secret = "roster-oidc-secret-" + secrets.token_urlsafe(24)
        self.base_url = None
        self.passed = 0
        self.failed = 0
        self.codes = []  # every authorization code seen in a redirect
        self.admin_sign_in = None  # (callback URL, roster_oidc cookie value) of the first admin sign-in

    def url(self, path):
        return self.base_url + path

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {name}", flush=True)
            return True
        self.failed += 1
        print(f"FAIL {name}", flush=True)
        for line in str(detail).splitlines():
            print(f"     | {line}", flush=True)
        return False

    # --- the hops of a sign-in ---

    def start(self, client):
        """GET /auth/oidc/start; returns (response, the authorize URL it redirects to)."""
        response = client.get(self.url(START_PATH))
        if response.status not in (302, 303) or not response.location:
            raise StepError(f"GET {START_PATH} did not redirect:\n{response.describe()}")
        return response, response.location

    def consent(self, authorize_url, sub=None, deny=False):
        """Shows the provider's form, then posts it (sub=…, or action=deny); returns the redirect to Roster."""
        status, _, body = plain_request("GET", authorize_url)
        if status != 200 or 'name="sub"' not in body:
            raise StepError(f"GET {authorize_url} (the provider's form) answered {status}: {short(body)}")
        fields = {"action": "deny"} if deny else {"sub": sub}
        status, headers, body = plain_request(
            "POST",
            authorize_url,
            urllib.parse.urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        location = headers.get("Location")
        if status not in (302, 303) or not location:
            raise StepError(f"POST {authorize_url} {fields} answered {status}: {short(body)}")
        callback = urllib.parse.urljoin(authorize_url, location)
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query).get("code", [None])[0]
        if code:
            self.codes.append(code)
        return callback

    def sign_in(self, client, sub, deny=False):
        """start → the provider's form → Roster's callback; returns (callback URL, the callback's response)."""
        _, authorize_url = self.start(client)
        callback = self.consent(authorize_url, sub, deny)
        if not callback.startswith(self.url(CALLBACK_PATH) + "?"):
            raise StepError(f"the provider sent the browser to {callback}, not to {self.url(CALLBACK_PATH)}")
        return callback, client.get(callback)

    # --- what a response should be ---

    def expect_page(self, name, response, status, heading):
        """A failure page: the status, an HTML page whose h1 contains heading, no session cookie, no stack trace."""
        content_type = response.headers.get("Content-Type", "")
        self.check(
            f'{name}: {status} with h1 "{heading}"',
            response.status == status and heading in (response.h1 or "") and content_type.startswith("text/html"),
            f"Content-Type {content_type!r}\n{response.describe()}",
        )
        leaked = [marker for marker in ("Traceback", "Fatal error", "Swift/", ".swift:") if marker in response.body]
        self.check(f"{name}: ... an HTML page without a stack trace", not leaked, f"the body has {leaked}")
        self.check(
            f"{name}: ... and no {SESSION_COOKIE} cookie",
            response.set_cookie(SESSION_COOKIE) is None or cleared(response.set_cookie(SESSION_COOKIE)),
            "\n".join(response.set_cookies),
        )

    def expect_signed_out(self, name, client):
        response = client.get(self.url(DSYNC_PATH))
        path = urllib.parse.urlsplit(response.location or "").path
        self.check(
            f"{name}: ... and {DSYNC_PATH} still sends to the sign-in page",
            (response.status in (302, 303) and path == SIGN_IN_PATH)
            or (response.status in (200, 401, 403) and response.h1 == "Sign in"),
            response.describe(),
        )

    def expect_signed_in(self, name, callback_response, client):
        response = callback_response
        self.check(
            f"{name}: the callback answers 303 to {DSYNC_PATH}",
            response.status == 303 and urllib.parse.urlsplit(response.location or "").path == DSYNC_PATH,
            response.describe(),
        )
        session = response.set_cookie(SESSION_COOKIE)
        self.check(
            f"{name}: ... sets {SESSION_COOKIE}",
            session is not None and not cleared(session) and client.cookie(SESSION_COOKIE),
            "\n".join(response.set_cookies) or "no Set-Cookie",
        )
        flow = response.set_cookie(FLOW_COOKIE)
        self.check(
            f"{name}: ... and clears {FLOW_COOKIE}",
            flow is not None and cleared(flow) and client.cookie(FLOW_COOKIE) is None,
            "\n".join(response.set_cookies) or "no Set-Cookie",
        )
        settings = client.get(self.url(DSYNC_PATH))
        self.check(
            f'{name}: ... then {DSYNC_PATH} answers 200 with h1 "Directory sync"',
            settings.status == 200 and settings.h1 == "Directory sync",
            settings.describe(),
        )


def cleared(set_cookie):
    """Whether a Set-Cookie header removes its cookie: an empty value, Max-Age=0 or an Expires in the past."""
    value = set_cookie.split(";", 1)[0].partition("=")[2].strip()
    attributes = cookie_attributes(set_cookie)
    if value in ("", '""') or attributes.get("max-age") in ("0", "-1"):
        return True
    expires = http.cookiejar.http2time(attributes["expires"]) if attributes.get("expires") else None
    return expires is not None and expires < time.time()


def cookie_attributes(set_cookie):
    """The attributes of a Set-Cookie header, lower-cased names: {"httponly": "", "samesite": "Lax", …}."""
    return {
        part.split("=", 1)[0].strip().lower(): part.split("=", 1)[1].strip() if "=" in part else ""
        for part in set_cookie.split(";")[1:]
    }


# --- the checks ---


def check_1_sign_in_page(run):
    """1. The sign-in page links to /auth/oidc/start and shows the redirect URI."""
    response = Client().get(run.url(SIGN_IN_PATH))
    run.check(f"1. GET {SIGN_IN_PATH} answers 200", response.status == 200, response.describe())
    match = re.search(r'<a\b([^>]*\bid="oidc-sign-in"[^>]*)>(.*?)</a>', response.body, re.DOTALL)
    href = re.search(r'\bhref="([^"]*)"', match.group(1)) if match else None
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).split()) if match else None
    run.check(
        f'1. ... with a#oidc-sign-in "Sign in with {PROVIDER_NAME}" to {START_PATH}',
        match is not None and href is not None and html.unescape(href.group(1)) == START_PATH
        and text == f"Sign in with {PROVIDER_NAME}",
        f"a#oidc-sign-in: {match.group(0) if match else None!r}\n{short(response.body)}",
    )
    redirect_uri = run.url(CALLBACK_PATH)
    run.check(
        f"1. ... and the redirect URI {redirect_uri}",
        redirect_uri in html.unescape(re.sub(r"<[^>]+>", " ", response.body)),
        short(response.body),
    )


def check_2_start(run):
    """2. /auth/oidc/start redirects to the provider with every parameter and sets the flow cookie."""
    client = Client()
    response, authorize_url = run.start(client)
    run.check(f"2. GET {START_PATH} answers 303", response.status == 303, response.describe())
    split = urllib.parse.urlsplit(authorize_url)
    run.check(
        "2. ... to the provider's authorization_endpoint (at the proxy)",
        f"{split.scheme}://{split.netloc}{split.path}" == run.proxy.url + "/oauth2/authorize",
        f"Location {authorize_url}",
    )
    query = urllib.parse.parse_qs(split.query)
    single = {name: values[0] for name, values in query.items() if len(values) == 1}
    expected = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": run.url(CALLBACK_PATH),
        "code_challenge_method": "S256",
    }
    for name, value in expected.items():
        run.check(f"2. ... {name}={value}", single.get(name) == value, f"query: {query}")
    scope = single.get("scope", "").split()
    run.check('2. ... a scope with "openid" and "email"', {"openid", "email"} <= set(scope), f"scope: {scope}")
    for name in ("state", "nonce"):
        run.check(f"2. ... a {name} of 16 or more characters", len(single.get(name, "")) >= 16, f"query: {query}")
    challenge = single.get("code_challenge", "")
    run.check(
        "2. ... a code_challenge of 43 base64url characters",
        re.fullmatch(r"[A-Za-z0-9_-]{43}", challenge) is not None,
        f"code_challenge {challenge!r}",
    )
    header = response.set_cookie(FLOW_COOKIE)
    attributes = cookie_attributes(header or "")
    run.check(
        f"2. ... sets {FLOW_COOKIE} HttpOnly, SameSite=Lax, Path=/auth/oidc",
        header is not None
        and "httponly" in attributes
        and attributes.get("samesite", "").lower() == "lax"
        and attributes.get("path") == "/auth/oidc",
        "\n".join(response.set_cookies) or "no Set-Cookie",
    )
    _, second_url = run.start(Client())
    second = urllib.parse.parse_qs(urllib.parse.urlsplit(second_url).query)
    fresh = [name for name in ("state", "nonce", "code_challenge") if second.get(name) == query.get(name)]
    run.check("2. a second start has a new state, nonce and code_challenge", not fresh, f"the same: {fresh}")


def check_3_admin(run):
    """3. An admin signs in."""
    client = Client()
    _, authorize_url = run.start(client)
    flow_cookie = client.cookie(FLOW_COOKIE)
    callback = run.consent(authorize_url, ADMIN_EMAIL)
    if not callback.startswith(run.url(CALLBACK_PATH) + "?"):
        raise StepError(f"the provider sent the browser to {callback}, not to {run.url(CALLBACK_PATH)}")
    response = client.get(callback)
    run.expect_signed_in(f"3. {ADMIN_EMAIL}", response, client)
    run.admin_sign_in = (callback, flow_cookie)


def check_4_not_admin(run):
    """4. Someone who is not an admin gets 403."""
    client = Client()
    _, response = run.sign_in(client, OTHER_EMAIL)
    run.expect_page(f"4. {OTHER_EMAIL}", response, 403, "Not an admin")
    run.expect_signed_out("4", client)


def check_5_unverified(run):
    """5. An admin whose email_verified is false gets 403."""
    run.mock.set_claims(ADMIN_EMAIL, {"email": ADMIN_EMAIL, "email_verified": False})
    try:
        client = Client()
        _, response = run.sign_in(client, ADMIN_EMAIL)
        run.expect_page(f"5. {ADMIN_EMAIL} with email_verified false", response, 403, "Email not verified")
        run.expect_signed_out("5", client)
    finally:
        run.mock.set_claims(ADMIN_EMAIL, {"email": ADMIN_EMAIL, "email_verified": True})


def check_6_tampered(run):
    """6. An ID token whose email was changed after signing is refused."""
    run.proxy.tamper = True
    before = run.proxy.tampered
    try:
        client = Client()
        _, response = run.sign_in(client, OTHER_EMAIL)
    finally:
        run.proxy.tamper = False
    run.check(
        f"6. the proxy changed the ID token's email to {ADMIN_EMAIL}",
        run.proxy.tampered > before,
        "no token response went through the proxy",
    )
    run.expect_page("6. a tampered ID token", response, 400, "Sign-in could not be verified")
    run.expect_signed_out("6", client)


def check_7_wrong_state(run):
    """7. A callback whose state is not the flow's is refused."""
    client = Client()
    _, authorize_url = run.start(client)
    callback = run.consent(authorize_url, ADMIN_EMAIL)
    split = urllib.parse.urlsplit(callback)
    query = dict(urllib.parse.parse_qsl(split.query))
    query["state"] = secrets.token_urlsafe(24)
    response = client.get(urllib.parse.urlunsplit(split._replace(query=urllib.parse.urlencode(query))))
    run.expect_page("7. another state", response, 400, "Sign-in could not be verified")
    run.expect_signed_out("7", client)


def check_8_replay(run):
    """8. The callback of 3 again, and its code in a new flow."""
    if run.admin_sign_in is None:
        raise StepError("no sign-in from check 3 to replay")
    callback, flow_cookie = run.admin_sign_in
    response = Client().get(callback)
    run.expect_page(f"8. the callback URL of 3 again, without a {FLOW_COOKIE} cookie", response, 400, "Sign-in expired")
    response = Client().get(callback, headers={"Cookie": f"{FLOW_COOKIE}={flow_cookie}"})
    name = f"8. the callback URL of 3 again, with its used {FLOW_COOKIE} cookie"
    run.expect_page(name, response, 400, "Sign-in expired")

    old_code = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query)["code"][0]
    client = Client()
    _, authorize_url = run.start(client)
    new_state = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize_url).query)["state"][0]
    query = urllib.parse.urlencode({"code": old_code, "state": new_state})
    before = len(run.proxy.requests)
    response = client.get(run.url(CALLBACK_PATH) + "?" + query)
    run.expect_page("8. the used code of 3 with a new flow's state", response, 400, "Sign-in failed")
    token_requests = [entry for entry in run.proxy.requests[before:] if entry[1] == "/oauth2/token"]
    run.check(
        "8. ... after the provider refused it at the token endpoint (400)",
        any(status == 400 for _, _, status in token_requests),
        f"token endpoint requests (method, path, status): {token_requests}",
    )
    run.expect_signed_out("8", client)


def check_9_denied(run):
    """9. Consent denied at the provider, and another error from it."""
    client = Client()
    callback, response = run.sign_in(client, None, deny=True)
    error = urllib.parse.parse_qs(urllib.parse.urlsplit(callback).query).get("error")
    if error != ["access_denied"]:
        raise StepError(f"denying at the provider sent the browser to {callback}, without error=access_denied")
    run.expect_page("9. consent denied (error=access_denied)", response, 403, "Sign-in was cancelled")

    client = Client()
    _, authorize_url = run.start(client)
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize_url).query)["state"][0]
    query = urllib.parse.urlencode(
        {"error": "temporarily_unavailable", "error_description": "try later", "state": state}
    )
    response = client.get(run.url(CALLBACK_PATH) + "?" + query)
    run.expect_page("9. error=temporarily_unavailable", response, 400, "Sign-in failed")


def check_10_key_rotation(run):
    """10. The provider restarts with a new signing key; an admin signs in again."""
    before = run.mock.kid()
    run.mock.stop()
    run.mock.start()
    after = run.mock.kid()
    run.check(
        "10. the restarted provider signs with a new key (another kid at /jwks)",
        before and after and not set(before) & set(after) and all(after),
        f"kid before {before}, after {after}",
    )
    jwks_before = sum(1 for _, path, _ in run.proxy.requests if path == "/jwks")
    client = Client()
    _, response = run.sign_in(client, ADMIN_EMAIL)
    if run.proxy.id_tokens:
        header = json.loads(b64url_decode(run.proxy.id_tokens[-1].split(".")[0]))
        # oidc-provider-mock 0.3.4 signs without a kid in the header although its JWKS key has one: then no "unknown
        # kid" says the keys changed, and only a failed signature can.
        print(f"#   the new ID token's header: {json.dumps(header)}", flush=True)
    run.expect_signed_in(f"10. {ADMIN_EMAIL} after the key rotation", response, client)
    jwks_after = sum(1 for _, path, _ in run.proxy.requests if path == "/jwks")
    run.check(
        "10. ... Roster fetched the new keys from /jwks",
        jwks_after > jwks_before,
        f"GET /jwks through the proxy: {jwks_before} before the sign-in, {jwks_after} after",
    )


def check_11_provider_down(run):
    """11. The provider cannot be reached for the token exchange."""
    client = Client()
    _, authorize_url = run.start(client)
    callback = run.consent(authorize_url, ADMIN_EMAIL)
    # Both stopped: a connection to the issuer's port is refused.
    run.proxy.stop()
    run.mock.stop()
    began = time.monotonic()
    response = client.get(callback)
    seconds = time.monotonic() - began
    run.expect_page("11. provider down at the token exchange", response, 502, f"Cannot reach {PROVIDER_NAME}")
    run.check("11. ... answered within 15 s", seconds < 15, f"{seconds:.1f} s")
    run.expect_signed_out("11", client)


def check_12_log(run):
    """12. The server log has none of the codes, ID tokens or the client secret."""
    log = (Path(run.arguments.work) / "server.log").read_text(errors="replace")
    values = (
        [("the client secret", run.client_secret)]
        + [(f"authorization code {n + 1}", code) for n, code in enumerate(run.codes)]
        + [(f"ID token {n + 1}", token) for n, token in enumerate(run.proxy.id_tokens)]
    )
    run.check(
        f"12. the run saw {len(run.codes)} authorization codes and {len(run.proxy.id_tokens)} ID tokens to look for",
        run.codes and run.proxy.id_tokens,
        "nothing to look for: no sign-in reached the token endpoint",
    )
    found = []
    for name, value in values:
        # An ID token's signature alone is as secret as the token.
        parts = [value] if name.startswith(("the", "authorization")) else [value, value.rsplit(".", 1)[-1]]
        if any(part in log for part in parts):
            found.append(name)
    run.check(
        f"12. the server log ({len(log.splitlines())} lines) has none of the codes, ID tokens or the client secret",
        not found,
        f"found: {', '.join(found)}",
    )


CHECKS = [
    ("1", check_1_sign_in_page, ()),
    ("2", check_2_start, ()),
    ("3", check_3_admin, ()),
    ("4", check_4_not_admin, ()),
    ("5", check_5_unverified, ()),
    ("6", check_6_tampered, ()),
    ("7", check_7_wrong_state, ()),
    ("8", check_8_replay, ("3",)),
    ("9", check_9_denied, ()),
    ("10", check_10_key_rotation, ("3",)),
    ("11", check_11_provider_down, ()),
]


def run_checks(run):
    unfinished = set()
    skipped = 0
    for number, check, needs in CHECKS:
        missing = [need for need in needs if need in unfinished]
        if missing:
            what = check.__doc__.split(". ", 1)[1].rstrip(".")
            print(f"SKIP {number}. {what} (needs check {', '.join(missing)})", flush=True)
            unfinished.add(number)
            skipped += 1
            continue
        try:
            check(run)
        except Exception as error:  # noqa: BLE001 - any error ends the check, reported as a failure
            unfinished.add(number)
            if isinstance(error, StepError):
                detail = str(error)
            elif isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError, OSError)):
                detail = f"{type(error).__name__}: {error} (is the server still running?)"
            else:
                detail = traceback.format_exc()
            run.check(f"{number}. could not finish", False, detail)
    return skipped


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roster", help="the roster binary")
    parser.add_argument("mock", help="the oidc-provider-mock executable")
    parser.add_argument("work", help="a directory for the database, the logs and the pids file")
    parser.add_argument("--log-level", default="debug", help="roster's LOG_LEVEL (default debug)")
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    # On SIGTERM (from `timeout` or oidc.sh) still stop the processes in the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run = Run(arguments)
    skipped = 0
    try:
        try:
            run.mock.start()
            run.proxy.start()
            run.base_url = start_roster(arguments, free_port(), run.proxy.url, run.client_secret, run.processes)
            print(
                f"# roster {run.base_url}, provider {run.mock.url}, proxy (the issuer) {run.proxy.url}",
                flush=True,
            )
        except StepError as error:
            run.check("the provider, the proxy and roster serve start", False, str(error))
            return 1
        skipped = run_checks(run)
    finally:
        run.proxy.stop()
        run.processes.stop_all()
    # Once roster has exited, so that its log is complete.
    try:
        check_12_log(run)
    except OSError as error:
        run.check("12. could not finish", False, f"{type(error).__name__}: {error}")
    print(f"{run.passed} passed, {run.failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 1 if run.failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
