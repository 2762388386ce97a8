#!/usr/bin/env python3
"""A SAML 2.0 identity provider on loopback for the SAML tests: pysaml2's IdP (saml2.server.Server).

    idp.py --port PORT --dir DIR [--sp-metadata URL]… [--sign both|assertion|response] [--email EMAIL]

At start it makes its RSA key and self-signed certificate with the openssl tool (DIR/idp-key.pem, DIR/idp-cert.pem;
the tests re-sign forged responses with that key) and serves, on http://127.0.0.1:PORT:
  GET  /metadata                      the IdP's metadata (entityID = that URL, HTTP-Redirect SSO, the signing cert)
  GET  /metadata-without-certificate  the same without a KeyDescriptor (a start-up refusal test)
  GET  /sso?SAMLRequest=…&RelayState=…  (HTTP-Redirect binding) answers the AuthnRequest for the configured user
                                      with an auto-POST HTML form (SAMLResponse, RelayState) to the SP's ACS
  GET  /idp-initiated?sp=ENTITY_ID    an unsolicited Response (no InResponseTo) in the same kind of form
  POST /control (JSON)                changes the settings: {"sign": "both"|"assertion"|"response",
                                      "email": "…", "sp_metadata": ["URL", …] (added)}; answers the settings
SP metadata is fetched lazily (the SP is started after the IdP, because it reads the IdP's metadata at start-up):
on the first /sso or /idp-initiated after a URL was added. Signatures are RSA-SHA256 with SHA-256 digests
(Okta's "both" signs the Response and the Assertion; Entra's "assertion" only the Assertion).
"""

import argparse
import json
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.authn_context import PASSWORD
from saml2.config import Config
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC1 = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def make_key(directory):
    key, cert = directory / "idp-key.pem", directory / "idp-cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
         "-subj", "/CN=Roster SAML test IdP", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return key, cert


class IdP:
    def __init__(self, base_url, key, cert, sp_urls, sign, email):
        self.base_url = base_url
        self.key, self.cert = str(key), str(cert)
        self.settings = {"sign": sign, "email": email, "sp_metadata": list(sp_urls)}
        self.loaded = None  # the sp_metadata list self.server was built with
        self.server = None
        self.lock = threading.Lock()

    def config(self, sp_metadata):
        config = Config()
        config.load({
            "entityid": self.base_url + "/metadata",
            "service": {"idp": {
                "name": "Roster test IdP",
                "endpoints": {"single_sign_on_service": [(self.base_url + "/sso", BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                "want_authn_requests_signed": False,
                "policy": {"default": {"lifetime": {"minutes": 5}}},
            }},
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "key_file": self.key,
            "cert_file": self.cert,
            "xmlsec_binary": XMLSEC1,
            "metadata": {"inline": sp_metadata} if sp_metadata else {},
        })
        return config

    def metadata(self, with_certificate=True):
        text = create_metadata_string(None, config=self.config([]), sign=False).decode()
        if not with_certificate:
            start, end = text.find("<ns0:KeyDescriptor"), text.find("</ns0:KeyDescriptor>")
            text = text[:start] + text[end + len("</ns0:KeyDescriptor>"):]
        return text

    def saml_server(self):
        """The pysaml2 Server, rebuilt (fetching every SP's metadata again) when the list of SP metadata changed."""
        urls = list(self.settings["sp_metadata"])
        if self.server is None or self.loaded != urls:
            documents = []
            for url in urls:
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(url, timeout=15) as response:
                    documents.append(response.read().decode())
            self.server, self.loaded = Server(config=self.config(documents)), urls
        return self.server

    def respond(self, in_response_to, sp_entity_id, destination, relay_state, name_id_policy=None):
        """The auto-POST form (HTML) carrying a Response for the configured user."""
        server = self.saml_server()
        email, sign = self.settings["email"], self.settings["sign"]
        response = server.create_authn_response(
            {}, in_response_to, destination, sp_entity_id, name_id_policy=name_id_policy, userid=email,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": PASSWORD, "authn_auth": self.base_url + "/metadata"},
            sign_response=sign in ("both", "response"), sign_assertion=sign in ("both", "assertion"),
            sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256,
        )
        arguments = server.apply_binding(BINDING_HTTP_POST, str(response), destination, relay_state, response=True)
        print(f"idp: Response for {email} to {destination} (InResponseTo {in_response_to}, signed: {sign})",
              file=sys.stderr, flush=True)
        return arguments["data"]

    def sso(self, query):
        server = self.saml_server()
        request = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        arguments = server.response_args(request.message, [BINDING_HTTP_POST])
        return self.respond(arguments["in_response_to"], arguments["sp_entity_id"], arguments["destination"],
                            query.get("RelayState"), arguments.get("name_id_policy"))

    def idp_initiated(self, query):
        server = self.saml_server()
        sp = query["sp"]
        destination = server.metadata.assertion_consumer_service(sp, BINDING_HTTP_POST)[0]["location"]
        return self.respond(None, sp, destination, query.get("RelayState"))


def serve(idp, port):
    class Handler(BaseHTTPRequestHandler):
        def reply(self, status, body, content_type="text/html; charset=utf-8"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            split = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(split.query))
            try:
                with idp.lock:
                    if split.path == "/metadata":
                        return self.reply(200, idp.metadata(), "application/samlmetadata+xml")
                    if split.path == "/metadata-without-certificate":
                        return self.reply(200, idp.metadata(False), "application/samlmetadata+xml")
                    if split.path == "/sso" and "SAMLRequest" in query:
                        return self.reply(200, idp.sso(query))
                    if split.path == "/idp-initiated" and "sp" in query:
                        return self.reply(200, idp.idp_initiated(query))
                return self.reply(404, "not found\n", "text/plain")
            except Exception as error:  # noqa: BLE001 - the test reads the reason
                print(f"idp: {self.path[:120]}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
                return self.reply(400, f"{type(error).__name__}: {error}\n", "text/plain")

        def do_POST(self):
            if self.path != "/control":
                return self.reply(404, "not found\n", "text/plain")
            try:
                change = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                with idp.lock:
                    if change.get("sign", "both") not in ("both", "assertion", "response"):
                        raise ValueError(f"sign: {change['sign']}")
                    for name in ("sign", "email"):
                        if name in change:
                            idp.settings[name] = change[name]
                    for url in change.get("sp_metadata", []):
                        if url not in idp.settings["sp_metadata"]:
                            idp.settings["sp_metadata"].append(url)
                    return self.reply(200, json.dumps(idp.settings), "application/json")
            except (ValueError, TypeError, AttributeError) as error:
                return self.reply(400, f"{error}\n", "text/plain")

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"idp: listening on {idp.base_url}", file=sys.stderr, flush=True)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True, help="where the key and certificate are written")
    parser.add_argument("--sp-metadata", action="append", default=[], help="an SP metadata URL (repeatable)")
    parser.add_argument("--sign", choices=("both", "assertion", "response"), default="both")
    parser.add_argument("--email", default="admin@example.com")
    parser.add_argument("--public-host", default="127.0.0.1",
                        help="the host the IdP names itself by (it listens on 127.0.0.1): localhost makes it another "
                             "site than a Roster on 127.0.0.1")
    arguments = parser.parse_args()
    directory = Path(arguments.dir)
    directory.mkdir(parents=True, exist_ok=True)
    key, cert = make_key(directory)
    idp = IdP(f"http://{arguments.public_host}:{arguments.port}", key, cert, arguments.sp_metadata, arguments.sign,
              arguments.email)
    try:
        serve(idp, arguments.port)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
