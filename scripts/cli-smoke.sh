#!/usr/bin/env bash
# CLI smoke test of `roster team …`, `roster events` and `roster login-link` against a real `roster serve` and a
# temporary SQLite file.
#
#   scripts/cli-smoke.sh                                    # uses $(swift build --show-bin-path)/roster
#   ROSTER_BIN=.build-cli/debug/roster scripts/cli-smoke.sh # uses that binary
#
# Builds nothing: build `roster` first (swift build --product roster). Steps: creates a directory with
# `directory create --json`, starts `roster serve` on a free loopback port, pushes users and groups over SCIM (Okta
# request shapes), then drives team create, map, list, members, events (plain, --after, --limit, --follow), unmap,
# rename and delete, checking text output, JSON output (parsed with python3) and error lines and exit codes; then the
# audit trail (a second directory's token rotated, `roster audit` text, --json, filters, --after and --follow, with
# actor `cli` and no token in it); then login-link (refused without SAML_ADMINS or for a non-admin; recorded in the
# audit trail without its token; its link works once) and, on a second server with a fresh database, the first sign-in link `roster serve` prints until an admin has signed in; with
# backup while serving; OIDC settings and AUDIT_RETENTION_DAYS refused at start-up; with ROSTER_TEST_POSTGRES_URL set (scripts/test.sh), export-postgres: copy with progress,
# refusal, TLS and login errors, then a second, shorter pass with SAML_DATABASE_URL naming a fresh PostgreSQL database
# (directory create and list, team create and map, events after SCIM pushes to a `roster serve` on it, backup and
# export-postgres refused); without ROSTER_TEST_POSTGRES_URL both are skipped with a message.
# Prints one line per failed check and `N passed, N failed` at the end. Exit status: 0 when every check passed, 1
# otherwise (or when the run cannot be set up). Always stops the server and removes the temporary files.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

find_roster prebuilt
command -v python3 >/dev/null || die "python3 is required"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/roster-cli-smoke.XXXXXX")
SERVER_PID=
FOLLOW_PID=
FIRST_PID=
PG_SERVER_PID=
cleanup() {
    stop_processes "$FOLLOW_PID" "$ROSTER_PID" "$SERVER_PID" "$FIRST_PID" "$PG_SERVER_PID"
    postgres_drop_databases
    if [[ $1 -ne 0 ]]; then show_log_tail "the server's log" "$WORK/server.log"; fi
    rm -rf "$WORK"
}
install_cleanup cleanup

# --- checks ---
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL: $1" >&2
    if [[ -n ${2:-} ]]; then sed 's/^/    | /' <<<"$2" >&2; fi
}

# roster ARGS…: runs roster on the temporary database; sets OUT, ERR and RC.
roster() {
    "$ROSTER" "$@" --database-url "$DATABASE" >"$WORK/out" 2>"$WORK/err"
    RC=$?
    OUT=$(cat "$WORK/out")
    ERR=$(cat "$WORK/err")
}

# ok NAME ARGS…: runs roster and expects exit status 0 and nothing on standard error.
ok() {
    local name=$1
    shift
    roster "$@"
    if [[ $RC -eq 0 && -z $ERR ]]; then pass; else fail "$name: roster $* exited $RC" "$ERR"; fi
}

# fails NAME CODE TEXT ARGS…: runs roster and expects exit status CODE, nothing on standard output and exactly one
# line `roster: …` containing TEXT on standard error.
fails() {
    local name=$1 code=$2 text=$3
    shift 3
    roster "$@"
    if [[ $RC -ne $code ]]; then
        fail "$name: roster $* exited $RC, expected $code" "$ERR"
    elif [[ -n $OUT || $(wc -l <"$WORK/err") -ne 1 || $ERR != "roster: "* || $ERR != *"$text"* ]]; then
        fail "$name: expected one line \`roster: …$text…\` on stderr and nothing on stdout" "stdout: $OUT"$'\n'"stderr: $ERR"
    else
        pass
    fi
}

# contains NAME TEXT: the last output contains TEXT.
contains() {
    if [[ $OUT == *"$2"* ]]; then pass; else fail "$1: output lacks \`$2\`" "$OUT"; fi
}

# lacks NAME TEXT: the last output does not contain TEXT.
lacks() {
    if [[ $OUT != *"$2"* ]]; then pass; else fail "$1: output contains \`$2\`" "$OUT"; fi
}

# python_check NAME PROGRAM: runs the Python PROGRAM on the last output (its standard input); passes when it exits 0,
# else fails NAME with the end of its error and the output.
python_check() {
    local problem
    if problem=$(python3 -c "$2" <<<"$OUT" 2>&1); then
        pass
    else
        fail "$1" "$(tail -n 3 <<<"$problem")"$'\n'"output: $(head -c 2000 <<<"$OUT")"
    fi
}

# json NAME PYTHON: parses the last output as one JSON value `d` and runs the PYTHON assertions on it.
json() {
    python_check "$1" "
import json, sys
d = json.loads(sys.stdin.read())
$2
"
}

# feed_lines NAME ROWS ORDER FIELD CHECK_ONE PYTHON: parses every line of the last output as one JSON object of a feed,
# runs the assertions CHECK_ONE (indented 4 spaces) on each (`value`, on line `number`), keeps them in the list ROWS,
# checks that their ORDER values strictly increase (listed as ORDERs, such as `ids`), lists their FIELD values as
# FIELDs (such as `types`) and runs PYTHON.
feed_lines() {
    python_check "$1" "
import json, re, sys
$2 = []
for number, line in enumerate(sys.stdin.read().splitlines(), 1):
    value = json.loads(line)
    assert isinstance(value, dict), f'line {number} is not a JSON object: {line}'
$5
    $2.append(value)
${3}s = [row['$3'] for row in $2]
assert ${3}s == sorted(set(${3}s)), f'${3}s are not strictly increasing: {${3}s}'
${4}s = [row['$4'] for row in $2]
$6
"
}

# event_lines NAME PYTHON: parses every line of the last output as one event object (list `events`, checked for the
# keys and order every event has, and for increasing `sequences`; `types` lists their types) and runs the PYTHON
# assertions.
event_lines() {
    feed_lines "$1" events sequence type "
    keys = ['id', 'type', 'sequence', 'created_at', 'directory_id', 'data', 'previous_attributes']
    assert list(value) == keys, f'line {number} has keys {list(value)}, expected {keys}'
    assert isinstance(value['id'], str) and isinstance(value['type'], str), f'line {number}: id and type must be strings'
    assert isinstance(value['sequence'], int) and value['sequence'] > 0, f'line {number}: bad sequence'
    assert isinstance(value['created_at'], str), f'line {number}: created_at must be a string'
    assert value['directory_id'] is None or isinstance(value['directory_id'], str), f'line {number}: bad directory_id'
    assert isinstance(value['data'], dict), f'line {number}: data must be an object'" "$2"
}

# audit_lines NAME PYTHON: parses every line of the last output as one audit entry (list `entries`, checked for the
# keys every entry has and for increasing `ids`; `actions` lists their actions) and runs the PYTHON assertions.
audit_lines() {
    feed_lines "$1" entries id action "
    keys = ['action', 'actor', 'actor_detail', 'actor_kind', 'address', 'after', 'at', 'before', 'id', 'target']
    assert sorted(value) == keys, f'line {number} has keys {sorted(value)}, expected {keys}'
    assert isinstance(value['id'], int) and value['id'] > 0, f'line {number}: bad id'
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z', value['at']), f'line {number}: at is not UTC with milliseconds'
    assert isinstance(value['target'], dict) and sorted(value['target']) == ['id', 'kind', 'name'], f'line {number}: bad target'
    assert isinstance(value['before'], dict) and isinstance(value['after'], dict), f'line {number}: before and after must be objects'" "$2"
}

# scim METHOD PATH [BODY]: one SCIM request to the directory; prints the response body; fails the run on a non-2xx.
scim() {
    python3 - "$@" <<'PYTHON' || die "SCIM request $1 $2 failed"
import json, os, sys, urllib.request, urllib.error
method, path = sys.argv[1], sys.argv[2]
body = sys.argv[3].encode() if len(sys.argv) > 3 else None
request = urllib.request.Request(os.environ["SCIM_BASE_URL"] + path, data=body, method=method, headers={
    "Authorization": "Bearer " + os.environ["SCIM_TOKEN"],
    "Content-Type": "application/scim+json",
    "Accept": "application/scim+json",
})
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        sys.stdout.write(response.read().decode())
except urllib.error.HTTPError as error:
    sys.stderr.write(f"{method} {path}: HTTP {error.code}: {error.read().decode()}\n")
    sys.exit(1)
PYTHON
}

# field JSON KEY: a top-level string field of a JSON object.
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# scim_directory WHERE NAME BASE_URL: creates the Okta directory NAME that the SCIM requests go to with `directory create
# --json` (the run dies when that fails), checks the object it prints, and sets DIRECTORY_ID, SCIM_BASE_URL and
# SCIM_TOKEN (exported) from it. WHERE (empty, or " on PostgreSQL") says where in the messages.
scim_directory() {
    roster directory create --name "$2" --provider okta --base-url "$3" --json
    [[ $RC -eq 0 ]] || die "directory create$1 failed: $ERR"
    json "directory create --json$1 prints id, name, provider, base_url, token" "
assert sorted(d) == ['base_url', 'id', 'name', 'provider', 'token'], sorted(d)
assert d['name'] == '$2' and d['provider'] == 'okta' and d['base_url'].endswith('/' + d['id']), d"
    DIRECTORY_ID=$(field "$OUT" id)
    SCIM_BASE_URL=$(field "$OUT" base_url)
    SCIM_TOKEN=$(field "$OUT" token)
    export SCIM_BASE_URL SCIM_TOKEN
}

user_body() {
    printf '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s@example.com","name":{"givenName":"%s","familyName":"Smoke"},"emails":[{"primary":true,"value":"%s@example.com","type":"work"}],"displayName":"%s Smoke","active":true}' "$1" "$1" "$1" "$1"
}

# --- setup: a directory and a running server ---
PORT=$(free_port)
BASE_URL=http://127.0.0.1:$PORT
DATABASE=sqlite:$WORK/roster.sqlite

scim_directory "" "Smoke Okta" "$BASE_URL"
DIRECTORY=$DIRECTORY_ID

start_roster "$WORK/server.log" "$PORT" "$ROSTER" serve --database-url "$DATABASE" --host 127.0.0.1 --port "$PORT" \
    --base-url "$BASE_URL" || exit 1
SERVER_PID=$ROSTER_PID

ALICE=$(field "$(scim POST /Users "$(user_body alice)")" id)
BOB=$(field "$(scim POST /Users "$(user_body bob)")" id)
CAROL=$(field "$(scim POST /Users "$(user_body carol)")" id)
ENGINEERING=$(field "$(scim POST /Groups "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Engineering\",\"members\":[{\"value\":\"$ALICE\"},{\"value\":\"$BOB\"}]}")" id)
scim POST /Groups "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Design\",\"members\":[{\"value\":\"$CAROL\"}]}" >/dev/null

# --- team create ---
ok "team create" team create "Platform Engineering"
contains "team create names the team and its slug" 'Created team "Platform Engineering", slug platform-engineering, id '
ok "team create --slug --json" team create "Design Team" --slug design --json
json "team create --json prints id, name, slug" '
assert sorted(d) == ["id", "name", "slug"], sorted(d)
assert d["name"] == "Design Team" and d["slug"] == "design"'
DESIGN_ID=$(field "$OUT" id)
fails "team create with a taken slug" 1 'the slug "platform-engineering" is taken' team create "platform engineering"
fails "team create with a bad --slug" 2 "--slug must be" team create "Ops" --slug "Not A Slug"
fails "team create with a blank name" 2 "must not be blank" team create "   "

# --- team map ---
# A team is named by its id, its slug or its name (the seed guide's admins think in names).
ok "team map (by the team's name)" team map "Platform Engineering" "Engineering"
contains "team map says what it did" 'Mapped the group name "Engineering" in all directories to team "Platform Engineering" (platform-engineering).'
contains "team map counts the members" 'now has 2 members.'
ok "team map again (by slug)" team map platform-engineering "Engineering"
contains "team map again says it was already mapped" "already had the group name \"Engineering\" in all directories mapped"
ok "team map --directory (by id)" team map "$DESIGN_ID" "Design" --directory "$DIRECTORY"
contains "team map --directory names the directory" "the group name \"Design\" in directory $DIRECTORY to team \"Design Team\" (design)"
contains "team map --directory counts the members" 'now has 1 member.'
ok "team map with a name in the wrong case" team map design "design"
contains "team map warns when no group of that name has members" 'No member of a group named "design" is in the team yet'
ok "team unmap of the wrong-case name" team unmap design "design"
fails "team map of an unknown team" 1 'no team with id, slug or name "nobody"' team map nobody "Engineering"
fails "team map to an unknown directory" 1 'no directory with id "no-such-directory"' team map design "Design" --directory no-such-directory
fails "team map of an empty group name" 2 "the group name must not be empty" team map design ""

# --- team list ---
ok "team list" team list
contains "team list has a header" "ID                                    NAME                  SLUG                  GROUPS"
contains "team list shows a mapping for all directories" 'platform-engineering  "Engineering" (all directories)'
contains "team list shows a mapping for one directory" "\"Design\" (directory $DIRECTORY)"
lacks "team list no longer shows the unmapped name" '"design"'
ok "team list --json" team list --json
json "team list --json gives teams with their mappings" "
assert [team['slug'] for team in d] == ['design', 'platform-engineering'], d
assert all(sorted(team) == ['id', 'mappings', 'name', 'slug'] for team in d), d
assert d[0]['mappings'] == [{'directory_id': '$DIRECTORY', 'group_name': 'Design'}], d[0]
assert d[1]['mappings'] == [{'directory_id': None, 'group_name': 'Engineering'}], d[1]"

# --- team members, and a suspension ---
scim PATCH "/Users/$BOB" '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}' >/dev/null
ok "team members (by the name, in another case)" team members "platform engineering"
contains "team members has a header" "PERSON"
contains "team members shows an active member, its directory and source" "alice@example.com  $ALICE  alice@example.com  $DIRECTORY  active      \"Engineering\""
contains "team members shows a deactivated user as suspended" "bob@example.com    $BOB  bob@example.com    $DIRECTORY  suspended   \"Engineering\""
ok "team members --json" team members platform-engineering --json
json "team members --json gives people with their users, membership and sources" "
assert [p['email'] for p in d] == ['alice@example.com', 'bob@example.com'], d
assert [p['membership'] for p in d] == ['active', 'suspended'], d
assert all(sorted(p) == ['email', 'membership', 'users'] for p in d), d
users = [u for p in d for u in p['users']]
assert all(sorted(u) == ['directory_id', 'membership', 'sources', 'user_id', 'user_name'] for u in users), users
assert [u['user_id'] for u in users] == ['$ALICE', '$BOB'] and all(u['directory_id'] == '$DIRECTORY' for u in users), users
assert [u['membership'] for u in users] == ['active', 'suspended'], users
assert all(u['sources'] == [{'type': 'group', 'group_id': '$ENGINEERING', 'group_name': 'Engineering'}] for u in users), users"
ok "a second team with the same name" team create "Design Team" --slug design-2
fails "team members of a name two teams have" 1 '2 teams are named "Design Team": name one by its slug ("design", "design-2")' team members "Design Team"
ok "team delete by slug" team delete design-2
fails "team members of an unknown team" 1 'no team with id, slug or name "nobody" (see `roster team list`)' team members nobody

# --- events ---
ok "events" events
event_lines "events prints one event object per line, oldest first" "
for wanted in ['user.created', 'group.created', 'group.member_added', 'team.member_added', 'user.deactivated']:
    assert wanted in types, f'no {wanted} event in {types}'
assert types.count('user.created') == 3, types
assert types.count('team.member_added') == 3, types"
ALL_EVENTS=$OUT
TOTAL=$(wc -l <<<"$ALL_EVENTS")
THIRD=$(python3 -c 'import json, sys; print(json.loads(sys.stdin.read().splitlines()[2])["sequence"])' <<<"$ALL_EVENTS")
ok "events --after" events --after "$THIRD"
event_lines "events --after prints only later events" "
assert len(events) == $TOTAL - 3, len(events)
assert all(event['sequence'] > $THIRD for event in events), sequences"
ok "events --limit" events --limit 2
event_lines "events --limit prints the first N events" "
assert [json.dumps(event) for event in events] == [json.dumps(json.loads(line)) for line in '''$ALL_EVENTS'''.splitlines()[:2]]"
ok "events --after past the end" events --after 999999
if [[ -z $OUT ]]; then pass; else fail "events --after past the end prints nothing" "$OUT"; fi
fails "events --limit 0" 2 "--limit must be a positive number" events --limit 0
fails "events --after with a word" 2 "--after must be a sequence number" events --after latest

# --follow: existing events at once, new ones as they are committed, a clean exit on SIGTERM.
"$ROSTER" events --follow --after "$THIRD" --database-url "$DATABASE" >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOW_PID=$!
wait_for_lines() {
    for _ in $(seq 100); do
        # The background command may not have created the file yet.
        [[ $(wc -l 2>/dev/null <"$WORK/follow.out") -ge $1 ]] && return 0
        sleep 0.1
    done
    return 1
}
# stop_follower COMMAND: stops the `roster COMMAND --follow` running as FOLLOW_PID with SIGTERM, checks that it exits 0
# with nothing on standard error, and makes what it printed the last output (OUT).
stop_follower() {
    kill -TERM "$FOLLOW_PID"
    wait "$FOLLOW_PID"
    FOLLOW_RC=$?
    FOLLOW_PID=
    if [[ $FOLLOW_RC -eq 0 && ! -s $WORK/follow.err ]]; then
        pass
    else
        fail "$1 --follow exits 0 on SIGTERM (exited $FOLLOW_RC)" "$(cat "$WORK/follow.err")"
    fi
    OUT=$(cat "$WORK/follow.out")
}
if wait_for_lines $((TOTAL - 3)); then pass; else fail "events --follow prints the existing events" "$(cat "$WORK/follow.out" "$WORK/follow.err")"; fi
DAVE=$(field "$(scim POST /Users "$(user_body dave)")" id)
scim PATCH "/Groups/$ENGINEERING" "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"$DAVE\"}]}]}" >/dev/null
if wait_for_lines $((TOTAL - 3 + 3)); then pass; else fail "events --follow prints new events as they come" "$(cat "$WORK/follow.out" "$WORK/follow.err")"; fi
sleep 0.7 # one more poll: nothing else may appear
stop_follower events
event_lines "events --follow prints the old and then the new events" "
assert len(events) == $TOTAL - 3 + 3, types
assert all(event['sequence'] > $THIRD for event in events), sequences
assert types[-3:] == ['user.created', 'group.member_added', 'team.member_added'], types[-3:]
assert events[-1]['data']['user']['id'] == '$DAVE', events[-1]"
# --follow with --limit stops by itself.
"$ROSTER" events --follow --limit 2 --database-url "$DATABASE" >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOW_PID=$!
for _ in $(seq 50); do kill -0 "$FOLLOW_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$FOLLOW_PID" 2>/dev/null; then
    fail "events --follow --limit 2 exits after 2 events"
else
    wait "$FOLLOW_PID"
    FOLLOW_RC=$?
    if [[ $FOLLOW_RC -eq 0 && $(wc -l <"$WORK/follow.out") -eq 2 ]]; then pass; else fail "events --follow --limit 2 prints 2 lines, exit 0 (exited $FOLLOW_RC)" "$(cat "$WORK/follow.out" "$WORK/follow.err")"; fi
fi
FOLLOW_PID=
FIRST_PID=

# --- team unmap ---
ok "team unmap" team unmap platform-engineering "Engineering"
contains "team unmap says what it did" 'Unmapped the group name "Engineering" in all directories from team "Platform Engineering" (platform-engineering).'
contains "team unmap counts the members" 'now has no members.'
fails "team unmap of a name not mapped" 1 'has no mapping for the group name "Engineering" in all directories' team unmap platform-engineering "Engineering"
ok "team members after unmap" team members platform-engineering
contains "team members of an empty team gives a hint" 'Team "Platform Engineering" (platform-engineering) has no members yet.'
ok "events after unmap" events --after "$THIRD"
event_lines "team unmap records team.member_removed" "
assert types[-2:] == ['team.member_removed', 'team.member_removed'], types[-2:]"

# --- team rename and delete ---
ok "team rename" team rename design "Design Guild"
contains "team rename says what it did" 'Renamed team "Design Team" (design) to "Design Guild"; its slug stays design.'
fails "team rename to a blank name" 2 "must not be blank" team rename design ""
ok "team delete" team delete design
contains "team delete says what it did" "Deleted team \"Design Guild\" (design), id $DESIGN_ID, with its 1 group mapping; it had 1 member."
fails "team delete of a deleted team" 1 'no team with id, slug or name "design"' team delete design
ok "team delete of the last team" team delete platform-engineering
ok "team list when empty" team list
if [[ $OUT == "No teams yet. Create one with: roster team create NAME" ]]; then pass; else fail "team list when empty gives a hint" "$OUT"; fi
ok "team list --json when empty" team list --json
json "team list --json when empty is []" 'assert d == [], d'

# --- audit trail ---
# The commands above ran as this OS user: `cli` with USER, else LOGNAME, else the account name.
AUDIT_USER=${USER:-${LOGNAME:-$(id -un 2>/dev/null || id -u)}}
roster directory create --name "Audit Okta" --provider okta --base-url "$BASE_URL" --json
[[ $RC -eq 0 ]] || die "directory create failed: $ERR"
AUDIT_DIRECTORY=$(field "$OUT" id)
CREATED_TOKEN=$(field "$OUT" token)
ok "directory rotate-token" directory rotate-token "$AUDIT_DIRECTORY" --base-url "$BASE_URL" --json
json "directory rotate-token --json prints a new token" "
assert d['id'] == '$AUDIT_DIRECTORY' and d['token'] and d['token'] != '$CREATED_TOKEN', d"
ROTATED_TOKEN=$(field "$OUT" token)
ok "audit --json" audit --json
contains "audit --json has the rotation" '"action":"directory.token_rotated","actor":"cli"'
contains "audit --json names the directory" "\"id\":\"$AUDIT_DIRECTORY\""
audit_lines "audit --json shows the rotation and the team changes, by cli with the OS user" "
rotations = [e for e in entries if e['action'] == 'directory.token_rotated']
assert len(rotations) == 1, actions
r = rotations[0]
assert (r['actor'], r['actor_kind'], r['actor_detail'], r['address']) == ('cli', 'cli', '$AUDIT_USER', None), r
assert r['target'] == {'kind': 'directory', 'id': '$AUDIT_DIRECTORY', 'name': 'Audit Okta'}, r
assert r['before'] == {} and r['after'] == {'token': 'rotated'}, r
for wanted in ['directory.created', 'team.created', 'team.group_mapped', 'team.group_unmapped', 'team.renamed', 'team.deleted']:
    assert wanted in actions, f'no {wanted} entry in {actions}'
assert actions.count('directory.created') == 2, actions
assert all(e['actor'] == 'cli' and e['actor_detail'] == '$AUDIT_USER' for e in entries), entries"
lacks "audit --json never shows the rotated token" "$ROTATED_TOKEN"
lacks "audit --json never shows the replaced token" "$CREATED_TOKEN"
lacks "audit --json never shows the first directory's token" "$SCIM_TOKEN"
LAST_AUDIT_ID=$(python3 -c 'import json, sys; print(json.loads(sys.stdin.read().splitlines()[-1])["id"])' <<<"$OUT")
ok "audit (text)" audit --action directory.token_rotated
if [[ $OUT == *"  cli ($AUDIT_USER)  directory.token_rotated  directory \"Audit Okta\" ($AUDIT_DIRECTORY)  token: \"rotated\"" && $(wc -l <<<"$OUT") -eq 1 ]]; then
    pass
else
    fail "audit --action prints the one rotation as a line of text" "$OUT"
fi
lacks "audit text never shows the rotated token" "$ROTATED_TOKEN"
ok "audit --target --target-kind" audit --json --target "$AUDIT_DIRECTORY" --target-kind directory
audit_lines "audit --target keeps the entries of that directory" "assert actions == ['directory.created', 'directory.token_rotated'], actions"
ok "audit --actor" audit --json --actor nobody@example.com
if [[ -z $OUT ]]; then pass; else fail "audit --actor of someone who did nothing prints nothing" "$OUT"; fi
ok "audit --after the last id" audit --after "$LAST_AUDIT_ID"
if [[ -z $OUT ]]; then pass; else fail "audit --after the last id prints nothing" "$OUT"; fi
ok "audit --limit" audit --json --limit 1
audit_lines "audit --limit 1 prints the oldest entry" "assert len(entries) == 1 and entries[0]['action'] == 'directory.created', actions"
fails "audit --action unknown" 2 "--action must be one of" audit --action team.exploded
fails "audit --after with a word" 2 "--after must be an audit entry id" audit --after latest
fails "audit --actor blank" 2 "--actor must not be blank" audit --actor " "
# --follow: new entries as they are recorded, a clean exit on SIGTERM.
"$ROSTER" audit --follow --json --after "$LAST_AUDIT_ID" --database-url "$DATABASE" >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOW_PID=$!
sleep 0.7 # the follower has read everything there is
ok "team create while audit --follow runs" team create "Audit Follow"
if wait_for_lines 1; then pass; else fail "audit --follow prints a new entry" "$(cat "$WORK/follow.out" "$WORK/follow.err")"; fi
stop_follower audit
audit_lines "audit --follow prints the team created after it started" "
assert actions == ['team.created'], actions
assert entries[0]['target']['name'] == 'Audit Follow' and entries[0]['id'] > $LAST_AUDIT_ID, entries"
ok "team delete of the followed team" team delete "Audit Follow"

# --- login-link and the first-start link ---
# http_status URL: the status of a GET that does not follow redirects.
http_status() {
    python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
try:
    print(urllib.request.build_opener(NoRedirect).open(sys.argv[1], timeout=10).status)
except urllib.error.HTTPError as error:
    print(error.code)
PY
}
if grep -q "Settings pages are locked: SAML_ADMINS is empty" "$WORK/server.log"; then pass; else fail "serve without SAML_ADMINS says the settings are locked" "$(cat "$WORK/server.log")"; fi
fails "login-link without SAML_ADMINS" 2 "SAML_ADMINS is empty" login-link admin@example.com
# OIDC settings are checked before anything is served: one line and exit code 2.
fails "serve with an http OIDC issuer off loopback" 2 "must be an https URL" serve \
    --oidc-issuer http://idp.example.com --oidc-client-id c --oidc-client-secret s
fails "serve with an OIDC issuer but no client ID" 2 "OIDC_CLIENT_ID (or --oidc-client-id) must be set" serve \
    --oidc-issuer https://idp.example.com --oidc-client-secret s
fails "serve with an OIDC client ID but no issuer" 2 "OIDC_ISSUER (or --oidc-issuer) must be set" serve --oidc-client-id c
AUDIT_RETENTION_DAYS=0 fails "serve with AUDIT_RETENTION_DAYS=0" 2 \
    'AUDIT_RETENTION_DAYS (or --audit-retention-days) must be a number of days from 1 to 36500, not "0"' serve
AUDIT_RETENTION_DAYS=abc fails "serve with AUDIT_RETENTION_DAYS=abc" 2 'must be a number of days from 1 to 36500, not "abc"' serve
fails "serve with --audit-retention-days 36501" 2 'AUDIT_RETENTION_DAYS (or --audit-retention-days) must be a number of days' serve \
    --audit-retention-days 36501
fails "serve with an OIDC issuer that is not a URL" 2 "must be the provider's issuer URL" serve \
    --oidc-issuer "not a url" --oidc-client-id c --oidc-client-secret s
fails "login-link for someone not listed" 2 "eve@example.com is not listed in SAML_ADMINS" login-link eve@example.com --admins "admin@example.com"
ok "login-link for a listed admin (spaces and case as people type them)" login-link " Admin@Example.com" --admins " admin@example.com , ops@example.com" --base-url "$BASE_URL"
LINK=$(tail -n 1 <<<"$OUT")
if [[ $LINK == "$BASE_URL/auth/login?token="* ]]; then pass; else fail "login-link prints the link as its last line" "$OUT"; fi
STATUS=$(http_status "$LINK")
if [[ $STATUS == 303 ]]; then pass; else fail "the link signs in once (303, got $STATUS)"; fi
STATUS=$(http_status "$LINK")
if [[ $STATUS == 400 ]]; then pass; else fail "the link does not work twice (400, got $STATUS)"; fi
ok "audit of the sign-in link" audit --json --action admin.sign_in_link_issued
audit_lines "login-link is in the audit trail as issued by cli with the OS user, for the admin's email" "
assert len(entries) == 1, entries
e = entries[0]
assert (e['actor'], e['actor_kind'], e['actor_detail'], e['address']) == ('cli', 'cli', '$AUDIT_USER', None), e
assert e['target'] == {'kind': 'session', 'id': '', 'name': 'admin@example.com'}, e
assert e['before'] == {} and e['after'] == {'link': 'issued'}, e"
lacks "the audit trail never shows the sign-in link's token" "${LINK#*token=}"

# A second server on a fresh database with SAML_ADMINS prints a first sign-in link until someone signs in.
FIRST_DATABASE=sqlite:$WORK/first.sqlite
FIRST_PORT=$(free_port)
# start_first_server: runs `roster serve` on the fresh database until it answers; output in first.log.
start_first_server() {
    start_roster "$WORK/first.log" "$FIRST_PORT" env SAML_ADMINS="first@example.com, second@example.com" "$ROSTER" serve \
        --database-url "$FIRST_DATABASE" --host 127.0.0.1 --port "$FIRST_PORT"
    FIRST_PID=$ROSTER_PID
}
stop_first_server() {
    stop_processes "$FIRST_PID"
    FIRST_PID=
}
if start_first_server; then
    FIRST_LINK=$(grep -o "http://127.0.0.1:$FIRST_PORT/auth/login?token=[A-Za-z0-9_-]*" "$WORK/first.log")
    if grep -q "One-time sign-in link for first@example.com" "$WORK/first.log" && [[ -n $FIRST_LINK ]]; then pass; else fail "serve prints a first sign-in link for the first admin" "$(cat "$WORK/first.log")"; fi
    STATUS=$(http_status "$FIRST_LINK")
    if [[ $STATUS == 303 ]]; then pass; else fail "the first sign-in link signs in (303, got $STATUS)"; fi
    stop_first_server
    if start_first_server; then
        if ! grep -q "sign-in link" "$WORK/first.log"; then pass; else fail "serve prints no link once an admin has signed in" "$(cat "$WORK/first.log")"; fi
        stop_first_server
    else
        fail "roster serve restarts on the first database" "$(cat "$WORK/first.log")"
    fi
else
    fail "roster serve starts with SAML_ADMINS on a fresh database" "$(cat "$WORK/first.log")"
    stop_first_server
fi

# --- backup while serving ---
roster backup --to "$WORK/backup.sqlite"
if [[ $RC -eq 0 && $OUT == "Backed up "*"backup.sqlite"* ]]; then pass; else fail "backup writes a copy while serve runs (exit $RC)" "$OUT"$'\n'"$ERR"; fi
count_users() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM scim_user").fetchone()[0])' "$1" 2>&1; }
USERS_IN_BACKUP=$(count_users "$WORK/backup.sqlite")
USERS_LIVE=$(count_users "$WORK/roster.sqlite")
if [[ $USERS_IN_BACKUP == "$USERS_LIVE" && $USERS_LIVE -gt 0 ]]; then pass; else fail "the backup holds the users ($USERS_LIVE)" "$USERS_IN_BACKUP"; fi
if [[ ! -e $WORK/backup.sqlite-wal ]]; then pass; else fail "the backup is one self-contained file"; fi
fails "backup to a file that exists" 2 "already exists" backup --to "$WORK/backup.sqlite"

# --- export-postgres (when scripts/test.sh started a PostgreSQL) ---
if [[ -n ${ROSTER_TEST_POSTGRES_URL:-} ]]; then
    TARGET="$ROSTER_TEST_POSTGRES_URL?sslmode=no-verify"
    roster export-postgres --to "$TARGET" --replace
    if [[ $RC -eq 0 && $OUT == *"Exported and verified"* && $OUT == *"SAML_DATABASE_URL=postgresql://roster:****@"* ]]; then pass; else fail "export-postgres copies and verifies, while serve runs (exit $RC)" "$OUT"$'\n'"$ERR"; fi
    if [[ $ERR == *"export: scim_user: "*"done in"* ]]; then pass; else fail "export-postgres prints plain progress lines when not on a terminal" "$ERR"; fi
    if [[ $OUT != *"${ROSTER_TEST_POSTGRES_URL#*roster:}"* ]]; then pass; else fail "export-postgres does not print the password" "$OUT"; fi
    roster export-postgres --to "$TARGET"
    if [[ $RC -eq 1 && $(tail -n 1 <<<"$ERR") == "roster: "*"already holds Roster's tables: add --replace"* ]]; then pass; else fail "export-postgres refuses a target with Roster's tables (exit $RC)" "$ERR"; fi
    roster export-postgres --to "${TARGET%%\?*}?sslmode=verify-full"
    if [[ $RC -eq 1 && $(tail -n 1 <<<"$ERR") == "roster: TLS with PostgreSQL"* ]]; then pass; else fail "export-postgres with verify-full fails on a self-signed certificate in one line (exit $RC)" "$ERR"; fi
    roster export-postgres --to "postgresql://roster:wrong@${TARGET#*@}"
    if [[ $RC -eq 1 && $(tail -n 1 <<<"$ERR") == "roster: PostgreSQL at "*"refused the login"* ]]; then pass; else fail "export-postgres with a wrong password fails in one line (exit $RC)" "$ERR"; fi
    fails "export-postgres with an unusable URL" 2 "must start with postgresql://" export-postgres --to "mysql://x@y/z"
fi

# --- the CLI on PostgreSQL: SAML_DATABASE_URL names a fresh database in the test cluster ---
if [[ -z ${ROSTER_TEST_POSTGRES_URL:-} ]]; then
    say "ROSTER_TEST_POSTGRES_URL is unset (scripts/test.sh sets it): skipping export-postgres and the CLI on PostgreSQL"
else
    PG_DATABASE=roster_cli_smoke_$$
    if ! postgres_create_database "$PG_DATABASE"; then
        fail "create the PostgreSQL database $PG_DATABASE"
    else
        DATABASE=$(postgres_database_url "$PG_DATABASE")
        PG_PORT=$(free_port)
        PG_BASE_URL=http://127.0.0.1:$PG_PORT
        scim_directory " on PostgreSQL" "PG Okta" "$PG_BASE_URL"
        PG_DIRECTORY=$DIRECTORY_ID
        ok "directory list --json on PostgreSQL" directory list --json
        json "directory list on PostgreSQL shows the directory" "assert [x['id'] for x in d] == ['$PG_DIRECTORY'], d"
        ok "team create on PostgreSQL" team create "Platform Engineering"
        contains "team create on PostgreSQL names the team" 'Created team "Platform Engineering", slug platform-engineering'
        ok "team map on PostgreSQL" team map platform-engineering "Engineering"
        contains "team map on PostgreSQL says what it did" 'Mapped the group name "Engineering" in all directories to team "Platform Engineering"'
        ok "audit --json on PostgreSQL" audit --json
        audit_lines "audit on PostgreSQL has the directory and team changes by cli, oldest first" "
assert actions == ['directory.created', 'team.created', 'team.group_mapped'], actions
assert all(e['actor'] == 'cli' and e['actor_detail'] == '$AUDIT_USER' for e in entries), entries
assert entries[0]['target']['id'] == '$PG_DIRECTORY', entries[0]"
        lacks "audit on PostgreSQL never shows the directory's token" "$SCIM_TOKEN"
        if start_roster "$WORK/pg-server.log" "$PG_PORT" "$ROSTER" serve --database-url "$DATABASE" --host 127.0.0.1 \
            --port "$PG_PORT" --base-url "$PG_BASE_URL"; then
            PG_SERVER_PID=$ROSTER_PID
            if grep -q "Database: PostgreSQL postgresql://roster@" "$WORK/pg-server.log" && ! grep -q "${ROSTER_TEST_POSTGRES_URL#*roster:}" "$WORK/pg-server.log"; then
                pass
            else
                fail "serve on PostgreSQL names the database without its password" "$(head -n 5 "$WORK/pg-server.log")"
            fi
            PG_ALICE=$(field "$(scim POST /Users "$(user_body alice)")" id)
            scim POST /Groups "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Engineering\",\"members\":[{\"value\":\"$PG_ALICE\"}]}" >/dev/null
            ok "team members on PostgreSQL" team members platform-engineering --json
            json "team members on PostgreSQL has the pushed user" "assert [u['user_id'] for p in d for u in p['users']] == ['$PG_ALICE'], d"
            ok "events on PostgreSQL" events
            event_lines "events on PostgreSQL prints the pushed changes in order" "
assert types[:2] == ['user.created', 'group.created'], types
assert 'team.member_added' in types, types"
            stop_processes "$PG_SERVER_PID"
            PG_SERVER_PID=
            if grep -q "Roster stopped." "$WORK/pg-server.log"; then pass; else fail "serve on PostgreSQL stops cleanly" "$(tail -n 5 "$WORK/pg-server.log")"; fi
        else
            fail "roster serve starts on PostgreSQL" "$(tail -n 20 "$WORK/pg-server.log")"
        fi
        fails "backup on PostgreSQL" 2 "back it up with pg_dump" backup --to "$WORK/pg-backup.sqlite"
        fails "export-postgres from PostgreSQL" 2 "point it at the SQLite file to copy" export-postgres --to "$DATABASE"
        postgres_drop_databases
    fi
fi

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
