#!/usr/bin/env bash
# The release binary as the Dockerfile builds it, alone in an empty directory, run as an unprivileged user.
# (No Docker engine runs on the CI machines, so this checks what the image would run.)
#
#   scripts/release-smoke.sh                                   # builds, then checks
#   ROSTER_RELEASE_BIN=path/to/roster scripts/release-smoke.sh # checks that binary
#
# 1. builds `roster` in release mode with the Swift runtime linked statically (scratch path .build-release);
# 2. copies the binary alone into an empty directory owned by `nobody` (as root; else the current user);
# 3. serves from there: /healthz, /readyz, the embedded stylesheet and script, the sign-in page, a login link that
#    opens the settings page (its templates are compiled in), a SCIM request with a directory's token, and a SAML
#    sign-in (libxmlsec1 from the system, as the image ships it): a response signed with a key made for the run
#    (the `xmlsec1` tool, installed with apt-get when missing) for the request /auth/saml/start made;
# 4. SIGTERM in the middle of a request: the request whose body arrives after the signal is still answered 201,
#    the process prints "Roster stopped." and exits 0, and the WAL has been checkpointed into the file;
# 5. with LOG_FORMAT=json the log lines are JSON objects.
# Prints `N passed, N failed`; exit status 0 when every check passed.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ -n ${ROSTER_RELEASE_BIN:-} ]]; then
    BUILT=$ROSTER_RELEASE_BIN
else
    say "building roster (release, Swift runtime linked statically)"
    swift build -c release --product roster --static-swift-stdlib --scratch-path .build-release >/tmp/roster-release-build.log 2>&1 ||
        {
            tail -n 30 /tmp/roster-release-build.log >&2
            die "the release build failed"
        }
    BUILT=$(swift build -c release --scratch-path .build-release --show-bin-path)/roster
fi
[[ -x $BUILT ]] || die "no release binary at $BUILT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-release.XXXXXX")
chmod 755 "$WORK"
cleanup() {
    stop_processes "$ROSTER_PID"
    if [[ $1 -ne 0 ]]; then show_log_tail "the server's log" "$WORK/server.log"; fi
    rm -rf "$WORK"
}
install_cleanup cleanup

# The binary alone in an empty directory, owned by the user who runs it.
APP=$WORK/app
mkdir "$APP"
cp "$BUILT" "$APP/roster"
AS=()
if [[ $(id -u) -eq 0 ]]; then
    chown -R nobody "$APP"
    AS=(runuser -u nobody --)
fi
run() { (cd "$APP" && "${AS[@]}" env -i PATH=/usr/bin:/bin HOME="$APP" "$APP/roster" "$@"); }

PASSED=0
FAILED=0
check() {
    if eval "$2"; then PASSED=$((PASSED + 1)); else
        FAILED=$((FAILED + 1))
        echo "FAIL: $1" >&2
    fi
}

check "the binary needs no Swift runtime libraries" "! ldd '$APP/roster' | grep -q 'libswift'"
check "the binary finds libxmlsec1 and libxml2" "ldd '$APP/roster' | grep -q 'libxmlsec1-openssl' && ! ldd '$APP/roster' | grep -q 'not found'"
# A SAML IdP for the run: its key signs one response below; the server knows only its certificate.
install_tool xmlsec1
IDP=$WORK/idp
mkdir "$IDP"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$IDP/key.pem" -out "$IDP/cert.pem" -days 1 -subj /CN=smoke-idp 2>/dev/null
chmod 755 "$IDP" && chmod 644 "$IDP/cert.pem"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
DIRECTORY_JSON=$(run directory create --name Smoke --provider okta --json --base-url "$BASE")
TOKEN=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$DIRECTORY_JSON")
SCIM_BASE=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["base_url"])' "$DIRECTORY_JSON")

cd "$APP" || exit 1
start_roster "$WORK/server.log" "$PORT" "${AS[@]}" env -i PATH=/usr/bin:/bin HOME="$APP" SAML_ADMINS=admin@example.com \
    PORT="$PORT" BASE_URL="$BASE" LOG_FORMAT=json SAML_IDP_ENTITY_ID=http://idp.smoke.test/metadata \
    SAML_IDP_SSO_URL=http://127.0.0.1:9/sso SAML_IDP_CERTIFICATE="$IDP/cert.pem" "$APP/roster" serve || exit 1
cd "$ROOT" || exit 1
# ROSTER_PID may be runuser's; signals go to the roster process itself.
SIGNALLED_PID=$(pgrep -n -f "$APP/roster serve")

python3 - "$BASE" "$SCIM_BASE" "$TOKEN" "$WORK/server.log" "$IDP" >"$WORK/checks.out" 2>&1 <<'PY'
import base64, datetime, http.client, http.cookiejar, json, os, re, subprocess, sys, urllib.parse, urllib.request, zlib
base, scim, token, log, idp = sys.argv[1:6]
failures = 0
def check(name, ok):
    global failures
    print(("ok   " if ok else "FAIL ") + name)
    failures += 0 if ok else 1
def get(path, opener=None):
    try:
        response = (opener or urllib.request.build_opener()).open(base + path, timeout=10)
        return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers
check("/healthz answers 200", get("/healthz")[0] == 200)
check("/readyz answers 200", get("/readyz")[0] == 200)
status, css, headers = get("/static/roster.css")
check("the embedded stylesheet is served", status == 200 and ".wrap" in css and headers["Content-Type"].startswith("text/css"))
check("the embedded script is served", get("/static/roster.js")[0] == 200)
status, page, _ = get("/auth/sign-in")
check("the sign-in page renders", status == 200 and "<h1>Sign in</h1>" in page)
link = re.search(r"http://\S+/auth/login\?token=\S+", open(log).read())
check("serve printed a first sign-in link", link is not None)
if link:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, page, _ = get(link.group(0)[len(base):], opener)
    check("the link opens the settings page from the compiled-in templates", status == 200 and "<h1>Directory sync</h1>" in page)
request = urllib.request.Request(scim + "/Users?count=1", headers={"Authorization": "Bearer " + token})
check("SCIM answers with the directory's token", urllib.request.urlopen(request, timeout=10).status == 200)

# SAML: start, sign a response for that request with the run's IdP key, post it to the ACS.
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *arguments):
        return None
saml_jar = http.cookiejar.CookieJar()
saml = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(saml_jar))
try:
    saml.open(base + "/auth/saml/start", timeout=10)
    location = None
except urllib.error.HTTPError as error:
    location = error.headers.get("Location") if error.code == 302 else None
check("/auth/saml/start redirects to the IdP", bool(location) and location.startswith("http://127.0.0.1:9/sso?SAMLRequest="))
if location:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    request_xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    request_id = re.search(r' ID="([^"]+)"', request_xml).group(1)
    now = datetime.datetime.now(datetime.timezone.utc)
    at = lambda seconds: (now + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    acs, sp, issuer = base + "/auth/saml/acs", base + "/auth/saml/metadata", "http://idp.smoke.test/metadata"
    signature = ('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
                 '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
                 '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
                 '<ds:Reference URI="#_smokeassertion"><ds:Transforms>'
                 '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
                 '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
                 '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>'
                 '</ds:SignedInfo><ds:SignatureValue/></ds:Signature>')
    response = (f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
                f'ID="_smokeresponse" Version="2.0" IssueInstant="{at(0)}" Destination="{acs}" InResponseTo="{request_id}">'
                f'<saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
                f'<saml:Assertion ID="_smokeassertion" Version="2.0" IssueInstant="{at(0)}"><saml:Issuer>{issuer}</saml:Issuer>{signature}'
                f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">admin@example.com</saml:NameID>'
                f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData '
                f'NotOnOrAfter="{at(300)}" Recipient="{acs}" InResponseTo="{request_id}"/></saml:SubjectConfirmation></saml:Subject>'
                f'<saml:Conditions NotBefore="{at(-60)}" NotOnOrAfter="{at(300)}"><saml:AudienceRestriction><saml:Audience>{sp}</saml:Audience>'
                f'</saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{at(0)}"><saml:AuthnContext>'
                f'<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>'
                f'</saml:AuthnContext></saml:AuthnStatement></saml:Assertion></samlp:Response>')
    template = os.path.join(idp, "response.xml")
    open(template, "w").write(response)
    signed = subprocess.run(["xmlsec1", "--sign", "--privkey-pem", os.path.join(idp, "key.pem"),
                             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", template],
                            capture_output=True, check=True).stdout
    form = urllib.parse.urlencode({"SAMLResponse": base64.b64encode(signed).decode(), "RelayState": query["RelayState"][0]}).encode()
    try:
        saml.open(urllib.request.Request(base + "/auth/saml/acs", data=form), timeout=10)
        status, headers = 200, {}
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    check("a signed SAML response for that request signs the admin in (303 to the settings)",
          status == 303 and headers.get("Location") == "/settings/organization/dsync" and any(c.name == "roster_session" for c in saml_jar))
    status, page, _ = get("/settings/organization/dsync", urllib.request.build_opener(urllib.request.HTTPCookieProcessor(saml_jar)))
    check("... and its session opens the settings page", status == 200 and "admin@example.com" in page)
sys.exit(1 if failures else 0)
PY
CHECKS=$?
cat "$WORK/checks.out"
PASSED=$((PASSED + $(grep -c '^ok ' "$WORK/checks.out")))
FAILED=$((FAILED + $(grep -c '^FAIL ' "$WORK/checks.out")))
[[ $CHECKS -eq 0 ]] || say "the HTTP checks failed"

# SIGTERM while a request is in flight: its body is only half sent when the signal arrives.
python3 - "$PORT" "$SCIM_BASE" "$TOKEN" "$SIGNALLED_PID" >"$WORK/sigterm.out" 2>&1 <<'PY'
import os, signal, socket, sys, time, urllib.parse
port, scim, token, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
path = urllib.parse.urlparse(scim).path + "/Users"
body = b'{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"late@example.com","active":true}'
connection = socket.create_connection(("127.0.0.1", port), timeout=20)
head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/scim+json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
connection.sendall(head + body[:20])
time.sleep(0.3)
os.kill(pid, signal.SIGTERM)
time.sleep(0.5)
connection.sendall(body[20:])
answer = connection.recv(65536).decode(errors="replace")
print(answer.split("\r\n", 1)[0])
sys.exit(0 if answer.startswith("HTTP/1.1 201") else 1)
PY
SIGTERM_OK=$?
cat "$WORK/sigterm.out"
check "a request in flight when SIGTERM arrives is still answered 201" "[[ $SIGTERM_OK -eq 0 ]]"
EXIT_STATUS=
for _ in $(seq 100); do
    if ! kill -0 "$ROSTER_PID" 2>/dev/null; then
        wait "$ROSTER_PID"
        EXIT_STATUS=$?
        break
    fi
    sleep 0.1
done
ROSTER_PID=
check "after SIGTERM the server exits with status 0 (got ${EXIT_STATUS:-none within 10 s})" "[[ '${EXIT_STATUS:-}' == 0 ]]"
check "it says it stopped" "grep -q 'Roster stopped.' '$WORK/server.log'"
check "LOG_FORMAT=json writes log lines as JSON objects" \
    "grep '^{' '$WORK/server.log' | python3 -c 'import json, sys; lines = [json.loads(l) for l in sys.stdin]; sys.exit(0 if any(l[\"message\"].startswith(\"Server started\") and l[\"level\"] == \"info\" for l in lines) else 1)'"
check "the WAL was checkpointed into the database file" "[[ ! -s '$APP/data/roster.sqlite-wal' ]]"
check "the user created during shutdown is in the database" \
    "python3 -c 'import sqlite3, sys; sys.exit(0 if sqlite3.connect(\"$APP/data/roster.sqlite\").execute(\"SELECT COUNT(*) FROM scim_user WHERE user_name = ?\", (\"late@example.com\",)).fetchone()[0] == 1 else 1)'"

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
