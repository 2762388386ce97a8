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
#    opens the settings page (its templates are compiled in), a SCIM request with a directory's token;
# 4. SIGTERM in the middle of a request: the request whose body arrives after the signal is still answered 201,
#    the process prints "Roster stopped." and exits 0, and the WAL has been checkpointed into the file;
# 5. with LOG_FORMAT=json the log lines are JSON objects.
# Prints `N passed, N failed`; exit status 0 when every check passed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

say() { echo "release-smoke.sh: $*" >&2; }
die() {
    say "$*"
    exit 1
}
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

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
SERVER_PID=
cleanup() {
    local status=$?
    stop_processes "$SERVER_PID"
    if [[ $status -ne 0 && -s $WORK/server.log ]]; then
        say "last lines of the server's log:"
        tail -n 20 "$WORK/server.log" >&2
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

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
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
DIRECTORY_JSON=$(run directory create --name Smoke --provider okta --json --base-url "$BASE")
TOKEN=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["token"])' "$DIRECTORY_JSON")
SCIM_BASE=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["base_url"])' "$DIRECTORY_JSON")

cd "$APP"
"${AS[@]}" env -i PATH=/usr/bin:/bin HOME="$APP" SAML_ADMINS=admin@example.com PORT="$PORT" BASE_URL="$BASE" LOG_FORMAT=json \
    "$APP/roster" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
cd "$ROOT"
for _ in $(seq 300); do
    grep -q "listening" "$WORK/server.log" 2>/dev/null && break
    sleep 0.1
done
# SERVER_PID may be runuser's; signals go to the roster process itself.
ROSTER_PID=$(pgrep -n -f "$APP/roster serve")

python3 - "$BASE" "$SCIM_BASE" "$TOKEN" "$WORK/server.log" >"$WORK/checks.out" 2>&1 <<'PY'
import http.client, http.cookiejar, json, re, sys, urllib.request
base, scim, token, log = sys.argv[1:5]
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
sys.exit(1 if failures else 0)
PY
CHECKS=$?
cat "$WORK/checks.out"
PASSED=$((PASSED + $(grep -c '^ok ' "$WORK/checks.out")))
FAILED=$((FAILED + $(grep -c '^FAIL ' "$WORK/checks.out")))
[[ $CHECKS -eq 0 ]] || say "the HTTP checks failed"

# SIGTERM while a request is in flight: its body is only half sent when the signal arrives.
python3 - "$PORT" "$SCIM_BASE" "$TOKEN" "$ROSTER_PID" >"$WORK/sigterm.out" 2>&1 <<'PY'
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
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID"
        EXIT_STATUS=$?
        break
    fi
    sleep 0.1
done
SERVER_PID=
check "after SIGTERM the server exits with status 0 (got ${EXIT_STATUS:-none within 10 s})" "[[ '${EXIT_STATUS:-}' == 0 ]]"
check "it says it stopped" "grep -q 'Roster stopped.' '$WORK/server.log'"
check "LOG_FORMAT=json writes log lines as JSON objects" \
    "grep '^{' '$WORK/server.log' | python3 -c 'import json, sys; lines = [json.loads(l) for l in sys.stdin]; sys.exit(0 if any(l[\"message\"].startswith(\"Server started\") and l[\"level\"] == \"info\" for l in lines) else 1)'"
check "the WAL was checkpointed into the database file" "[[ ! -s '$APP/data/roster.sqlite-wal' ]]"
check "the user created during shutdown is in the database" \
    "python3 -c 'import sqlite3, sys; sys.exit(0 if sqlite3.connect(\"$APP/data/roster.sqlite\").execute(\"SELECT COUNT(*) FROM scim_user WHERE user_name = ?\", (\"late@example.com\",)).fetchone()[0] == 1 else 1)'"

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
