#!/usr/bin/env python3
"""A stand-in for `roster serve`'s SAML sign-in, written from the spec, to test the SAML test suite itself.

    scripts/saml.sh --stub          # runs Tests/saml/flow.py against this instead of a roster binary

It is not Roster and is never shipped: it implements the interface flow.py expects (settings, routes, pages,
refusal codes, JSON log lines) with lxml and the xmlsec1 tool, so that the IdP, the forged responses and every
check can be run, and shown to fail for the right reason, before Roster has SAML or after it changed. Besides
`reason`, its "SAML sign-in failed" log line has `violations`: every check the response fails, in check order,
which flow.py compares with the codes each case accepts.
"""

import atexit
import base64
import binascii
import ipaddress
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import zlib
from datetime import datetime, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
ALLOWED_TRANSFORMS = {"http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"}
SKEW = 90
MAX_BODY = 1 << 20
DSYNC = "/settings/organization/dsync"
HEADINGS = {
    "not-an-admin": "Not an admin",
    "encrypted-assertion": "Encrypted assertions are not supported",
    "issuer": "Wrong identity provider", "audience": "Wrong identity provider",
    "destination": "Wrong identity provider", "recipient": "Wrong identity provider",
}
STATUSES = {"not-an-admin": 403, "body-too-large": 413}
# STUB_SKIP=code,…: the stub ignores those checks (and, for doctype, parses the DOCTYPE), so that a run shows which
# cases catch an SP that lacks one (each case about that check must then fail).
SKIPPED = {code for code in os.environ.get("STUB_SKIP", "").split(",") if code}


def q(namespace, name):
    return f"{{{namespace}}}{name}"


def log(level, message, **metadata):
    line = {"time": datetime.now(timezone.utc).isoformat(), "level": level, "label": "roster", "message": message}
    line.update(metadata)
    sys.stderr.write(json.dumps(line) + "\n")
    sys.stderr.flush()


def fail_start(message):
    sys.stderr.write(f"roster: {message}\n")
    sys.exit(2)


def instant(text):
    return datetime.strptime(text.rstrip("Z").split(".")[0], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()


def loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- configuration ---


def setting(arguments, flag, variable, default=None):
    return arguments.get(flag) or os.environ.get(variable) or default


def load_idp(arguments):
    source = setting(arguments, "--saml-idp-metadata", "SAML_IDP_METADATA")
    if source:
        split = urllib.parse.urlsplit(source)
        if split.scheme in ("http", "https"):
            if split.scheme == "http" and not loopback(split.hostname or ""):
                fail_start("SAML_IDP_METADATA must be an https URL (http only on loopback)")
            try:
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(source, timeout=10) as response:
                    data = response.read()
            except OSError as error:
                fail_start(f"cannot read the IdP metadata at {source}: {error}")
        else:
            try:
                data = Path(source).read_bytes()
            except OSError as error:
                fail_start(f"cannot read the IdP metadata file {source}: {error.strerror}")
        try:
            root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as error:
            fail_start(f"the IdP metadata is not XML: {error}")
        descriptor = root.find(q(MD, "IDPSSODescriptor"))
        if root.tag != q(MD, "EntityDescriptor") or descriptor is None:
            fail_start("the IdP metadata has no IDPSSODescriptor")
        sso = [s.get("Location") for s in descriptor.findall(q(MD, "SingleSignOnService")) if s.get("Binding") == REDIRECT]
        certificates = [
            "".join((c.text or "").split())
            for k in descriptor.findall(q(MD, "KeyDescriptor")) if k.get("use") in (None, "signing")
            for c in k.iter(q(DS, "X509Certificate"))
        ]
        if not sso:
            fail_start("the IdP metadata has no HTTP-Redirect SingleSignOnService")
        if not certificates:
            fail_start("the IdP metadata has no signing certificate")
        return root.get("entityID"), sso[0], certificates
    entity, sso, path = (os.environ.get(name) for name in ("SAML_IDP_ENTITY_ID", "SAML_IDP_SSO_URL", "SAML_IDP_CERTIFICATE"))
    if not (entity and sso and path):
        fail_start("set SAML_IDP_METADATA, or SAML_IDP_ENTITY_ID, SAML_IDP_SSO_URL and SAML_IDP_CERTIFICATE")
    try:
        pem = Path(path).read_text()
    except OSError as error:
        fail_start(f"cannot read SAML_IDP_CERTIFICATE {path}: {error.strerror}")
    body = pem.split("-----BEGIN CERTIFICATE-----")[-1].split("-----END CERTIFICATE-----")[0]
    return entity, sso, ["".join(body.split())]


class Config:
    def __init__(self, argv):
        arguments, index = {}, 0
        while index < len(argv):
            arguments[argv[index]] = argv[index + 1] if index + 1 < len(argv) else ""
            index += 2
        self.host = setting(arguments, "--host", "HOST", "127.0.0.1")
        self.port = int(setting(arguments, "--port", "PORT", "3000"))
        self.base_url = setting(arguments, "--base-url", "BASE_URL", f"http://{self.host}:{self.port}").rstrip("/")
        self.admins = {e.strip().lower() for e in setting(arguments, "--admins", "SAML_ADMINS", "").split(",") if e.strip()}
        self.sp_entity_id = os.environ.get("SAML_SP_ENTITY_ID") or self.base_url + "/auth/saml/metadata"
        self.allow_idp_initiated = os.environ.get("SAML_ALLOW_IDP_INITIATED", "false").lower() == "true"
        self.provider = os.environ.get("SAML_PROVIDER_NAME") or "SAML"
        self.acs = self.base_url + "/auth/saml/acs"
        self.idp_entity_id, self.sso_url, self.certificates = load_idp(arguments)
        database = setting(arguments, "--database-url", "SAML_DATABASE_URL", "")
        self.scratch = tempfile.mkdtemp(prefix="stub-roster.", dir=os.path.dirname(database.removeprefix("sqlite:")) or None)
        atexit.register(shutil.rmtree, self.scratch, True)
        self.cert_files = []
        for number, body in enumerate(self.certificates):
            path = Path(self.scratch) / f"idp-{number}.pem"
            lines = [body[i:i + 64] for i in range(0, len(body), 64)]
            path.write_text("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n")
            self.cert_files.append(str(path))


# --- the checks ---


class State:
    def __init__(self):
        self.pending = {}  # RelayState -> (request ID, expiry)
        self.used_assertions = {}  # assertion ID -> expiry
        self.sessions = {}  # cookie -> email
        self.lock = threading.Lock()


def verify_signature(config, data, path_xpath):
    with tempfile.NamedTemporaryFile(dir=config.scratch, suffix=".xml", delete=False) as file:
        file.write(data)
    try:
        for cert in config.cert_files:
            result = subprocess.run(
                ["xmlsec1", "--verify", "--pubkey-cert-pem", cert, "--enabled-key-data", "key-name",
                 "--enabled-reference-uris", "empty,same-doc",
                 "--id-attr:ID", f"{SAMLP}:Response", "--id-attr:ID", f"{SAML}:Assertion",
                 "--node-xpath", path_xpath, file.name],
                capture_output=True,
            )
            if result.returncode == 0:
                return True
        return False
    finally:
        os.unlink(file.name)


def check(config, state, form):
    """Every check the posted form fails, in check order, and the email when it fails none."""
    violations = []
    encoded = form.get("SAMLResponse")
    if not encoded:
        return ["missing-response"], None, None
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return ["malformed"], None, None
    if b"<!DOCTYPE" in data and "doctype" not in SKIPPED:
        return ["doctype"], None, None
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return ["malformed"], None, None
    if root.tag != q(SAMLP, "Response"):
        return ["not-a-response"], None, None
    if any(True for _ in root.iter(q(SAML, "EncryptedAssertion"))):
        violations.append("encrypted-assertion")
    every = list(root.iter(q(SAML, "Assertion")))
    children = root.findall(q(SAML, "Assertion"))
    if len(every) != 1 or len(children) != 1:
        violations.append("assertion-count")
    holders = [root] + children
    if any(signature.getparent() not in holders for signature in root.iter(q(DS, "Signature"))):
        violations.append("signature-placement")
    ids = [e.get("ID") for e in root.iter(q(SAMLP, "Response"), q(SAML, "Assertion")) if e.get("ID") is not None]
    if len(ids) != len(set(ids)):
        violations.append("duplicate-id")
    if children and any(a.find(q(DS, "Signature")) is None for a in children):
        violations.append("assertion-unsigned")
    signatures = [(h, h.find(q(DS, "Signature"))) for h in holders if h.find(q(DS, "Signature")) is not None]
    for holder, signature in signatures:
        info = signature.find(q(DS, "SignedInfo"))
        algorithms = [
            (info.find(q(DS, "CanonicalizationMethod")), {"http://www.w3.org/2001/10/xml-exc-c14n#"}),
            (info.find(q(DS, "SignatureMethod")), {"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"}),
        ] + [(r.find(q(DS, "DigestMethod")), {"http://www.w3.org/2001/04/xmlenc#sha256"}) for r in info.findall(q(DS, "Reference"))]
        algorithms += [(t, ALLOWED_TRANSFORMS) for t in info.iter(q(DS, "Transform"))]
        if any(element is None or element.get("Algorithm") not in allowed for element, allowed in algorithms):
            violations.append("signature-algorithm")
            break
    for holder, signature in signatures:
        references = signature.findall(f"{q(DS, 'SignedInfo')}/{q(DS, 'Reference')}")
        if len(references) != 1 or references[0].get("URI") != "#" + (holder.get("ID") or "\0"):
            violations.append("signature-reference")
            break
    for holder, signature in signatures:
        xpath = "/*[local-name()='Response']/*[local-name()='Signature']" if holder is root else (
            f"/*[local-name()='Response']/*[local-name()='Assertion'][{children.index(holder) + 1}]"
            "/*[local-name()='Signature']")
        if not verify_signature(config, data, xpath):
            violations.append("signature-invalid")
            break
    if not children:
        return violations, None, None
    assertion = children[0]
    now = time.time()
    issuers = [root.find(q(SAML, "Issuer")), assertion.find(q(SAML, "Issuer"))]
    if issuers[1] is None or any(i is not None and (i.text or "").strip() != config.idp_entity_id for i in issuers):
        violations.append("issuer")
    audiences = [(a.text or "").strip() for a in assertion.iter(q(SAML, "Audience"))]
    if config.sp_entity_id not in audiences:
        violations.append("audience")
    if root.get("Destination") is not None and root.get("Destination") != config.acs:
        violations.append("destination")
    data_elements = [
        c.find(q(SAML, "SubjectConfirmationData"))
        for c in assertion.iter(q(SAML, "SubjectConfirmation"))
        if c.get("Method") == "urn:oasis:names:tc:SAML:2.0:cm:bearer"
    ]
    confirmation = data_elements[0] if data_elements and data_elements[0] is not None else None
    if confirmation is None or confirmation.get("Recipient") != config.acs:
        violations.append("recipient")
    status = root.find(f"{q(SAMLP, 'Status')}/{q(SAMLP, 'StatusCode')}")
    if status is None or status.get("Value") != SUCCESS:
        violations.append("status")
    condition = assertion.find(q(SAML, "Conditions"))
    ends = [e.get("NotOnOrAfter") for e in (condition, confirmation) if e is not None and e.get("NotOnOrAfter")]
    if not ends or any(now >= instant(end) + SKEW for end in ends):
        violations.append("expired")
    if condition is not None and condition.get("NotBefore") and instant(condition.get("NotBefore")) - SKEW > now:
        violations.append("not-yet-valid")
    in_response_to = {e.get("InResponseTo") for e in (root, confirmation) if e is not None and e.get("InResponseTo")}
    relay_state = form.get("RelayState") or ""
    with state.lock:
        pending = state.pending.pop(relay_state, None) if relay_state else None
        if not in_response_to:
            if relay_state or not config.allow_idp_initiated:
                violations.append("in-response-to" if relay_state else "unsolicited")
                if relay_state and not config.allow_idp_initiated:
                    violations.append("unsolicited")
        elif pending is None or pending[1] < now or in_response_to != {pending[0]}:
            violations.append("in-response-to")
        assertion_id = assertion.get("ID")
        if assertion_id in state.used_assertions and state.used_assertions[assertion_id] > now:
            violations.append("replay")
    if assertion.find(q(SAML, "AuthnStatement")) is None:
        violations.append("authn-statement")
    email = None
    name_id = assertion.find(f"{q(SAML, 'Subject')}/{q(SAML, 'NameID')}")
    if name_id is not None and name_id.get("Format") == EMAIL_FORMAT:
        email = "".join(name_id.xpath("text()")).strip()  # every text node, around comments too: the full text
    if email is None:
        for attribute in assertion.iter(q(SAML, "Attribute")):
            if attribute.get("Name") in ("email", "mail"):
                values = ["".join(v.itertext()).strip() for v in attribute.findall(q(SAML, "AttributeValue"))]
                email = next((v for v in values if "@" in v), None)
    if email is None:
        violations.append("no-email")
    elif email.lower() not in config.admins:
        violations.append("not-an-admin")
    remember = max([instant(end) for end in ends] or [now]) + SKEW
    return violations, email, (assertion.get("ID"), remember)


# --- the HTTP side ---


def serve(config):
    state = State()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def send(self, status, body="", content_type="text/html; charset=utf-8", headers=()):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def page(self, status, heading, text=""):
            self.send(status, f"<!doctype html><title>{escape(heading)}</title><h1>{escape(heading)}</h1><p>{escape(text)}</p>")

        def session(self):
            for part in (self.headers.get("Cookie") or "").split(";"):
                name, _, value = part.strip().partition("=")
                if name == "roster_session":
                    return state.sessions.get(value)
            return None

        def do_GET(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/auth/sign-in":
                return self.send(200, (
                    f'<!doctype html><title>Sign in</title><h1>Sign in</h1>'
                    f'<a id="saml-sign-in" href="/auth/saml/start">Sign in with {escape(config.provider)}</a>'
                    f"<dl><dt>ACS URL</dt><dd>{escape(config.acs)}</dd><dt>SP entity ID</dt>"
                    f"<dd>{escape(config.sp_entity_id)}</dd><dt>Metadata URL</dt>"
                    f"<dd>{escape(config.base_url)}/auth/saml/metadata</dd></dl>"))
            if path == "/auth/saml/metadata":
                return self.send(200, (
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="{MD}" '
                    f'entityID="{escape(config.sp_entity_id)}"><md:SPSSODescriptor AuthnRequestsSigned="false" '
                    f'WantAssertionsSigned="true" protocolSupportEnumeration="{SAMLP}"><md:NameIDFormat>{EMAIL_FORMAT}'
                    f'</md:NameIDFormat><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:'
                    f'HTTP-POST" Location="{escape(config.acs)}" index="0" isDefault="true"/></md:SPSSODescriptor>'
                    "</md:EntityDescriptor>\n"), "application/samlmetadata+xml")
            if path == "/auth/saml/start":
                request_id, relay_state = "_" + secrets.token_hex(16), secrets.token_urlsafe(24)
                with state.lock:
                    state.pending[relay_state] = (request_id, time.time() + 600)
                now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                request = (
                    f'<samlp:AuthnRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{request_id}" Version="2.0" '
                    f'IssueInstant="{now}" Destination="{escape(config.sso_url)}" AssertionConsumerServiceURL="'
                    f'{escape(config.acs)}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
                    f"<saml:Issuer>{escape(config.sp_entity_id)}</saml:Issuer><samlp:NameIDPolicy Format="
                    f'"{EMAIL_FORMAT}" AllowCreate="true"/></samlp:AuthnRequest>')
                compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
                deflated = compressor.compress(request.encode()) + compressor.flush()
                query = urllib.parse.urlencode({"SAMLRequest": base64.b64encode(deflated).decode(), "RelayState": relay_state})
                return self.send(303, "", headers=[("Location", f"{config.sso_url}?{query}")])
            if path == DSYNC:
                email = self.session()
                if email is None:
                    return self.send(303, "", headers=[("Location", "/auth/sign-in")])
                return self.send(200, f"<!doctype html><h1>Directory sync</h1><p>Signed in as {escape(email)}</p>")
            return self.page(404, "Not found")

        def do_POST(self):
            if urllib.parse.urlsplit(self.path).path != "/auth/saml/acs":
                return self.page(404, "Not found")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                log("warning", "SAML sign-in failed", reason="body-too-large")
                self.close_connection = True
                return self.page(413, "Sign-in could not be verified")
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))
            violations, email, remember = check(config, state, form)
            violations = [v for v in violations if v not in SKIPPED]
            if violations:
                reason = violations[0]
                log("warning", "SAML sign-in failed", reason=reason, violations=",".join(violations))
                return self.page(STATUSES.get(reason, 400), HEADINGS.get(reason, "Sign-in could not be verified"))
            cookie = secrets.token_urlsafe(24)
            with state.lock:
                state.used_assertions[remember[0]] = remember[1]
                state.sessions[cookie] = email
            log("info", "SAML sign-in", email=email)
            return self.send(303, "", headers=[
                ("Location", DSYNC), ("Set-Cookie", f"roster_session={cookie}; Path=/; HttpOnly; SameSite=Lax")])

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            log("info", "request", line=format % args)

    server = ThreadingHTTPServer((config.host, config.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"Starting Roster (stub) on http://{config.host}:{config.port}", flush=True)
    server.serve_forever()


def main():
    if sys.argv[1:2] != ["serve"]:
        print("usage: stub_roster.py serve [--host H] [--port P] [--base-url U] [--database-url D]", file=sys.stderr)
        return 2
    if "--help" in sys.argv:
        print("  --saml-idp-metadata <url-or-path>  (env SAML_IDP_METADATA)")
        return 0
    serve(Config(sys.argv[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
