#!/usr/bin/env python3
"""Admin sign-in with SAML 2.0 against a real identity provider: a live `roster serve` and pysaml2's IdP.

    flow.py ROSTER_BIN WORK_DIR [--log-level LEVEL] [--only N,…] [--case WORDS]…

scripts/saml.sh installs pysaml2, lxml and the xmlsec1 tool and runs this with the venv's Python. ROSTER_BIN may be
Tests/saml/stub_roster.py (then run with this Python), a stand-in that tests this suite. This script owns every
process of the run (their ids are kept in WORK_DIR/pids, so that saml.sh can stop whatever is left if it is killed):
  - Tests/saml/idp.py on a free loopback port; it makes its key and certificate in WORK_DIR/idp, and the forged
    responses below are re-signed with that key (or an attacker's, made in WORK_DIR too) by the xmlsec1 tool;
  - `roster serve` with SAML_IDP_METADATA=http://127.0.0.1:IDP/metadata, SAML_PROVIDER_NAME, SAML_ADMINS=
    admin@example.com, LOG_FORMAT=json and LOG_LEVEL (default debug), on a free port with a SQLite file in
    WORK_DIR; a second one with SAML_ALLOW_IDP_INITIATED=true and the IdP given as SAML_IDP_ENTITY_ID,
    SAML_IDP_SSO_URL and SAML_IDP_CERTIFICATE; short-lived ones that must refuse to start. Their log (stdout and
    stderr) is WORK_DIR/server.log.

The HTTP client keeps cookies and never follows a redirect, so each hop is checked. The ACS is posted to as a
browser posts the IdP's cross-site form: without the cookies that are SameSite Lax or Strict (or have no SameSite,
which browsers take as Lax), so the pending request must be bound through RelayState, server-side. Each client
connects from its own loopback address (127.0.0.2–254), so that roster's limit on failed sign-ins per address
(20 a minute) is not what refuses the attack suite's responses.
   1. start-up with the IdP's metadata URL; the sign-in page (link "Sign in with NAME", ACS URL, SP entity ID,
      metadata URL); the SP metadata (entityID, WantAssertionsSigned, AuthnRequestsSigned, NameIDFormat, ACS);
   2. /auth/saml/start (the AuthnRequest inflated and read, RelayState); an admin signs in with the Response and
      the Assertion signed (Okta), and with only the Assertion signed (Entra): 303, roster_session, settings 200;
   3. a non-admin: 403 "Not an admin", reason not-an-admin, no session;
   4. IdP-initiated: refused (unsolicited) by default; accepted by a second roster with SAML_ALLOW_IDP_INITIATED=
      true (configured without metadata), whose replay of it is refused;
   5. start-up refusals (exit code 2, one line `roster: …` on stderr, nothing on stdout): metadata URL
      unreachable, metadata without a signing certificate, http:// off loopback (http://idp.invalid: nothing is
      contacted), a metadata file that does not exist; the metadata as a file works;
   6. the attack suite against the ACS: each forged response is refused with its status, heading and the reason
      code of the JSON log line "SAML sign-in failed" (one of the codes the case accepts; the one seen is printed),
      and no session; plus the few forged responses that must be accepted (email attribute, clock skew);
   7. the server log has none of the posted SAMLResponses, signature values, XML of assertions, nor the NameIDs
      of the non-admins.
Prints one line per check and `N passed, N failed`. Exit status 1 when a check failed or a step could not run.
"""

import argparse
import base64
import copy
import functools
import html
import http.client
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "support"))
import forge  # noqa: E402 - after the path
from forge import ASSERTION_SIGNATURE, DS, RESPONSE_SIGNATURE, SAML, SAMLP, etree, q  # noqa: E402
from ports import free_port, listening  # noqa: E402

HTTP_SECONDS = 30
START_SECONDS = 60  # a debug build of roster on a busy machine
EXIT_SECONDS = 30  # a roster that must refuse to start

ADMIN_EMAIL = "admin@example.com"
OTHER_EMAIL = "someone@example.com"
PROVIDER_NAME = "Test IdP"
SP2_ENTITY_ID = "urn:roster:saml-test:second-sp"
DSYNC_PATH = "/settings/organization/dsync"
SIGN_IN_PATH = "/auth/sign-in"
START_PATH = "/auth/saml/start"
ACS_PATH = "/auth/saml/acs"
METADATA_PATH = "/auth/saml/metadata"
SESSION_COOKIE = "roster_session"
FAILED_MESSAGE = "SAML sign-in failed"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"

# The refusal codes in the order the spec lists them (a check earlier in the list may refuse a response before the
# one the case is about), with their statuses and headings (None: any h1).
REASONS = [
    "body-too-large", "missing-response", "malformed", "doctype", "not-a-response", "encrypted-assertion",
    "assertion-count", "signature-placement", "duplicate-id", "assertion-unsigned", "signature-algorithm",
    "signature-reference", "signature-invalid", "issuer", "audience", "destination", "recipient", "status",
    "expired", "not-yet-valid", "in-response-to", "replay", "unsolicited", "authn-statement", "no-email",
    "not-an-admin",
]
UNVERIFIED = "Sign-in could not be verified"
WRONG_IDP = "Wrong identity provider"
HEADINGS = {
    **{reason: UNVERIFIED for reason in REASONS[1:13] if reason != "encrypted-assertion"},
    "encrypted-assertion": "Encrypted assertions are not supported",
    "issuer": WRONG_IDP, "audience": WRONG_IDP, "destination": WRONG_IDP, "recipient": WRONG_IDP,
    "not-an-admin": "Not an admin",
}
STATUSES = {"not-an-admin": 403, "body-too-large": 413}


class StepError(Exception):
    """A check cannot go on (a response is not what the next hop needs); the checks that need it are skipped."""


def short(value, limit=600):
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def h1_in_html(text):
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", text, re.IGNORECASE | re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()) if match else None


def page_text(text):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def saml_time(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now():
    return datetime.now(timezone.utc)


# --- processes ---


class Processes:
    """The child processes of the run, written to WORK_DIR/pids whenever one starts or stops."""

    def __init__(self, work):
        self.path = Path(work) / "pids"
        self.running = {}

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


def command_for(program):
    """A Python script (the stub) runs with this Python; anything else is executed."""
    return [sys.executable, program] if program.endswith(".py") else [program]


class IdP:
    """Tests/saml/idp.py on its own port; its key and certificate are in WORK_DIR/idp."""

    def __init__(self, work, processes):
        self.port = free_port()
        self.dir = Path(work) / "idp"
        self.log_path = Path(work) / "idp.log"
        self.processes = processes

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def entity_id(self):
        return self.url + "/metadata"

    @property
    def sso_url(self):
        return self.url + "/sso"

    key = property(lambda self: self.dir / "idp-key.pem")
    cert = property(lambda self: self.dir / "idp-cert.pem")

    def start(self):
        script = Path(__file__).resolve().parent / "idp.py"
        with open(self.log_path, "a") as log:
            process = subprocess.Popen(
                [sys.executable, "-W", "ignore", str(script), "--port", str(self.port), "--dir", str(self.dir)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        self.processes.started("idp", process)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StepError(f"idp.py exited with {process.returncode}: {self.log_tail()}")
            try:
                status, _, _ = plain_request("GET", self.url + "/metadata", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise StepError(f"idp.py does not answer on {self.url} after {START_SECONDS} s")

    def control(self, **settings):
        status, _, body = plain_request(
            "POST", self.url + "/control", json.dumps(settings).encode(), {"Content-Type": "application/json"}
        )
        if status != 200:
            raise StepError(f"POST {self.url}/control {settings} answered {status}: {short(body)}")
        return json.loads(body)

    def form(self, url):
        """GET url at the IdP (its SSO endpoint or /idp-initiated): the auto-POST form's action and fields."""
        status, _, body = plain_request("GET", url)
        if status != 200:
            raise StepError(f"GET {url[:200]} (the IdP) answered {status}: {short(body)}")
        action = re.search(r'<form\b[^>]*\baction="([^"]*)"', body)
        fields = dict(
            (html.unescape(name), html.unescape(value))
            for name, value in re.findall(r'<input\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"', body)
        )
        if not action or "SAMLResponse" not in fields:
            raise StepError(f"the IdP's page has no form with a SAMLResponse: {short(body)}")
        return html.unescape(action.group(1)), fields

    def log_tail(self):
        try:
            return short(self.log_path.read_text()[-2000:], 2000)
        except OSError:
            return "(no log)"


class Roster:
    """One `roster serve`; its output is appended to WORK_DIR/server.log."""

    count = 0

    def __init__(self, run, environment, sp_entity_id=None):
        Roster.count += 1
        self.run = run
        self.name = f"roster{Roster.count}"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.extra = environment
        self.sp_entity_id = sp_entity_id or self.base_url + METADATA_PATH
        self.process = None

    def url(self, path):
        return self.base_url + path

    @property
    def acs_url(self):
        return self.base_url + ACS_PATH

    def command_and_environment(self):
        environment = {
            name: value for name, value in os.environ.items()
            if not name.startswith(("OIDC_", "SAML_", "LOG_")) and name not in ("BASE_URL", "HOST", "PORT")
        }
        environment.update(
            SAML_ADMINS=ADMIN_EMAIL, SAML_PROVIDER_NAME=PROVIDER_NAME, LOG_FORMAT="json",
            LOG_LEVEL=self.run.arguments.log_level,
        )
        environment.update(self.extra)
        database = Path(self.run.arguments.work) / f"{self.name}.sqlite"
        command = command_for(self.run.arguments.roster) + [
            "serve", "--database-url", f"sqlite:{database}", "--host", "127.0.0.1", "--port", str(self.port),
            "--base-url", self.base_url,
        ]
        return command, environment

    def start(self):
        command, environment = self.command_and_environment()
        with open(self.run.server_log, "a") as log:
            log.write(f"--- {self.name} on {self.base_url}: {short({k: v for k, v in self.extra.items()})} ---\n")
            log.flush()
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=environment
            )
        self.run.processes.started(self.name, self.process)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StepError(f"{self.name} (roster serve) exited with {self.process.returncode} before listening")
            if listening(self.port):
                return self
            time.sleep(0.1)
        raise StepError(f"{self.name} is not listening on port {self.port} after {START_SECONDS} s")

    def refuses_to_start(self):
        """Runs roster serve expecting it to exit: (exit code or None if it kept running, stdout, stderr)."""
        command, environment = self.command_and_environment()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=environment,
            text=True,
        )
        self.run.processes.started(self.name, process)
        try:
            stdout, stderr = process.communicate(timeout=EXIT_SECONDS)
            code = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            code = None
        self.run.processes.stop(self.name)
        with open(self.run.server_log, "a") as log:
            log.write(f"--- {self.name} (must refuse to start): exit {code} ---\n{stdout}{stderr}")
        return code, stdout, stderr

    def stop(self):
        self.run.processes.stop(self.name)


# --- HTTP ---


class Response:
    def __init__(self, status, headers, body, url):
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    @property
    def location(self):
        location = self.headers.get("Location")
        return urllib.parse.urljoin(self.url, location) if location else None

    @property
    def set_cookies(self):
        return self.headers.get_all("Set-Cookie") or []

    def set_cookie(self, name):
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
            parts.append(f"Location {self.location[:200]}")
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


class FromAddress(urllib.request.HTTPHandler):
    """Connects from a given loopback address (127.0.0.N)."""

    def __init__(self, address):
        super().__init__()
        self.address = address

    def http_open(self, request):
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=(self.address, 0)), request)


class Client:
    """A browser stand-in: keeps cookies, follows no redirect, ignores any proxy in the environment. Its ACS post
    is cross-site (the IdP's page posts it): only cookies with SameSite=None go with it.

    Each client connects from its own loopback address, 127.0.0.2 to 127.0.0.254 in turn: roster limits failed
    sign-ins per client address (20 a minute), and the attack suite fails on purpose some 60 times a minute. The
    limiter is not what this suite tests; one address per browser keeps each far below it."""

    count = 0

    def __init__(self):
        Client.count += 1
        self.address = f"127.0.0.{2 + (Client.count - 1) % 253}"
        source = FromAddress(self.address)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), KeepEveryResponse(), source
        )
        self.bare = urllib.request.build_opener(urllib.request.ProxyHandler({}), KeepEveryResponse(), source)
        self.withheld = []  # names of cookies a browser would not send with the cross-site POST

    def request(self, method, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        with self.opener.open(request, timeout=HTTP_SECONDS) as response:
            body = response.read().decode("utf-8", "replace")
            return Response(response.status, response.headers, body, url)

    def get(self, url, headers=None):
        return self.request("GET", url, headers=headers)

    def post_cross_site(self, url, fields):
        """POSTs the form as the IdP's auto-submitted page does; keeps the cookies the response sets."""
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        sent = []
        for cookie in self.jar:
            same_site = next((v for k, v in cookie._rest.items() if k.lower() == "samesite"), None)
            if (same_site or "").lower() == "none":
                sent.append(f"{cookie.name}={cookie.value}")
            else:
                self.withheld.append(cookie.name)
        if sent:
            request.add_header("Cookie", "; ".join(sent))
        with self.bare.open(request, timeout=HTTP_SECONDS) as response:
            body = response.read().decode("utf-8", "replace")
            self.jar.extract_cookies(response, request)
            return Response(response.status, response.headers, body, url)

    def cookie(self, name):
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        return None


_plain = urllib.request.build_opener(urllib.request.ProxyHandler({}), KeepEveryResponse())


def plain_request(method, url, data=None, headers=None, timeout=HTTP_SECONDS):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with _plain.open(request, timeout=timeout) as response:
        return response.status, response.headers, response.read().decode("utf-8", "replace")


def cleared(set_cookie):
    value = set_cookie.split(";", 1)[0].partition("=")[2].strip()
    attributes = {
        part.split("=", 1)[0].strip().lower(): part.split("=", 1)[1].strip() if "=" in part else ""
        for part in set_cookie.split(";")[1:]
    }
    if value in ("", '""') or attributes.get("max-age") in ("0", "-1"):
        return True
    expires = http.cookiejar.http2time(attributes["expires"]) if attributes.get("expires") else None
    return expires is not None and expires < time.time()


# --- the server log ---


class ServerLog:
    """WORK_DIR/server.log: JSON lines (and a few plain ones) from every roster of the run."""

    def __init__(self, path):
        self.path = path

    def mark(self):
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def objects_since(self, mark):
        with open(self.path, "rb") as file:
            file.seek(mark)
            text = file.read().decode("utf-8", "replace")
        objects = []
        for line in text.splitlines():
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                objects.append(value)
        return objects

    def failures_since(self, mark, wait=True):
        """The "SAML sign-in failed" lines written since mark; waits up to 3 s for the first (logs are async)."""
        deadline = time.monotonic() + (3 if wait else 0)
        while True:
            found = [line for line in self.objects_since(mark) if line.get("message") == FAILED_MESSAGE]
            if found or time.monotonic() >= deadline:
                return found
            time.sleep(0.05)


# --- the sign-in hops ---


class Pending:
    """A started sign-in: the redirect to the IdP, the AuthnRequest in it and the RelayState."""

    def __init__(self, client, response):
        self.client = client
        self.response = response
        self.location = response.location
        split = urllib.parse.urlsplit(self.location)
        self.sso_url = f"{split.scheme}://{split.netloc}{split.path}"
        query = urllib.parse.parse_qs(split.query)
        self.query = query
        self.relay_state = query.get("RelayState", [None])[0]
        encoded = query.get("SAMLRequest", [None])[0]
        if not encoded:
            raise StepError(f"GET {START_PATH} redirected without a SAMLRequest: {self.location[:300]}")
        try:
            self.request_xml = zlib.decompress(base64.b64decode(encoded), -15)
            self.request = forge.parse(self.request_xml)
        except (ValueError, zlib.error, etree.XMLSyntaxError) as error:
            raise StepError(f"the SAMLRequest is not raw DEFLATE + base64 of XML: {error}") from error
        self.request_id = self.request.get("ID")


class Genuine:
    """A Response the IdP made for a pending request: its XML, the form's fields and the client that started it."""

    def __init__(self, pending, action, fields):
        self.pending = pending
        self.client = pending.client
        self.action = action
        self.fields = fields
        self.xml = base64.b64decode(fields["SAMLResponse"])
        self.relay_state = fields.get("RelayState")


# --- the run ---


class Run:
    def __init__(self, arguments):
        self.arguments = arguments
        self.work = Path(arguments.work)
        self.processes = Processes(arguments.work)
        self.server_log = self.work / "server.log"
        self.log = ServerLog(self.server_log)
        self.idp = IdP(arguments.work, self.processes)
        self.roster = None
        self.xmlsec = forge.Xmlsec("xmlsec1", self.work / "forge")
        self.attacker_key = self.attacker_cert = None
        self.passed = 0
        self.failed = 0
        self.posted = []  # every SAMLResponse posted to an ACS (base64), for the log check
        self.secret_values = []  # (what, value): signature values seen
        self.non_admin_name_ids = {OTHER_EMAIL}
        self.used = None  # a Genuine whose assertion signed in, for the replay cases

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

    # --- hops ---

    def start(self, roster, client=None):
        client = client or Client()
        response = client.get(roster.url(START_PATH))
        if response.status not in (302, 303) or not response.location:
            raise StepError(f"GET {START_PATH} did not redirect:\n{response.describe()}")
        return Pending(client, response)

    def genuine(self, roster=None, email=ADMIN_EMAIL, sign="both"):
        """A fresh sign-in at roster up to the IdP's answer (not posted yet)."""
        roster = roster or self.roster
        self.idp.control(email=email, sign=sign)
        pending = self.start(roster)
        action, fields = self.idp.form(pending.location)
        if action != roster.acs_url:
            raise StepError(f"the IdP's form posts to {action}, not to {roster.acs_url}")
        if email != ADMIN_EMAIL:
            self.non_admin_name_ids.add(email)
        return Genuine(pending, action, fields)

    def post(self, roster, client, fields):
        """Posts fields to roster's ACS as the IdP's page would; remembers what was posted for the log check."""
        if fields.get("SAMLResponse"):
            self.posted.append(fields["SAMLResponse"])
            try:
                data = base64.b64decode(fields["SAMLResponse"], validate=True)
                self.secret_values += [("a signature value", value) for value in forge.signature_values(data)]
            except ValueError:
                pass
        return client.post_cross_site(roster.acs_url, fields)

    # --- what a response should be ---

    def expect_signed_in(self, name, response, client, email=ADMIN_EMAIL):
        self.check(
            f"{name}: the ACS answers 303 to {DSYNC_PATH}",
            response.status == 303 and urllib.parse.urlsplit(response.location or "").path == DSYNC_PATH,
            response.describe(),
        )
        session = response.set_cookie(SESSION_COOKIE)
        self.check(
            f"{name}: ... sets {SESSION_COOKIE}",
            session is not None and not cleared(session) and client.cookie(SESSION_COOKIE),
            "\n".join(response.set_cookies) or "no Set-Cookie",
        )
        settings = client.get(self.roster_of(response).url(DSYNC_PATH))
        self.check(
            f"{name}: ... then {DSYNC_PATH} answers 200 and shows {email}",
            settings.status == 200 and email in page_text(settings.body),
            settings.describe(),
        )

    def roster_of(self, response):
        split = urllib.parse.urlsplit(response.url)
        return _BaseURL(f"{split.scheme}://{split.netloc}")

    def expect_refused(self, name, response, client, mark, accepted):
        """A refusal: one of the accepted reason codes in the log line, its status and heading, no session."""
        failures = self.log.failures_since(mark)
        reasons = [line.get("reason") for line in failures]
        seen = reasons[0] if reasons else None
        expected = sorted(accepted, key=REASONS.index)
        reason_for_page = seen if seen in accepted else expected[0]
        status = STATUSES.get(reason_for_page, 400)
        heading = HEADINGS.get(reason_for_page)
        label = "/".join(expected)
        self.check(
            f"{name}: refused, reason {label}" + (f" (seen: {seen})" if len(expected) > 1 or seen not in accepted else ""),
            len(failures) == 1 and seen in accepted,
            f"log lines {json.dumps(failures)[:800]}" if failures else f"no \"{FAILED_MESSAGE}\" log line\n"
            + response.describe(),
        )
        content_type = response.headers.get("Content-Type", "")
        self.check(
            f"{name}: ... {status} with " + (f'h1 "{heading}"' if heading else "an h1"),
            response.status == status and content_type.startswith("text/html") and (
                (heading or "") in (response.h1 or "") if heading else bool(response.h1)),
            f"Content-Type {content_type!r}\n{response.describe()}",
        )
        session = response.set_cookie(SESSION_COOKIE)
        after = client.get(self.roster_of(response).url(DSYNC_PATH))
        self.check(
            f"{name}: ... and no session",
            (session is None or cleared(session)) and after.status != 200,
            "\n".join(response.set_cookies) + f"\nGET {DSYNC_PATH}: {after.describe()}",
        )
        violations = failures[0].get("violations") if failures else None
        if isinstance(violations, str):
            # Only the stub (Tests/saml/stub_roster.py) logs every check the response fails: each one that comes
            # before the latest accepted code must be accepted too, or the case's list is missing an honest code.
            listed = [v for v in violations.split(",") if v]
            latest = max(REASONS.index(reason) for reason in accepted)
            missing = [v for v in listed if v in REASONS and REASONS.index(v) <= latest and v not in accepted]
            self.check(f"{name}: ... (stub) every check it fails up to {REASONS[latest]} is accepted", not missing,
                       f"the stub's violations {listed}; not accepted: {missing}")
        return seen


class _BaseURL:
    def __init__(self, base_url):
        self.base_url = base_url

    def url(self, path):
        return self.base_url + path


# --- 1. start-up, the sign-in page, the SP metadata ---


def check_1_sign_in_page(run):
    """1. The sign-in page and the SP metadata."""
    roster = run.roster
    response = Client().get(roster.url(SIGN_IN_PATH))
    run.check(f"1. GET {SIGN_IN_PATH} answers 200", response.status == 200, response.describe())
    links = re.findall(r"<a\b([^>]*)>(.*?)</a>", response.body, re.DOTALL)
    wanted = f"Sign in with {PROVIDER_NAME}"
    found = [
        (attributes, text) for attributes, text in links
        if re.search(r'\bhref="([^"]*)"', attributes)
        and html.unescape(re.search(r'\bhref="([^"]*)"', attributes).group(1)) == START_PATH
    ]
    run.check(
        f'1. ... a link "{wanted}" to {START_PATH}',
        any(" ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split()) == wanted for _, text in found),
        f"links to {START_PATH}: {found}\n{short(response.body)}",
    )
    text = page_text(response.body)
    for what, value in (("ACS URL", roster.acs_url), ("SP entity ID", roster.sp_entity_id),
                        ("metadata URL", roster.url(METADATA_PATH))):
        run.check(f"1. ... shows the {what} {value}", value in text, short(text))

    status, headers, body = plain_request("GET", roster.url(METADATA_PATH))
    run.check(
        f"1. GET {METADATA_PATH} answers 200 with an XML content type",
        status == 200 and "xml" in headers.get("Content-Type", ""),
        f"status {status}, Content-Type {headers.get('Content-Type')!r}: {short(body)}",
    )
    try:
        root = forge.parse(body.encode())
    except etree.XMLSyntaxError as error:
        run.check("1. ... valid XML", False, f"{error}: {short(body)}")
        return
    descriptor = root.find(q(MD, "SPSSODescriptor"))
    run.check(
        f"1. ... an md:EntityDescriptor whose entityID is {roster.sp_entity_id}",
        root.tag == q(MD, "EntityDescriptor") and root.get("entityID") == roster.sp_entity_id,
        short(body),
    )
    run.check(
        '1. ... SPSSODescriptor WantAssertionsSigned="true" AuthnRequestsSigned="false"',
        descriptor is not None and descriptor.get("WantAssertionsSigned") == "true"
        and descriptor.get("AuthnRequestsSigned") == "false",
        short(body),
    )
    formats = [(f.text or "").strip() for f in descriptor.findall(q(MD, "NameIDFormat"))] if descriptor is not None else []
    run.check("1. ... NameIDFormat emailAddress", EMAIL_FORMAT in formats, f"NameIDFormat {formats}")
    services = descriptor.findall(q(MD, "AssertionConsumerService")) if descriptor is not None else []
    run.check(
        f"1. ... an HTTP-POST AssertionConsumerService at {roster.acs_url}",
        any(s.get("Binding") == POST_BINDING and s.get("Location") == roster.acs_url for s in services),
        short(body),
    )


# --- 2. SP-initiated sign-in ---


def check_2_sign_in(run):
    """2. The AuthnRequest, and an admin's sign-in with both signatures and with the Assertion's only."""
    roster = run.roster
    pending = run.start(roster)
    run.check(
        f"2. GET {START_PATH} redirects (302/303) to the IdP's SSO URL {run.idp.sso_url}",
        pending.response.status in (302, 303) and pending.sso_url == run.idp.sso_url,
        pending.response.describe(),
    )
    request = pending.request
    run.check(
        "2. ... with a SAMLRequest (raw DEFLATE, base64) holding a samlp:AuthnRequest with an ID",
        request.tag == q(SAMLP, "AuthnRequest") and re.fullmatch(r"[A-Za-z_][\w.-]{15,}", pending.request_id or ""),
        short(pending.request_xml.decode("utf-8", "replace")),
    )
    issuer = request.find(q(SAML, "Issuer"))
    for name, value, expected in (
        ("AssertionConsumerServiceURL", request.get("AssertionConsumerServiceURL"), roster.acs_url),
        ("Destination", request.get("Destination"), run.idp.sso_url),
        ("Issuer", (issuer.text or "").strip() if issuer is not None else None, roster.sp_entity_id),
    ):
        run.check(f"2. ... {name} {expected}", value == expected, f"{name}: {value!r}")
    binding = request.get("ProtocolBinding")
    run.check("2. ... ProtocolBinding HTTP-POST (or none)", binding in (None, POST_BINDING), f"{binding!r}")
    relay_state = pending.relay_state or ""
    run.check(
        "2. ... and a RelayState of 16 or more characters that is neither the request ID nor a URL",
        len(relay_state) >= 16 and relay_state != pending.request_id and "://" not in relay_state
        and not relay_state.startswith("/"),
        f"RelayState {relay_state!r}",
    )
    second = run.start(roster)
    run.check(
        "2. a second start has a new request ID and RelayState",
        second.request_id != pending.request_id and second.relay_state != pending.relay_state,
        f"IDs {pending.request_id} {second.request_id}; RelayStates {pending.relay_state} {second.relay_state}",
    )
    if pending.response.set_cookies:
        print(f"#   {START_PATH} sets {[c.split('=')[0] for c in pending.response.set_cookies]}", flush=True)

    for sign, label in (("both", "Response and Assertion signed (Okta)"), ("assertion", "only the Assertion signed (Entra)")):
        genuine = run.genuine(email=ADMIN_EMAIL, sign=sign)
        root = forge.parse(genuine.xml)
        signed = (forge.signature_of(root) is not None, forge.signature_of(forge.assertion_of(root)) is not None)
        if signed != (sign == "both", True):
            raise StepError(f"the IdP was to sign {sign}, but signed (Response, Assertion) = {signed}")
        run.check(
            f"2. the IdP answered request {genuine.pending.request_id} with InResponseTo, RelayState back",
            root.get("InResponseTo") == genuine.pending.request_id
            and genuine.relay_state == genuine.pending.relay_state,
            f"InResponseTo {root.get('InResponseTo')}, RelayState {genuine.relay_state}",
        )
        response = run.post(roster, genuine.client, genuine.fields)
        run.expect_signed_in(f"2. {ADMIN_EMAIL}, {label}", response, genuine.client)
        if genuine.client.withheld:
            print(f"#   not sent with the cross-site POST (SameSite): {sorted(set(genuine.client.withheld))}",
                  flush=True)
        if sign == "both":
            run.used = genuine


# --- 3. a non-admin ---


def check_3_not_admin(run):
    """3. Someone who is not an admin gets 403."""
    genuine = run.genuine(email=OTHER_EMAIL, sign="both")
    mark = run.log.mark()
    response = run.post(run.roster, genuine.client, genuine.fields)
    run.expect_refused(f"3. {OTHER_EMAIL}", response, genuine.client, mark, {"not-an-admin"})


# --- 4. IdP-initiated ---


def check_4_idp_initiated(run):
    """4. IdP-initiated sign-in: refused by default, accepted when allowed."""
    run.idp.control(email=ADMIN_EMAIL, sign="both")
    query = urllib.parse.urlencode({"sp": run.roster.sp_entity_id})
    action, fields = run.idp.form(f"{run.idp.url}/idp-initiated?{query}")
    if "InResponseTo" in base64.b64decode(fields["SAMLResponse"]).decode():
        raise StepError("the IdP's unsolicited Response has an InResponseTo")
    client = Client()
    mark = run.log.mark()
    response = run.post(run.roster, client, fields)
    run.expect_refused("4. an IdP-initiated Response (SAML_ALLOW_IDP_INITIATED unset)", response, client, mark,
                       {"unsolicited"})

    certificate = run.idp.cert
    second = Roster(run, {
        "SAML_ALLOW_IDP_INITIATED": "true",
        "SAML_IDP_ENTITY_ID": run.idp.entity_id,
        "SAML_IDP_SSO_URL": run.idp.sso_url,
        "SAML_IDP_CERTIFICATE": str(certificate),
        "SAML_SP_ENTITY_ID": SP2_ENTITY_ID,
    }, sp_entity_id=SP2_ENTITY_ID)
    second.start()
    try:
        run.check(f"4. a second roster starts with SAML_ALLOW_IDP_INITIATED=true, SAML_IDP_ENTITY_ID, "
                  f"SAML_IDP_SSO_URL, SAML_IDP_CERTIFICATE and SAML_SP_ENTITY_ID={SP2_ENTITY_ID}", True)
        run.idp.control(sp_metadata=[second.url(METADATA_PATH)])
        query = urllib.parse.urlencode({"sp": SP2_ENTITY_ID})
        action, fields = run.idp.form(f"{run.idp.url}/idp-initiated?{query}")
        if action != second.acs_url:
            raise StepError(f"the IdP posts to {action}, not to {second.acs_url} (the second roster's metadata)")
        client = Client()
        response = run.post(second, client, fields)
        run.expect_signed_in("4. the IdP-initiated Response at the second roster", response, client)
        client = Client()
        mark = run.log.mark()
        response = run.post(second, client, fields)
        run.expect_refused("4. ... the same Response again", response, client, mark, {"replay"})
        genuine = run.genuine(second, email=ADMIN_EMAIL, sign="assertion")
        response = run.post(second, genuine.client, genuine.fields)
        run.expect_signed_in("4. an SP-initiated sign-in at the second roster", response, genuine.client)
    finally:
        second.stop()


# --- 5. start-up refusals ---


def check_5_start_up(run):
    """5. Start-up refusals, and the metadata as a file."""
    closed = free_port()
    cases = [
        ("an unreachable metadata URL", f"http://127.0.0.1:{closed}/metadata"),
        ("metadata without a signing certificate", run.idp.url + "/metadata-without-certificate"),
        ("an http:// metadata URL off loopback", "http://idp.invalid/metadata"),
        ("a metadata file that does not exist", str(run.work / "no-such-metadata.xml")),
    ]
    for label, source in cases:
        code, stdout, stderr = Roster(run, {"SAML_IDP_METADATA": source}).refuses_to_start()
        lines = stderr.splitlines()
        run.check(
            f"5. {label} ({source}): exit code 2, one line `roster: …` on stderr, nothing on stdout",
            code == 2 and len(lines) == 1 and lines[0].startswith("roster: ") and not stdout.strip(),
            f"exit code {code}\nstdout: {short(stdout)}\nstderr: {short(stderr, 1200)}",
        )
        if lines:
            print(f"#   {lines[0][:200]}", flush=True)
    status, _, body = plain_request("GET", run.idp.url + "/metadata")
    if status != 200:
        raise StepError(f"GET {run.idp.url}/metadata answered {status}")
    path = run.work / "idp-metadata.xml"
    path.write_text(body)
    roster = Roster(run, {"SAML_IDP_METADATA": str(path)})
    try:
        roster.start()
        status, _, body = plain_request("GET", roster.url(METADATA_PATH))
        run.check(f"5. the metadata as a file path: roster starts and serves {METADATA_PATH}", status == 200,
                  f"status {status}: {short(body)}")
    finally:
        roster.stop()


# --- 6. the attack suite ---


class Case:
    def __init__(self, name, accepted, build, accept=False):
        self.name = name
        self.accepted = set(accepted)
        self.build = build
        self.accept = accept  # a forged response that must be accepted


class Forged:
    """What a case posts: the fields, the client that posts them, and the roster."""

    def __init__(self, fields, client, note=None):
        self.fields = fields
        self.client = client
        self.note = note


def fields_for(genuine, data, relay_state=None):
    return {"SAMLResponse": forge.b64(data), "RelayState": genuine.relay_state if relay_state is None else relay_state}


class Kit:
    """What the case builders use: the run, the IdP's key, the attacker's, and proofs about fixtures."""

    def __init__(self, run):
        self.run = run
        self.xmlsec = run.xmlsec
        self.key, self.cert = run.idp.key, run.idp.cert

    def genuine(self, email=ADMIN_EMAIL, sign="both"):
        return self.run.genuine(email=email, sign=sign)

    def sign(self, root, element, **options):
        options.setdefault("key", self.key)
        options.setdefault("cert", self.cert)
        return self.xmlsec.sign(root, element, **options)

    def resign(self, root, response=True):
        """Signs the Assertion (and then the Response) again with the IdP's key: a valid Okta-like Response."""
        root = self.sign(root, forge.assertion_of(root))
        if response:
            root = self.sign(root, root)
        data = forge.serialize(root)
        self.prove(data, ASSERTION_SIGNATURE, True, "the re-signed Assertion verifies with the IdP's certificate")
        if response:
            self.prove(data, RESPONSE_SIGNATURE, True, "the re-signed Response verifies with the IdP's certificate")
        return root

    def prove(self, data, xpath, expected, what, cert=None, hmac_key=None, ids=None):
        """Raises unless the signature at xpath verifies (expected True) or not, with cert (default the IdP's)."""
        result = self.xmlsec.verify(data, xpath, cert=cert or (None if hmac_key else self.cert), hmac_key=hmac_key,
                                    ids=ids)
        if result != expected:
            raise forge.FixtureError(f"fixture: expected that {what}, but xmlsec1 --verify says "
                                     f"{'it verifies' if result else 'it does not verify'}")

    def used(self):
        """A Response that signed in (check 2's, or a new one when check 2 did not run)."""
        if self.run.used is None:
            genuine = self.genuine(ADMIN_EMAIL, "both")
            response = self.run.post(self.run.roster, genuine.client, genuine.fields)
            if response.status != 303 or response.set_cookie(SESSION_COOKIE) is None:
                raise StepError(f"an admin's sign-in (to replay) failed:\n{response.describe()}")
            self.run.used = genuine
        return self.run.used

    def attacker(self):
        if self.run.attacker_key is None:
            self.run.attacker_key, self.run.attacker_cert = forge.make_attacker_key(forge.temporary_directory(self.run.work))
        return self.run.attacker_key, self.run.attacker_cert


def times(root, not_before=None, not_on_or_after=None, confirmation_not_on_or_after=None, issued=None):
    condition = forge.conditions(root)
    if not_before is not None:
        condition.set("NotBefore", saml_time(not_before))
    if not_on_or_after is not None:
        condition.set("NotOnOrAfter", saml_time(not_on_or_after))
    if confirmation_not_on_or_after is not None:
        forge.confirmation_data(root).set("NotOnOrAfter", saml_time(confirmation_not_on_or_after))
    if issued is not None:
        for element in [root, forge.assertion_of(root)] + list(forge.assertion_of(root).iter(q(SAML, "AuthnStatement"))):
            for name in ("IssueInstant", "AuthnInstant"):
                if element.get(name):
                    element.set(name, saml_time(issued))


# The builders: each makes one forged response from a genuine one and returns a Forged.


def plain(kit, email, sign, change, resign=None):
    """A genuine Response for email, changed by change(root) and, unless resign is False, re-signed as it was."""
    genuine = kit.genuine(email=email, sign=sign)
    root = forge.parse(genuine.xml)
    root = change(root) or root
    if resign is None:
        resign = True
    if resign:
        root = kit.resign(root, response=sign == "both")
    return Forged(fields_for(genuine, forge.serialize(root)), genuine.client)


def build_stripped(kit):
    genuine = kit.genuine(ADMIN_EMAIL, "both")
    root = forge.parse(genuine.xml)
    forge.strip_signature(root)
    forge.strip_signature(forge.assertion_of(root))
    data = forge.serialize(root)
    if b"Signature" in data:
        raise forge.FixtureError("a signature is left")
    return Forged(fields_for(genuine, data), genuine.client)


def build_tampered(kit):
    genuine = kit.genuine(OTHER_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    forge.set_name_id(forge.assertion_of(root), ADMIN_EMAIL)
    data = forge.serialize(root)
    kit.prove(genuine.xml, ASSERTION_SIGNATURE, True, "the genuine Assertion verifies")
    kit.prove(data, ASSERTION_SIGNATURE, False, "the tampered Assertion does not verify")
    return Forged(fields_for(genuine, data), genuine.client)


def evil(assertion, new_id=True):
    """A copy of the Assertion without its signature, for the admin, with a new ID (the attacker's content)."""
    copied = forge.strip_signature(copy.deepcopy(assertion))
    if new_id:
        copied.set("ID", forge.new_id())
    forge.set_name_id(copied, ADMIN_EMAIL)
    return copied


def build_xsw(number):
    """SAML Raider's XSW1–XSW8, from a genuine Response for a non-admin, so that the content read by an SP that
    verifies one element and reads another is the admin's."""

    def build(kit):
        sign = "both" if number in (1, 2) else "assertion"
        genuine = kit.genuine(OTHER_EMAIL, sign)
        root = forge.parse(genuine.xml)
        assertion = forge.assertion_of(root)
        proof = None
        if number in (1, 2):
            # The Response, its signature removed, copied into the Signature (1) or before it (2); the outer
            # Response gets a new ID and the admin's NameID; the signature still references the copy.
            clone = forge.strip_signature(copy.deepcopy(root))
            signature = forge.signature_of(root)
            if number == 1:
                signature.append(clone)
            else:
                root.insert(root.index(signature), clone)
                proof = (RESPONSE_SIGNATURE, "the Response signature still verifies (over the copy)", "response")
            root.set("ID", forge.new_id())
            forge.set_name_id(assertion, ADMIN_EMAIL)
        elif number == 3:
            # An unsigned admin Assertion before the signed one.
            root.insert(root.index(assertion), evil(assertion))
            proof = (ASSERTION_SIGNATURE, "the original Assertion's signature still verifies", None)
        elif number == 4:
            # The unsigned admin Assertion in the Response, the signed one inside it.
            wrapper = evil(assertion)
            root.replace(assertion, wrapper)
            wrapper.append(assertion)
            proof = ("/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Assertion']"
                     "/*[local-name()='Signature']", "the wrapped Assertion's signature still verifies", None)
        elif number in (5, 6, 8):
            # The signed Assertion becomes the admin's with a new ID, keeping its signature, which references an
            # unsigned copy of the original: at the end of the Response (5), inside the Signature (6), or in a
            # ds:Object inside the Signature (8).
            original = forge.strip_signature(copy.deepcopy(assertion))
            assertion.set("ID", forge.new_id())
            forge.set_name_id(assertion, ADMIN_EMAIL)
            signature = forge.signature_of(assertion)
            if number == 5:
                root.append(original)
                proof = (ASSERTION_SIGNATURE, "the moved signature still verifies (over the copy)", None)
            elif number == 6:
                signature.append(original)
            else:
                etree.SubElement(signature, q(DS, "Object")).append(original)
        elif number == 7:
            # An unsigned admin Assertion inside samlp:Extensions, before the signed one.
            extensions = etree.Element(q(SAMLP, "Extensions"))
            extensions.append(evil(assertion))
            root.insert(root.index(root.find(q(SAMLP, "Status"))), extensions)
            proof = (ASSERTION_SIGNATURE, "the original Assertion's signature still verifies", None)
        data = forge.serialize(root)
        if proof:
            kit.prove(data, proof[0], True, proof[1], ids=proof[2])
        return Forged(fields_for(genuine, data), genuine.client)

    return build


def build_signature_in_subject(kit):
    """The Assertion's valid signature moved into its Subject (the enveloped transform still removes it there)."""
    genuine = kit.genuine(ADMIN_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    assertion = forge.assertion_of(root)
    signature = forge.signature_of(assertion)
    assertion.find(q(SAML, "Subject")).append(signature)
    data = forge.serialize(root)
    kit.prove(data, "//*[local-name()='Subject']/*[local-name()='Signature']", True, "the moved signature verifies")
    return Forged(fields_for(genuine, data), genuine.client)


def build_signature_in_extensions(kit):
    """A valid admin Response (the Assertion signed) with a copy of that signature in samlp:Extensions."""
    genuine = kit.genuine(ADMIN_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    extensions = etree.Element(q(SAMLP, "Extensions"))
    extensions.append(copy.deepcopy(forge.signature_of(forge.assertion_of(root))))
    root.insert(root.index(root.find(q(SAMLP, "Status"))), extensions)
    data = forge.serialize(root)
    kit.prove(data, ASSERTION_SIGNATURE, True, "the Assertion's own signature still verifies")
    return Forged(fields_for(genuine, data), genuine.client)


def build_second_assertion(kit):
    genuine = kit.genuine(OTHER_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    root.append(evil(forge.assertion_of(root)))
    data = forge.serialize(root)
    kit.prove(data, ASSERTION_SIGNATURE, True, "the signed Assertion still verifies")
    return Forged(fields_for(genuine, data), genuine.client)


def build_duplicate_id(kit):
    genuine = kit.genuine(ADMIN_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    root.set("ID", forge.assertion_of(root).get("ID"))
    return Forged(fields_for(genuine, forge.serialize(root)), genuine.client)


def with_status_message(kit, doctype, reference):
    """A valid admin Response (only the Assertion signed) with a DOCTYPE and an entity reference in the unsigned
    Status, so that only the DOCTYPE is wrong with it."""
    genuine = kit.genuine(ADMIN_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    status = root.find(q(SAMLP, "Status"))
    etree.SubElement(status, q(SAMLP, "StatusMessage")).text = "ENTITY-HERE"
    data = forge.serialize(root).replace(b"ENTITY-HERE", reference.encode())
    data = forge.with_doctype(data, doctype)
    return Forged(fields_for(genuine, data), genuine.client)


def build_xxe(kit):
    return with_status_message(
        kit, '<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>', "&xxe;")


def build_billion_laughs(kit):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    return with_status_message(kit, "<!DOCTYPE samlp:Response [" + "".join(entities) + "]>", "&lol9;")


def resigned_admin(kit, sign="assertion", **options):
    """An admin Response whose Assertion is signed again with the IdP's key and the given options."""
    genuine = kit.genuine(ADMIN_EMAIL, sign)
    root = forge.parse(genuine.xml)
    root = kit.sign(root, forge.assertion_of(root), **options)
    data = forge.serialize(root)
    return genuine, data


def build_signed_with(**options):
    def build(kit):
        genuine, data = resigned_admin(kit, **options)
        kit.prove(data, ASSERTION_SIGNATURE, True, "the Assertion verifies with the IdP's certificate")
        return Forged(fields_for(genuine, data), genuine.client)

    return build


def build_reference_to_response(kit):
    """The Assertion holds a signature (IdP key) whose Reference is the Response: it signs, but not the Assertion."""
    genuine = kit.genuine(OTHER_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    forge.set_name_id(forge.assertion_of(root), ADMIN_EMAIL)
    root = kit.sign(root, root, place_in=forge.assertion_of(root))
    data = forge.serialize(root)
    kit.prove(data, ASSERTION_SIGNATURE, True, "the signature verifies (over the whole Response)")
    return Forged(fields_for(genuine, data), genuine.client)


def build_attacker(key_info):
    def build(kit):
        key, cert = kit.attacker()
        genuine = kit.genuine(OTHER_EMAIL, "assertion")
        root = forge.parse(genuine.xml)
        forge.set_name_id(forge.assertion_of(root), ADMIN_EMAIL)
        root = kit.sign(root, forge.assertion_of(root), key=key, cert=cert, key_info=key_info)
        data = forge.serialize(root)
        kit.prove(data, ASSERTION_SIGNATURE, True, "the Assertion verifies with the attacker's certificate", cert=cert)
        kit.prove(data, ASSERTION_SIGNATURE, False, "it does not verify with the IdP's")
        return Forged(fields_for(genuine, data), genuine.client)

    return build


def build_hmac(kit):
    """HMAC-SHA256 keyed with the IdP's certificate (public: the key confusion attack)."""
    secret = Path(kit.cert).read_bytes()
    genuine = kit.genuine(OTHER_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    forge.set_name_id(forge.assertion_of(root), ADMIN_EMAIL)
    root = kit.sign(root, forge.assertion_of(root), key=None, cert=None, hmac_key=secret,
                    signature_method=forge.HMAC_SHA256, key_info=None)
    data = forge.serialize(root)
    kit.prove(data, ASSERTION_SIGNATURE, True, "the HMAC verifies with the certificate's bytes as key", hmac_key=secret)
    return Forged(fields_for(genuine, data), genuine.client)


def build_comment(before, after, idp_email):
    """NameID `before<!---->after` where the IdP's user is idp_email = before + after: the IdP's signatures stay
    valid (exclusive c14n drops comments), and the full text is not an admin."""

    def build(kit):
        genuine = kit.genuine(idp_email, "both")
        root = forge.parse(genuine.xml)
        name_id = forge.name_id(root)
        if name_id.text != before + after:
            raise forge.FixtureError(f"the NameID is {name_id.text!r}")
        name_id.text = before
        comment = etree.Comment("")
        comment.tail = after
        name_id.append(comment)
        data = forge.serialize(root)
        if f"{before}<!---->{after}".encode() not in data:
            raise forge.FixtureError("the comment is not in the NameID")
        kit.prove(data, ASSERTION_SIGNATURE, True, "the IdP's Assertion signature still verifies")
        kit.prove(data, RESPONSE_SIGNATURE, True, "the IdP's Response signature still verifies")
        return Forged(fields_for(genuine, data), genuine.client)

    return build


def build_response_only(kit):
    genuine = kit.genuine(ADMIN_EMAIL, "response")
    root = forge.parse(genuine.xml)
    if forge.signature_of(forge.assertion_of(root)) is not None or forge.signature_of(root) is None:
        raise forge.FixtureError("the IdP did not sign the Response only")
    kit.prove(genuine.xml, RESPONSE_SIGNATURE, True, "the Response signature verifies")
    return Forged(dict(genuine.fields), genuine.client)


def build_encrypted(kit):
    genuine = kit.genuine(ADMIN_EMAIL, "assertion")
    root = forge.parse(genuine.xml)
    xenc = forge.XENC
    encrypted = etree.Element(q(SAML, "EncryptedAssertion"))
    data = etree.SubElement(encrypted, q(xenc, "EncryptedData"), nsmap={"xenc": xenc},
                            Type="http://www.w3.org/2001/04/xmlenc#Element")
    etree.SubElement(data, q(xenc, "EncryptionMethod"), Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm")
    key_info = etree.SubElement(data, q(DS, "KeyInfo"), nsmap={"ds": DS})
    key = etree.SubElement(key_info, q(xenc, "EncryptedKey"))
    etree.SubElement(key, q(xenc, "EncryptionMethod"), Algorithm="http://www.w3.org/2009/xmlenc11#rsa-oaep")
    etree.SubElement(etree.SubElement(key, q(xenc, "CipherData")), q(xenc, "CipherValue")).text = forge.b64(os.urandom(256))
    etree.SubElement(etree.SubElement(data, q(xenc, "CipherData")), q(xenc, "CipherValue")).text = forge.b64(os.urandom(3000))
    root.replace(forge.assertion_of(root), encrypted)
    return Forged(fields_for(genuine, forge.serialize(root)), genuine.client)


def build_audience(suffix=None, value=None):
    def build(kit):
        audience = value if value is not None else kit.run.roster.sp_entity_id + suffix

        def change(root):
            forge.audience(root).text = audience

        return plain(kit, ADMIN_EMAIL, "both", change)

    return build


def build_recipient(kit):
    return plain(kit, ADMIN_EMAIL, "both",
                 lambda root: forge.confirmation_data(root).set("Recipient", "https://evil.example.com/auth/saml/acs"))


def build_destination(kit):
    return plain(kit, ADMIN_EMAIL, "both", lambda root: root.set("Destination", "https://evil.example.com/auth/saml/acs"))


def build_issuer(kit):
    def change(root):
        for issuer in (root.find(q(SAML, "Issuer")), forge.assertion_of(root).find(q(SAML, "Issuer"))):
            issuer.text = "https://evil.example.com/idp"

    return plain(kit, ADMIN_EMAIL, "both", change)


def build_expired(kit):
    past = now() - timedelta(minutes=10)
    return plain(kit, ADMIN_EMAIL, "both", lambda root: times(
        root, not_before=past - timedelta(minutes=10), not_on_or_after=past, confirmation_not_on_or_after=past,
        issued=past - timedelta(minutes=10)))


def build_not_yet_valid(kit):
    future = now() + timedelta(minutes=10)
    return plain(kit, ADMIN_EMAIL, "both", lambda root: times(
        root, not_before=future, not_on_or_after=future + timedelta(minutes=5)))


def build_skew(kit):
    """NotBefore 30 s ahead (an IdP whose clock is a little fast): within the skew, accepted."""
    ahead = now() + timedelta(seconds=30)
    return plain(kit, ADMIN_EMAIL, "both", lambda root: times(root, not_before=ahead))


def build_in_response_to(value):
    """InResponseTo (of the Response and the bearer confirmation) set to value, or removed (None)."""

    def change(root):
        for element in (root, forge.confirmation_data(root)):
            if value is None:
                element.attrib.pop("InResponseTo", None)
            else:
                element.set("InResponseTo", value)

    return lambda kit: plain(kit, ADMIN_EMAIL, "both", change)


def build_other_relay_state(kit):
    """The IdP's genuine answer to one flow, posted with the RelayState of another pending flow."""
    genuine = kit.genuine(ADMIN_EMAIL, "both")
    other = kit.run.start(kit.run.roster)
    return Forged(fields_for(genuine, genuine.xml, relay_state=other.relay_state), genuine.client)


def build_no_relay_state(kit):
    genuine = kit.genuine(ADMIN_EMAIL, "both")
    fields = {"SAMLResponse": genuine.fields["SAMLResponse"]}
    return Forged(fields, genuine.client)


def build_status(kit):
    def change(root):
        code = root.find(f"{q(SAMLP, 'Status')}/{q(SAMLP, 'StatusCode')}")
        code.set("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")
        etree.SubElement(code, q(SAMLP, "StatusCode"), Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed")

    return plain(kit, ADMIN_EMAIL, "both", change)


def build_no_authn_statement(kit):
    def change(root):
        for statement in list(forge.assertion_of(root).iter(q(SAML, "AuthnStatement"))):
            forge.remove(statement)

    return plain(kit, ADMIN_EMAIL, "both", change)


def opaque_name_id(root, attribute=None):
    name_id = forge.name_id(root)
    name_id.set("Format", forge.PERSISTENT_FORMAT)
    name_id.text = "u-7f3a9c21"
    if attribute:
        statement = etree.SubElement(forge.assertion_of(root), q(SAML, "AttributeStatement"))
        element = etree.SubElement(statement, q(SAML, "Attribute"), Name="email",
                                   NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic")
        etree.SubElement(element, q(SAML, "AttributeValue")).text = attribute


def build_no_email(kit):
    return plain(kit, ADMIN_EMAIL, "both", opaque_name_id)


def build_email_attribute(kit):
    return plain(kit, ADMIN_EMAIL, "both", lambda root: opaque_name_id(root, ADMIN_EMAIL))


def build_replay(kit):
    """The admin Response of check 2, which signed in, posted again (its pending request is used up)."""
    return Forged(dict(kit.used().fields), Client())


def build_replay_new_flow(kit):
    """The Assertion of check 2 (its ID already used), answering a new pending request, re-signed by the IdP."""
    used = kit.used()
    pending = kit.run.start(kit.run.roster)
    root = forge.parse(used.xml)
    for element in (root, forge.confirmation_data(root)):
        element.set("InResponseTo", pending.request_id)
    root.set("ID", forge.new_id())
    root = kit.resign(root)
    return Forged({"SAMLResponse": forge.b64(forge.serialize(root)), "RelayState": pending.relay_state},
                  pending.client)


def build_raw(value):
    """A form whose SAMLResponse is value (str, or bytes to base64), with a pending flow's RelayState."""

    def build(kit):
        pending = kit.run.start(kit.run.roster)
        fields = {"RelayState": pending.relay_state}
        if value is not None:
            fields["SAMLResponse"] = value if isinstance(value, str) else forge.b64(value)
        return Forged(fields, pending.client)

    return build


def build_bare_assertion(kit):
    genuine = kit.genuine(ADMIN_EMAIL, "assertion")
    assertion = forge.assertion_of(forge.parse(genuine.xml))
    return Forged(fields_for(genuine, etree.tostring(assertion)), genuine.client)


SIGNATURE_CHECKS = ["assertion-count", "signature-placement", "duplicate-id"]

CASES = [
    Case("signature stripped (no ds:Signature left)", {"assertion-unsigned"}, build_stripped),
    Case("NameID changed to the admin's after signing", {"signature-invalid"}, build_tampered),
    Case("XSW1: Response copied into its Signature", SIGNATURE_CHECKS + ["signature-reference", "signature-invalid"],
         build_xsw(1)),
    Case("XSW2: Response copied before its Signature", SIGNATURE_CHECKS + ["signature-reference", "signature-invalid"],
         build_xsw(2)),
    Case("XSW3: unsigned admin Assertion before the signed one", ["assertion-count"], build_xsw(3)),
    Case("XSW4: signed Assertion wrapped in an unsigned admin one", ["assertion-count", "signature-placement",
                                                                      "assertion-unsigned"], build_xsw(4)),
    Case("XSW5: signed Assertion changed, its signature over a copy at the end", ["assertion-count",
         "assertion-unsigned", "signature-reference"], build_xsw(5)),
    Case("XSW6: signed Assertion changed, its signature over a copy inside the Signature",
         ["assertion-count", "signature-reference", "signature-invalid"], build_xsw(6)),
    Case("XSW7: unsigned admin Assertion in samlp:Extensions", ["assertion-count"], build_xsw(7)),
    Case("XSW8: signed Assertion changed, its signature over a copy in a ds:Object",
         ["assertion-count", "signature-reference", "signature-invalid"], build_xsw(8)),
    Case("a second, unsigned admin Assertion after the signed one", ["assertion-count"], build_second_assertion),
    Case("the Response's ID equal to the Assertion's", ["duplicate-id"], build_duplicate_id),
    Case("the Assertion's signature moved into its Subject (still verifies)", ["signature-placement",
         "assertion-unsigned"], build_signature_in_subject),
    Case("a copy of the Assertion's signature in samlp:Extensions", ["signature-placement"],
         build_signature_in_extensions),
    Case("XXE: a DOCTYPE with an external entity", ["doctype"], build_xxe),
    Case("entity expansion (billion laughs)", ["doctype"], build_billion_laughs),
    Case("an XSLT transform in the signature (IdP key)", ["signature-algorithm"],
         build_signed_with(transforms=(forge.ENVELOPED, forge.XSLT, forge.EXC_C14N))),
    Case("comment in the NameID: admin@example.com<!---->.evil.com (IdP-signed)", ["not-an-admin"],
         build_comment("admin@example.com", ".evil.com", "admin@example.com.evil.com")),
    Case("comment in the NameID: evil.<!---->admin@example.com (IdP-signed)", ["not-an-admin"],
         build_comment("evil.", "admin@example.com", "evil.admin@example.com")),
    Case("an attacker's certificate in KeyInfo (signed with the attacker's key)", ["signature-invalid"],
         build_attacker("x509")),
    Case("an attacker's KeyValue in KeyInfo (signed with the attacker's key)", ["signature-invalid"],
         build_attacker("keyvalue")),
    Case("HMAC-SHA256 keyed with the IdP's certificate", ["signature-algorithm"], build_hmac),
    Case("RSA-SHA1 signature (IdP key)", ["signature-algorithm"], build_signed_with(signature_method=forge.RSA_SHA1)),
    Case("SHA-1 digest (IdP key)", ["signature-algorithm"], build_signed_with(digest_method=forge.SHA1)),
    Case('a Reference with URI="" (IdP key)', ["signature-reference"], build_signed_with(uri="")),
    Case("exclusive c14n WithComments (IdP key)", ["signature-algorithm"],
         build_signed_with(canonicalization=forge.EXC_C14N_COMMENTS,
                           transforms=(forge.ENVELOPED, forge.EXC_C14N_COMMENTS))),
    Case("the Assertion's signature references the Response (IdP key)", ["signature-reference"],
         build_reference_to_response),
    Case("only the Response signed", ["assertion-unsigned"], build_response_only),
    Case("an EncryptedAssertion", ["encrypted-assertion"], build_encrypted),
    Case("wrong Issuer (re-signed)", ["issuer"], build_issuer),
    Case("wrong audience (re-signed)", ["audience"], build_audience(value="https://other-sp.example.com/metadata")),
    Case("audience = SP entity ID + \".evil\" (re-signed)", ["audience"], build_audience(suffix=".evil")),
    Case("wrong Recipient (re-signed)", ["recipient"], build_recipient),
    Case("wrong Destination (re-signed)", ["destination"], build_destination),
    Case("expired 10 minutes ago (re-signed)", ["expired"], build_expired),
    Case("not valid for 10 more minutes (re-signed)", ["not-yet-valid"], build_not_yet_valid),
    Case("InResponseTo of no request (re-signed)", ["in-response-to"], build_in_response_to("_" + "0" * 32)),
    Case("no InResponseTo, with a pending flow's RelayState (re-signed)", ["in-response-to", "unsolicited"],
         build_in_response_to(None)),
    Case("the RelayState of another pending flow", ["in-response-to"], build_other_relay_state),
    Case("no RelayState", ["in-response-to"], build_no_relay_state),
    Case("replay: the admin's Response of check 2 posted again", ["replay", "in-response-to"], build_replay),
    Case("replay: the Assertion of check 2 (same ID) answering a new request (re-signed)", ["replay"], build_replay_new_flow),
    Case("status Responder/AuthnFailed (re-signed)", ["status"], build_status),
    Case("no AuthnStatement (re-signed)", ["authn-statement"], build_no_authn_statement),
    Case("a persistent NameID and no email attribute (re-signed)", ["no-email"], build_no_email),
    Case("no SAMLResponse field", ["missing-response"], build_raw(None)),
    Case("a SAMLResponse that is not base64", ["malformed"], build_raw("%%% not base64 %%%")),
    Case("a SAMLResponse that is not XML", ["malformed"], build_raw(b"<samlp:Response not xml")),
    Case("a bare signed Assertion, no Response", ["not-a-response"], build_bare_assertion),
    Case("a persistent NameID and an email attribute with the admin's email (re-signed)", [], build_email_attribute,
         accept=True),
    Case("NotBefore 30 s in the future, within the clock skew (re-signed)", [], build_skew, accept=True),
]


def check_6_attacks(run):
    """6. The attack suite against the ACS."""
    kit = Kit(run)
    only = run.arguments.case
    for number, case in enumerate(CASES, 1):
        if only and not any(word.lower() in case.name.lower() for word in only):
            continue
        name = f"6.{number} {case.name}"
        try:
            forged = case.build(kit)
        except forge.FixtureError as error:
            run.check(f"{name}: the forged response could be made", False, str(error))
            continue
        except StepError as error:
            run.check(f"{name}: could not run", False, str(error))
            continue
        mark = run.log.mark()
        try:
            response = run.post(run.roster, forged.client, forged.fields)
        except (OSError, http.client.HTTPException) as error:
            run.check(f"{name}: answered", False, f"{type(error).__name__}: {error} (did the server crash?)")
            if run.roster.process.poll() is not None:
                raise StepError(f"roster serve exited with {run.roster.process.returncode}") from error
            continue
        if case.accept:
            run.expect_signed_in(name, response, forged.client)
        else:
            run.expect_refused(name, response, forged.client, mark, case.accepted)
    if not only or any(word.lower() in "body too large" for word in only):
        check_6_body_too_large(run, len(CASES) + 1)


def check_6_body_too_large(run, number):
    """A 2 MiB body: refused with 413 (a SAML response is tens of kilobytes)."""
    name = f"6.{number} a 2 MiB SAMLResponse"
    pending = run.start(run.roster)
    body = urllib.parse.urlencode({"SAMLResponse": "A" * (2 << 20), "RelayState": pending.relay_state}).encode()
    mark = run.log.mark()
    connection = http.client.HTTPConnection("127.0.0.1", run.roster.port, timeout=HTTP_SECONDS,
                                            source_address=(pending.client.address, 0))
    try:
        connection.putrequest("POST", ACS_PATH)
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        try:
            connection.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading it all
        answer = connection.getresponse()
        response = Response(answer.status, answer.headers, answer.read().decode("utf-8", "replace"), run.roster.acs_url)
    except (ConnectionResetError, http.client.HTTPException) as error:
        run.check(f"{name}: answered", False, f"{type(error).__name__}: {error}")
        return
    finally:
        connection.close()
    run.expect_refused(name, response, pending.client, mark, {"body-too-large"})


# --- 7. the log ---


def check_7_log(run):
    """7. The server log has no SAMLResponse, signature value, assertion XML or non-admin NameID."""
    log = run.server_log.read_text(errors="replace")
    run.check(
        f"7. the run posted {len(run.posted)} SAMLResponses and saw {len(run.secret_values)} signature values",
        run.posted and run.secret_values, "nothing to look for",
    )
    found = []
    for number, posted in enumerate(run.posted, 1):
        if len(posted) >= 80 and (posted in log or posted[len(posted) // 2: len(posted) // 2 + 60] in log):
            found.append(f"SAMLResponse {number}")
    for what, value in run.secret_values:
        if len(value) >= 40 and value[:40] in log:
            found.append(f"{what} {value[:20]}…")
    for email in sorted(run.non_admin_name_ids):
        if email in log:
            found.append(f"the non-admin NameID {email}")
    for marker in ("<saml:", "<ns1:", "<ns0:", "<ns2:", "<ds:", "<samlp:", "SignatureValue", "X509Certificate"):
        if marker in log:
            found.append(f"XML ({marker})")
    run.check(
        f"7. the server log ({len(log.splitlines())} lines) has none of them, nor the non-admins' NameIDs "
        f"({', '.join(sorted(run.non_admin_name_ids))}) nor assertion XML",
        not found, "found: " + "; ".join(sorted(set(found)))[:1500],
    )
    lines = [line for line in log.splitlines() if line.startswith("{")]
    broken = []
    for line in lines:
        try:
            value = json.loads(line)
            if not all(key in value for key in ("time", "level", "label", "message")):
                broken.append(line)
        except ValueError:
            broken.append(line)
    run.check(f"7. every JSON log line ({len(lines)}) has time, level, label and message", not broken,
              "\n".join(short(line, 300) for line in broken[:5]))


CHECKS = [
    ("1", check_1_sign_in_page, ()),
    ("2", check_2_sign_in, ()),
    ("3", check_3_not_admin, ()),
    ("4", check_4_idp_initiated, ()),
    ("5", check_5_start_up, ()),
    ("6", check_6_attacks, ()),
]


def run_checks(run, selected):
    unfinished = set()
    skipped = 0
    for number, check, needs in CHECKS:
        if selected and number not in selected:
            continue
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
            if isinstance(error, (StepError, forge.FixtureError)):
                detail = str(error)
            elif isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError, OSError)):
                detail = f"{type(error).__name__}: {error} (is the server still running?)"
            else:
                detail = traceback.format_exc()
            run.check(f"{number}. could not finish", False, detail)
    return skipped


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roster", help="the roster binary (or Tests/saml/stub_roster.py)")
    parser.add_argument("work", help="a directory for the databases, keys, logs and the pids file")
    parser.add_argument("--log-level", default="debug", help="roster's LOG_LEVEL (default debug)")
    parser.add_argument("--only", default="", help="comma-separated check numbers to run (default all)")
    parser.add_argument("--case", action="append", default=[], help="in check 6, only cases whose name has this")
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run = Run(arguments)
    selected = {n.strip() for n in arguments.only.split(",") if n.strip()}
    began = time.monotonic()
    skipped = 0
    try:
        try:
            run.idp.start()
            run.roster = Roster(run, {"SAML_IDP_METADATA": run.idp.url + "/metadata"})
            run.roster.start()
            run.idp.control(sp_metadata=[run.roster.url(METADATA_PATH)])
            print(f"# roster {run.roster.base_url}, IdP {run.idp.url}", flush=True)
            run.check(f"1. roster serve starts with SAML_IDP_METADATA={run.idp.url}/metadata", True)
        except StepError as error:
            run.check("the IdP and roster serve start", False, str(error))
            return 1
        skipped = run_checks(run, selected)
    finally:
        run.processes.stop_all()
    try:
        check_7_log(run)
    except OSError as error:
        run.check("7. could not finish", False, f"{type(error).__name__}: {error}")
    print(f"# {time.monotonic() - began:.0f} s", flush=True)
    print(f"{run.passed} passed, {run.failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 1 if run.failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
