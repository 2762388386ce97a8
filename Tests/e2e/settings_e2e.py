#!/usr/bin/env python3
"""End-to-end browser test of the admin settings pages (/settings/organization/dsync) against a live `roster serve`.

    settings_e2e.py ROSTER_BIN BASE_URL DATABASE_URL [--artifacts DIR] [--oidc-issuer URL] [--saml-idp URL]
                    [--saml-provider-name NAME]

scripts/e2e.sh starts an OpenID Connect provider (oidc-provider-mock), a SAML IdP (Tests/saml/idp.py, pysaml2) on
http://localhost:PORT and the server on http://127.0.0.1:PORT (SAML_ADMINS=admin@example.com,
OIDC_ISSUER=that provider, SAML_IDP_METADATA=the IdP's metadata) and runs this. The test drives headless Chromium
through selenium, and it pushes Okta-shaped SCIM requests with urllib. The steps:
  a. signed out, the settings page sends the browser to the sign-in page;
  b. a `roster login-link` signs the browser in, and the link then works only once;
  c. configures an Okta directory and reads its SCIM Base URL and Bearer Token (the token is shown only once);
  d. provisions like Okta: connector test, 3 users, the group Engineering with its members, one deactivation;
  e. creates the team Platform and maps group names to it: wrong case, typo, right, and again;
  f. the team, users and user pages show the membership and where it comes from;
  g. the directory status panel and the request log;
  h. a group named <script>alert(1)</script> is shown as text, not run;
  i. with the cookies deleted, "Sign in with single sign-on" on the sign-in page leads to the provider's form; the
     admin's email typed there as the subject signs the browser in (needs --oidc-issuer);
  j. signed out with the top bar's Sign out button, "Sign in with NAME" (SAML) on the sign-in page leads to the
     IdP's page on another site (localhost, Roster being 127.0.0.1), whose form posts the response to the ACS
     cross-site by itself; the browser ends signed in as the admin (needs --saml-idp).
Prints one line per check and `N passed, N failed`. Exit status 1 when a check failed or a step could not run. Saves
numbered screenshots after each step and on each failure, with the page's HTML on a failed step.
"""

import argparse
import html
import json
import os
import re
import secrets
import signal
import string
import subprocess
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import (
    NoAlertPresentException,
    NoSuchElementException,
    StaleElementReferenceException,
    UnexpectedAlertPresentException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT_SECONDS = 30  # for any element or page change: the server is a debug build on a busy machine
PAGE_LOAD_SECONDS = 90
HTTP_SECONDS = 30

ADMIN_EMAIL = "admin@example.com"
DSYNC_PATH = "/settings/organization/dsync"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
XSS_GROUP = "<script>alert(1)</script>"

# The users Okta provisions: (given name, family name); userName is the lower-case given name @example.com.
PEOPLE = [("Alice", "Anderson"), ("Bob", "Brown"), ("Carol", "Clark")]


class StepError(Exception):
    """A step cannot go on (a page or element is missing); the steps that need it are skipped."""


class Context:
    """What the steps share: the browser, the server's coordinates, the results and what earlier steps found."""

    def __init__(self, arguments, driver):
        self.roster = arguments.roster
        self.base_url = arguments.base_url.rstrip("/")
        self.database_url = arguments.database_url
        self.oidc_issuer = (arguments.oidc_issuer or "").rstrip("/")
        self.saml_idp = (arguments.saml_idp or "").rstrip("/")
        self.saml_provider_name = arguments.saml_provider_name
        self.artifacts = Path(arguments.artifacts)
        self.driver = driver
        self.passed = 0
        self.failed = 0
        self.shots = 0
        # Filled in by the steps.
        self.login_link = None
        self.directory_url = None
        self.scim_base_url = None
        self.scim_token = None
        self.user_ids = {}  # userName -> SCIM id
        self.group_id = None

    # --- results ---

    def check(self, name, ok, detail="", screenshot=True):
        """Records and prints one check; a failed one also gets a screenshot unless it is not about the browser."""
        if ok:
            self.passed += 1
            print(f"ok   {name}", flush=True)
            return True
        self.failed += 1
        print(f"FAIL {name}", flush=True)
        for line in str(detail).splitlines():
            print(f"     | {line}", flush=True)
        if screenshot:
            self.shot("failure-" + slug(name))
        return False

    def shot(self, name):
        """Saves a numbered screenshot, e.g. 03-directory-created.png."""
        self.shots += 1
        path = self.artifacts / f"{self.shots:02d}-{name}.png"
        try:
            self.driver.save_screenshot(str(path))
        except WebDriverException as error:
            print(f"     (no screenshot {path.name}: {type(error).__name__})", flush=True)
        return path

    def save_page_source(self, name):
        try:
            (self.artifacts / f"{self.shots:02d}-{name}.html").write_text(self.driver.page_source)
        except WebDriverException:
            pass

    # --- browser ---

    def url(self, path):
        return self.base_url + path

    def wait(self):
        # An element read while the page is being replaced goes stale: that is a reason to look again, not to fail.
        ignored = (NoSuchElementException, StaleElementReferenceException)
        return WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=ignored)

    def find(self, css, parent=None):
        """The first element matching css, now (inside parent if given); StepError naming it when there is none."""
        found = (parent or self.driver).find_elements(By.CSS_SELECTOR, css)
        if not found:
            where = " in its row" if parent is not None else ""
            raise StepError(f"no {css}{where} on {self.driver.current_url}")
        return found[0]

    def wait_for(self, css):
        """The first element matching css, once present; StepError after WAIT_SECONDS."""
        try:
            return self.wait().until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))
        except WebDriverException as error:
            if isinstance(error, UnexpectedAlertPresentException):
                raise
            raise StepError(f"no {css} on {self.driver.current_url} after {WAIT_SECONDS} s") from None

    def wait_for_h1(self, text):
        """Waits until the page's h1 reads text; StepError naming the h1 it has otherwise."""
        try:
            self.wait().until(lambda driver: h1_text(driver) == text)
        except WebDriverException as error:
            if isinstance(error, UnexpectedAlertPresentException):
                raise
            raise StepError(
                f'expected h1 "{text}" on {self.driver.current_url}, found {h1_text(self.driver)!r}'
            ) from None

    def open(self, path_or_url, css):
        """Loads a page and waits for css on it."""
        target = path_or_url if path_or_url.startswith("http") else self.url(path_or_url)
        self.driver.get(target)
        return self.wait_for(css)

    def click_and_wait(self, element, css):
        """Clicks a link or submit button, waits for the new page (or a changed #flash), then for css on it."""
        clicked = describe(element)
        old_page = self.driver.find_element(By.TAG_NAME, "html")
        old_flash = flash_text(self.driver)
        last_error = []

        def settled(driver):
            # Between two documents a script or element read can fail in several ways: each means "not yet".
            try:
                changed = expected_conditions.staleness_of(old_page)(driver) or flash_text(driver) != old_flash
                return changed and driver.execute_script("return document.readyState") == "complete"
            except UnexpectedAlertPresentException:
                raise
            except WebDriverException as error:
                last_error[:] = [selenium_message(error)]
                return False

        element.click()
        try:
            self.wait().until(settled)
        except UnexpectedAlertPresentException:
            raise
        except WebDriverException:
            seen = f"; last error: {last_error[0]}" if last_error else ""
            raise StepError(
                f"clicking {clicked} did not load a new page within {WAIT_SECONDS} s ({self.driver.current_url}){seen}"
            ) from None
        return self.wait_for(css)

    # --- SCIM, the way Okta sends it ---

    def scim(self, method, path, body=None):
        """One SCIM request with Okta's headers; returns (status, parsed JSON body or None)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.scim_base_url + path,
            data=data,
            method=method,
            headers={
                "Accept": "application/scim+json",
                "Accept-Charset": "utf-8",
                "Content-Type": "application/scim+json; charset=utf-8",
                "User-Agent": "Okta SCIM Client 1.0.0",
                "Authorization": "Bearer " + self.scim_token,
            },
        )
        status, raw = http_request(request)
        try:
            return status, json.loads(raw) if raw.strip() else None
        except ValueError:
            return status, None


# --- small helpers ---


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def h1_text(driver):
    elements = driver.find_elements(By.TAG_NAME, "h1")
    return elements[0].text.strip() if elements else None


def flash_text(driver):
    elements = driver.find_elements(By.CSS_SELECTOR, "div#flash")
    return elements[0].text.strip() if elements else ""


def describe(element):
    """An element as a failure names it, e.g. button#save-directory "Save"."""
    try:
        element_id = element.get_attribute("id")
        name = element.tag_name + (f"#{element_id}" if element_id else "")
        return f'{name} "{element.text.strip()[:40]}"'
    except WebDriverException:
        return "an element"


def selenium_message(error):
    """A selenium error in one line: its type and message, without the session info and link selenium appends."""
    message = re.split(r"\n|; For documentation", error.msg or "")[0]
    return f"{type(error).__name__}: {message}"


def texts(parent, css):
    return [element.text.strip() for element in parent.find_elements(By.CSS_SELECTOR, css)]


def first_text(parent, css):
    found = texts(parent, css)
    return found[0] if found else ""


def short(value, limit=600):
    """A response body or list as one line of at most `limit` characters, for a failure's detail."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def http_request(request):
    """Sends a urllib request without raising on 4xx/5xx; returns (status, body text)."""
    try:
        with urllib.request.urlopen(request, timeout=HTTP_SECONDS) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def h1_in_html(text):
    """The text of the first h1 in an HTML document, tags removed and entities decoded."""
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", text, re.IGNORECASE | re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


def user_name(given):
    return f"{given.lower()}@example.com"


def names_person(cell_text, given, family):
    """A name cell shows a person by userName or by display name; either counts."""
    text = cell_text.lower()
    return user_name(given) in text or f"{given} {family}".lower() in text


def okta_user_body(given, family):
    """Okta's POST /Users body (OIN template): the Okta id as externalId, and a random placeholder password."""
    email = user_name(given)
    return {
        "schemas": [USER_SCHEMA],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": True, "value": email, "type": "work"}],
        "displayName": f"{given} {family}",
        "locale": "en-US",
        "externalId": "00u" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(17)),
        "groups": [],
        "password": "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8)),
        "active": True,
    }


def team_row(ctx, team_name):
    """The tr.team-row of a team on the Directory sync page."""
    for row in ctx.driver.find_elements(By.CSS_SELECTOR, "table#team-mapping-table tr.team-row"):
        if texts(row, "td.team-name a.team-link") == [team_name]:
            return row
    raise StepError(f'no tr.team-row for team "{team_name}" in table#team-mapping-table')


def group_chips(ctx, team_name):
    return texts(team_row(ctx, team_name), "td.group-names span.group-chip span.group-chip-name")


def add_group_name(ctx, team_name, group_name):
    """Types a group name into a team's Add group name form and submits it; returns the flash message."""
    row = team_row(ctx, team_name)
    field = ctx.find("form.add-group-name input[name=groupName]", row)
    field.clear()
    field.send_keys(group_name)
    button = ctx.find("form.add-group-name button.add-group-name-button", row)
    ctx.click_and_wait(button, "div#flash")
    return flash_text(ctx.driver)


def open_directory_page(ctx):
    ctx.open(ctx.directory_url, "section#directory-status")


# --- the steps ---


def step_a_signed_out(ctx):
    """a. Without a session the settings page sends the browser to the sign-in page."""
    ctx.open(DSYNC_PATH, "h1")
    ctx.wait_for_h1("Sign in")
    ctx.check('a. signed out, /settings/organization/dsync shows the page with h1 "Sign in"', True)
    path = urllib.parse.urlsplit(ctx.driver.current_url).path
    ctx.check("a. ... at /auth/sign-in", path == "/auth/sign-in", f"the browser is at {ctx.driver.current_url}")
    ctx.shot("signed-out-sign-in")


def step_b_sign_in_link(ctx):
    """b. `roster login-link` gives a link that signs the browser in once."""
    command = [ctx.roster, "login-link", ADMIN_EMAIL, "--database-url", ctx.database_url, "--base-url", ctx.base_url]
    # The same admin list the server runs with (e2e.sh sets SAML_ADMINS for both).
    environment = dict(os.environ, SAML_ADMINS=os.environ.get("SAML_ADMINS", ADMIN_EMAIL))
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    ctx.check(
        "b. roster login-link exits 0 and prints a line",
        result.returncode == 0 and lines,
        f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}",
        screenshot=False,
    )
    if not lines:
        raise StepError("roster login-link printed no link")
    ctx.login_link = lines[-1]
    ctx.check(
        "b. the last line is {BASE_URL}/auth/login?token=…",
        re.fullmatch(re.escape(ctx.base_url) + r"/auth/login\?token=\S+", ctx.login_link) is not None,
        f"last line: {ctx.login_link}",
        screenshot=False,
    )

    ctx.open(ctx.login_link, "h1")
    ctx.wait_for_h1("Directory sync")
    ctx.check('b. the link signs in and lands on h1 "Directory sync"', True)
    path = urllib.parse.urlsplit(ctx.driver.current_url).path
    ctx.check("b. ... at /settings/organization/dsync", path == DSYNC_PATH, f"the browser is at {path}")
    ctx.shot("signed-in-directory-sync")

    # The second use goes through urllib, so that the browser keeps its session.
    status, body = http_request(urllib.request.Request(ctx.login_link))
    heading = h1_in_html(body)
    ctx.check(
        'b. the same link again shows h1 "Sign-in link not valid"',
        heading == "Sign-in link not valid",
        f"status {status}, h1 {heading!r}: {short(body)}",
        screenshot=False,
    )
    ctx.check("b. ... with status 400", status == 400, f"status {status}", screenshot=False)


def step_c_configure_directory(ctx):
    """c. Configure an Okta directory; the token is readable once, then masked."""
    configure = ctx.open(DSYNC_PATH, "a#configure-directory")
    ctx.check(
        'c. with no directory the button reads "Configure"',
        configure.text.strip() == "Configure",
        f"a#configure-directory reads {configure.text.strip()!r}",
    )
    ctx.click_and_wait(configure, "form#directory-form")
    path = urllib.parse.urlsplit(ctx.driver.current_url).path
    ctx.check("c. Configure opens /settings/organization/dsync/new", path == DSYNC_PATH + "/new", f"at {path}")

    ctx.find("input#directory-name").send_keys("Okta")
    provider = ctx.find("select#directory-provider")
    choices = texts(provider, "option")
    if "Okta SCIM v2.0" not in choices:
        raise StepError(f'select#directory-provider has no option "Okta SCIM v2.0"; it has {choices}')
    Select(provider).select_by_visible_text("Okta SCIM v2.0")
    ctx.shot("configure-directory-form")
    ctx.click_and_wait(ctx.find("button#save-directory"), "input#scim-base-url")
    ctx.directory_url = ctx.driver.current_url
    path = urllib.parse.urlsplit(ctx.directory_url).path
    ctx.check(
        "c. saving shows /settings/organization/dsync/directories/<id>",
        re.fullmatch(re.escape(DSYNC_PATH) + r"/directories/[^/]+", path) is not None,
        f"the browser is at {ctx.directory_url}",
    )

    base_input = ctx.find("input#scim-base-url")
    token_inputs = ctx.driver.find_elements(By.CSS_SELECTOR, "input#scim-bearer-token")
    ctx.scim_base_url = (base_input.get_attribute("value") or "").strip()
    ctx.scim_token = (token_inputs[0].get_attribute("value") or "").strip() if token_inputs else ""
    ctx.check(
        "c. the SCIM Base URL is {BASE_URL}/api/scim/v2.0/<id>",
        re.fullmatch(re.escape(ctx.base_url) + r"/api/scim/v2\.0/[^/]+", ctx.scim_base_url) is not None,
        f"input#scim-base-url has {ctx.scim_base_url!r}",
    )
    ctx.check("c. the SCIM Bearer Token is shown on the first view", bool(ctx.scim_token), "no input#scim-bearer-token")
    ctx.check(
        "c. both inputs are readonly",
        base_input.get_attribute("readonly") is not None
        and bool(token_inputs)
        and token_inputs[0].get_attribute("readonly") is not None,
        "input#scim-base-url or input#scim-bearer-token lacks readonly",
    )
    copy_targets = [
        button.get_attribute("data-copy-target")
        for button in ctx.driver.find_elements(By.CSS_SELECTOR, "button.copy-button")
    ]
    ctx.check(
        "c. copy buttons for both",
        {"scim-base-url", "scim-bearer-token"} <= set(copy_targets),
        f"button.copy-button data-copy-target values: {copy_targets}",
    )
    ctx.shot("directory-created")
    if not ctx.scim_token or not ctx.scim_base_url:
        raise StepError("no SCIM Base URL or token to provision with")

    ctx.driver.refresh()
    ctx.wait_for("input#scim-base-url")
    ctx.check(
        "c. after a reload the token input is gone",
        not ctx.driver.find_elements(By.CSS_SELECTOR, "input#scim-bearer-token"),
        "input#scim-bearer-token is still on the page",
    )
    masked = ctx.driver.find_elements(By.CSS_SELECTOR, "span#scim-bearer-token-masked")
    ctx.check("c. ... and span#scim-bearer-token-masked is there", bool(masked), "no span#scim-bearer-token-masked")
    ctx.check(
        "c. ... and the token is nowhere on the page",
        ctx.scim_token not in ctx.driver.page_source,
        "the page source still contains the token",
    )
    ctx.shot("directory-reloaded")


def step_d_okta_provisioning(ctx):
    """d. Provision like Okta: connector test, users, a pushed group with members, a deactivation."""

    def expect(name, response, statuses):
        status, body = response
        wanted = "/".join(map(str, statuses))
        ctx.check(f"d. {name} → {wanted}", status in statuses, f"status {status}: {short(body)}", screenshot=False)
        return body if status in statuses else None

    def finds_nothing(name, body):
        found = body.get("totalResults") if isinstance(body, dict) else None
        ctx.check(f"d. ... {name} (totalResults 0)", found == 0, short(body), screenshot=False)

    # Okta's "Test Connector Configuration", with its `+`-encoded filter.
    query = urllib.parse.urlencode({"filter": 'userName eq "connector.test@example.com"', "startIndex": 1, "count": 1})
    body = expect("connector test GET /Users?filter=userName eq …&count=1", ctx.scim("GET", "/Users?" + query), [200])
    finds_nothing("finds nothing", body)

    for given, family in PEOPLE:
        email = user_name(given)
        # Okta's existence check before each create, this time with %20 for the space.
        query = "filter=" + urllib.parse.quote(f'userName eq "{email}"', safe="") + "&startIndex=1&count=100"
        body = expect(f"GET /Users?filter=userName eq {email}", ctx.scim("GET", "/Users?" + query), [200])
        finds_nothing(f"{email} is not there yet", body)
        body = expect(f"POST /Users {email}", ctx.scim("POST", "/Users", okta_user_body(given, family)), [201])
        if not body or not body.get("id"):
            raise StepError(f"no id for {email}: {short(body)}")
        ctx.user_ids[email] = body["id"]

    body = expect(
        "POST /Groups Engineering (members: [])",
        ctx.scim("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Engineering", "members": []}),
        [201],
    )
    if not body or not body.get("id"):
        raise StepError(f"no id for the group Engineering: {short(body)}")
    ctx.group_id = body["id"]

    members = [{"value": user_id, "display": email} for email, user_id in ctx.user_ids.items()]
    expect(
        "PATCH /Groups/{id} add members (alice, bob, carol)",
        ctx.scim(
            "PATCH",
            f"/Groups/{ctx.group_id}",
            {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "add", "path": "members", "value": members}]},
        ),
        [200, 204],
    )
    # Okta follows every membership change with this rename carrying the group's own id.
    expect(
        "PATCH /Groups/{id} replace {id, displayName}",
        ctx.scim(
            "PATCH",
            f"/Groups/{ctx.group_id}",
            {
                "schemas": [PATCH_SCHEMA],
                "Operations": [{"op": "replace", "value": {"id": ctx.group_id, "displayName": "Engineering"}}],
            },
        ),
        [200, 204],
    )
    carol = ctx.user_ids[user_name("Carol")]
    body = expect(
        "PATCH /Users/{carol} replace {active: false}",
        ctx.scim(
            "PATCH",
            f"/Users/{carol}",
            {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "value": {"active": False}}]},
        ),
        [200],
    )
    active = body.get("active") if isinstance(body, dict) else None
    ctx.check("d. ... carol is inactive", active is False, short(body), screenshot=False)


def step_e_team_mapping(ctx):
    """e. Create the team Platform and map group names to it."""
    ctx.open(DSYNC_PATH, "form#create-team")
    ctx.find("form#create-team input#team-name").send_keys("Platform")
    ctx.click_and_wait(ctx.find("button#create-team-button"), "section#team-mapping")
    row = team_row(ctx, "Platform")
    team_slug = row.get_attribute("data-team-slug") or ""
    href = ctx.find("td.team-name a.team-link", row).get_attribute("href") or ""
    ctx.check(
        "e. the new team Platform has a row with a slug and a link to its page",
        team_slug and href.endswith(f"{DSYNC_PATH}/teams/{team_slug}"),
        f"data-team-slug {team_slug!r}, a.team-link href {href!r}",
    )
    ctx.shot("team-created")

    flash = add_group_name(ctx, "Platform", "engineering")
    ctx.check('e. adding "engineering" (wrong case) asks "Did you mean"', "Did you mean" in flash, f"flash: {flash!r}")
    ctx.shot("flash-did-you-mean")

    flash = add_group_name(ctx, "Platform", "Enginering")
    lowered = flash.lower()
    ctx.check(
        'e. adding "Enginering" (typo) says no group of that name has been pushed yet',
        "no group named" in lowered and "enginering" in lowered and "pushed yet" in lowered,
        f"flash: {flash!r}",
    )
    ctx.shot("flash-not-pushed-yet")

    flash = add_group_name(ctx, "Platform", "Engineering")
    ctx.check('e. adding "Engineering" says members joined', "joined" in flash, f"flash: {flash!r}")
    chips = group_chips(ctx, "Platform")
    ctx.check('e. ... and the row shows the chip "Engineering"', "Engineering" in chips, f"chips: {chips}")
    ctx.shot("flash-members-joined")

    flash = add_group_name(ctx, "Platform", "Engineering")
    ctx.check('e. adding "Engineering" again says already added', "already added" in flash.lower(), f"flash: {flash!r}")
    ctx.shot("flash-already-added")


def step_f_membership_pages(ctx):
    """f. The team page, the users page and a user page show the membership and its source."""
    ctx.open(DSYNC_PATH, "section#team-mapping")
    link = ctx.find("td.team-name a.team-link", team_row(ctx, "Platform"))
    ctx.click_and_wait(link, "h1")
    ctx.wait_for_h1("Platform")
    ctx.wait_for("table#team-members")
    rows = [
        (first_text(row, "td.user-name"), first_text(row, "td.member-source"))
        for row in ctx.driver.find_elements(By.CSS_SELECTOR, "table#team-members tr.member-row")
    ]
    for given, family in PEOPLE[:2]:
        found = [source for name, source in rows if names_person(name, given, family)]
        ctx.check(f"f. the team page lists {user_name(given)}", bool(found), f"(name, source): {short(rows)}")
        ctx.check(
            "f. ... with a source mentioning Engineering",
            any("Engineering" in source for source in found),
            f"sources: {found}",
        )
    ctx.shot("team-page")

    # From the Directory sync page to the directory, then to its users.
    ctx.open(DSYNC_PATH, "table#directories")
    directory_links = [
        element
        for element in ctx.driver.find_elements(By.CSS_SELECTOR, "table#directories tr.directory-row a.directory-link")
        if element.text.strip() == "Okta"
    ]
    if not directory_links:
        raise StepError('no a.directory-link "Okta" in table#directories')
    ctx.click_and_wait(directory_links[0], "section#directory-status")
    ctx.click_and_wait(ctx.find("a#users-link"), "table#users")
    people = {}  # given name -> (status, teams, link to the user page)
    for row in ctx.driver.find_elements(By.CSS_SELECTOR, "table#users tr.user-row"):
        name = first_text(row, "td.user-name")
        for given, family in PEOPLE:
            if names_person(name, given, family):
                user_links = row.find_elements(By.CSS_SELECTOR, "td.user-name a")
                people[given] = (first_text(row, "td.user-status"), first_text(row, "td.user-teams"), user_links)
    seen = {given: found[:2] for given, found in people.items()}
    status, teams, alice_links = people.get("Alice", ("", "", []))
    ctx.check("f. the users page lists Platform in alice's td.user-teams", "Platform" in teams, f"rows: {seen}")
    ctx.check(
        "f. ... alice is active and carol deactivated",
        status == "active" and people.get("Carol", ("",))[0] == "deactivated",
        f"(status, teams): {seen}",
    )
    ctx.shot("users-page")
    if not alice_links:
        raise StepError("no tr.user-row for alice@example.com with a link in td.user-name")

    ctx.click_and_wait(alice_links[0], "h1")
    ctx.wait_for_h1(user_name("Alice"))
    ctx.wait_for("ul#user-teams")
    teams = [
        (first_text(item, "span.team-name"), first_text(item, "span.membership-source"))
        for item in ctx.driver.find_elements(By.CSS_SELECTOR, "ul#user-teams li.user-team")
    ]
    ctx.check(
        "f. alice's page lists Platform in ul#user-teams, from a source mentioning Engineering",
        any(team == "Platform" and "Engineering" in source for team, source in teams),
        f"li.user-team (team, source): {teams}",
    )
    groups = texts(ctx.driver, "ul#user-groups li.user-group")
    ctx.check("f. ... and Engineering in ul#user-groups", "Engineering" in groups, f"li.user-group: {groups}")
    ctx.shot("user-page-alice")


def step_g_status_and_request_log(ctx):
    """g. The status panel counts users and groups; the request log has the user creates."""
    open_directory_page(ctx)
    counts = {
        name: ctx.wait_for(f"section#directory-status span#{name}").text.strip()
        for name in ("active-users", "inactive-users", "group-count")
    }
    ctx.check("g. status: 2 active users", counts["active-users"] == "2", f"counts: {counts}")
    ctx.check("g. status: 1 inactive user", counts["inactive-users"] == "1", f"counts: {counts}")
    ctx.check("g. status: 1 group", counts["group-count"] == "1", f"counts: {counts}")
    ctx.shot("directory-status")

    ctx.click_and_wait(ctx.find("a#request-log-link"), "table#request-log")
    rows = [
        tuple(first_text(row, css) for css in ("td.request-method", "td.request-path", "td.request-status"))
        for row in ctx.driver.find_elements(By.CSS_SELECTOR, "table#request-log tr.request-row")
    ]
    ctx.check(
        "g. the request log has a POST to /Users with status 201",
        any(
            method.upper() == "POST" and path.split("?")[0].rstrip("/").endswith("/Users") and status.startswith("201")
            for method, path, status in rows
        ),
        f"{len(rows)} rows (method, path, status): {short(rows)}",
    )
    ctx.shot("request-log")


def step_h_html_escaping(ctx):
    """h. A group named <script>alert(1)</script> shows as text on the Groups page and runs nothing."""
    status, body = ctx.scim("POST", "/Groups", {"schemas": [GROUP_SCHEMA], "displayName": XSS_GROUP, "members": []})
    ctx.check(f"h. POST /Groups {XSS_GROUP} → 201", status == 201, f"status {status}: {short(body)}", False)

    open_directory_page(ctx)
    groups_url = ctx.find("a#groups-link").get_attribute("href")
    ctx.driver.get(groups_url)
    try:
        alert = ctx.driver.switch_to.alert
        alert_text = alert.text
        alert.accept()
        ctx.check("h. the Groups page opens no alert", False, f"an alert opened with {alert_text!r}")
    except NoAlertPresentException:
        ctx.check("h. the Groups page opens no alert", True)
    try:
        ctx.wait_for("table#groups")
        cells = ctx.driver.find_elements(By.CSS_SELECTOR, "table#groups tr.group-row td.group-name")
    except UnexpectedAlertPresentException as error:
        ctx.check("h. no alert while reading the Groups page", False, f"an alert opened with {error.alert_text!r}")
        raise StepError("an alert interrupted the Groups page") from None
    shown = [cell for cell in cells if cell.text.strip() == XSS_GROUP]
    ctx.check(
        f"h. td.group-name shows the literal text {XSS_GROUP}",
        bool(shown) and shown[0].is_displayed(),
        f"td.group-name texts: {short([cell.text for cell in cells])}",
    )
    ctx.shot("groups-escaped")


def step_i_oidc_sign_in(ctx):
    """i. Signed out again, sign in through the OpenID Connect provider's form."""
    if not ctx.oidc_issuer:
        raise StepError("no --oidc-issuer: e2e.sh starts the provider and passes it")
    # A new session: the cookies of step b's sign-in go (they are 127.0.0.1's, whatever the port).
    ctx.open(DSYNC_PATH, "h1")
    ctx.driver.delete_all_cookies()
    ctx.open(DSYNC_PATH, "h1")
    ctx.wait_for_h1("Sign in")
    ctx.check("i. with the cookies deleted, the settings page shows the sign-in page again", True)

    link = ctx.wait_for("a#oidc-sign-in")
    href = link.get_attribute("href") or ""
    ctx.check(
        'i. a#oidc-sign-in reads "Sign in with single sign-on" (the provider\'s name for a host it does not know)',
        link.text.strip() == "Sign in with single sign-on",
        f"a#oidc-sign-in reads {link.text.strip()!r}",
    )
    ctx.check("i. ... and links to /auth/oidc/start", href == ctx.url("/auth/oidc/start"), f"href {href!r}")
    redirect_uri = ctx.driver.find_elements(By.CSS_SELECTOR, "#oidc-redirect-uri")
    shown = (redirect_uri[0].get_attribute("textContent") or "").strip() if redirect_uri else None
    ctx.check(
        "i. the page gives the redirect URI {BASE_URL}/auth/oidc/callback in #oidc-redirect-uri",
        shown == ctx.url("/auth/oidc/callback"),
        f"#oidc-redirect-uri: {shown!r}",
    )
    ctx.shot("sign-in-with-oidc")

    field = ctx.click_and_wait(link, "input[name=sub]")
    ctx.check(
        "i. the link leads to the provider's authorization form",
        ctx.driver.current_url.startswith(ctx.oidc_issuer + "/oauth2/authorize?"),
        f"the browser is at {ctx.driver.current_url}",
    )
    field.send_keys(ADMIN_EMAIL)
    ctx.shot("oidc-provider-form")
    # The Authorize button; Deny (name=action) and the recent-subject buttons (name=sub) have names.
    ctx.click_and_wait(ctx.find("form button[type=submit]:not([name])"), "h1")
    ctx.wait_for_h1("Directory sync")
    ctx.check('i. submitting the admin\'s email there lands on h1 "Directory sync"', True)
    path = urllib.parse.urlsplit(ctx.driver.current_url).path
    ctx.check("i. ... at /settings/organization/dsync", path == DSYNC_PATH, f"at {ctx.driver.current_url}")
    who = first_text(ctx.driver, "header nav.account span.who")
    ctx.check(f"i. ... signed in as {ADMIN_EMAIL} (the top bar)", who == ADMIN_EMAIL, f"span.who reads {who!r}")
    if ctx.directory_url:
        names = texts(ctx.driver, "table#directories tr.directory-row a.directory-link")
        ctx.check('i. ... and the directory "Okta" of step c is listed', "Okta" in names, f"directories: {names}")
    ctx.shot("signed-in-with-oidc")


# Installed on every new document while step j runs; acts only on the IdP's host. It holds the form submission that
# the IdP's page starts by itself (pysaml2's <body onload="document.forms[0].submit()">), so that the test can look at
# and photograph that page, and lets it go when the test calls window.__rosterE2E.release(): the same form, submitted
# by the page's own call, only later.
HOLD_SUBMIT_SCRIPT = """
if (location.hostname === %s) {
    const submit = HTMLFormElement.prototype.submit;
    const held = [];
    window.__rosterE2E = {
        held: held,
        release: function () { if (held.length) submit.call(held[0]); return held.length; },
    };
    HTMLFormElement.prototype.submit = function () { held.push(this); };
}
"""


def browser_network_events(ctx):
    """The Network.* events Chromium logged since the last call (goog:loggingPrefs performance), as (method, params)."""
    try:
        entries = ctx.driver.get_log("performance")
    except WebDriverException:
        return []
    events = []
    for entry in entries:
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, TypeError, ValueError):
            continue
        if message.get("method", "").startswith("Network."):
            events.append((message["method"], message.get("params", {})))
    return events


def posted_request(events, url):
    """The browser's POST to url among events: (request headers as sent, lower-case names; cookies blocked with why)."""
    request_ids = [
        params.get("requestId")
        for method, params in events
        if method == "Network.requestWillBeSent"
        and params.get("request", {}).get("url") == url
        and params.get("request", {}).get("method") == "POST"
    ]
    if not request_ids:
        return None, []
    headers, blocked = {}, []
    for method, params in events:
        if method == "Network.requestWillBeSentExtraInfo" and params.get("requestId") == request_ids[-1]:
            headers.update({name.lower(): value for name, value in params.get("headers", {}).items()})
            for associated in params.get("associatedCookies", []):
                if associated.get("blockedReasons"):
                    blocked.append((associated.get("cookie", {}).get("name"), associated["blockedReasons"]))
    return headers, blocked


def step_j_saml_sign_in(ctx):
    """j. Signed out, sign in through the SAML IdP's page on another site (a cross-site POST to the ACS)."""
    if not ctx.saml_idp:
        raise StepError("no --saml-idp: e2e.sh starts the IdP and passes it")
    idp_host = urllib.parse.urlsplit(ctx.saml_idp).hostname
    roster_host = urllib.parse.urlsplit(ctx.base_url).hostname

    # Signed in (by step i), sign out as an admin would; otherwise start from no cookies at all.
    ctx.open(DSYNC_PATH, "h1")
    sign_out = ctx.driver.find_elements(By.CSS_SELECTOR, "form#sign-out-form button[type=submit]")
    if sign_out:
        ctx.click_and_wait(sign_out[0], "h1")
        ctx.wait_for_h1("Sign in")
        path = urllib.parse.urlsplit(ctx.driver.current_url).path
        ctx.check('j. the top bar\'s "Sign out" leads to the sign-in page', path == "/auth/sign-in",
                  f"the browser is at {ctx.driver.current_url}")
        ctx.open(DSYNC_PATH, "h1")
        ctx.wait_for_h1("Sign in")
        ctx.check("j. ... and the settings page then shows the sign-in page again (the session ended)", True)
    else:
        ctx.driver.delete_all_cookies()
        ctx.open(DSYNC_PATH, "h1")
        ctx.wait_for_h1("Sign in")
        ctx.check("j. not signed in (step i did not sign in): with the cookies deleted, the sign-in page", True)

    link = ctx.wait_for("a#saml-sign-in")
    href = link.get_attribute("href") or ""
    expected_text = f"Sign in with {ctx.saml_provider_name}"
    ctx.check(
        f'j. a#saml-sign-in reads "{expected_text}" (SAML_PROVIDER_NAME)',
        link.text.strip() == expected_text,
        f"a#saml-sign-in reads {link.text.strip()!r}",
    )
    ctx.check("j. ... and links to /auth/saml/start", href == ctx.url("/auth/saml/start"), f"href {href!r}")
    oidc = texts(ctx.driver, "a#oidc-sign-in")
    ctx.check(
        "j. ... beside the OIDC button a#oidc-sign-in (both are configured)", len(oidc) == 1, f"a#oidc-sign-in: {oidc}"
    )
    values = {}
    for css, path in (
        ("#saml-acs-url", "/auth/saml/acs"),
        ("#saml-entity-id", "/auth/saml/metadata"),
        ("#saml-metadata-url", "/auth/saml/metadata"),
    ):
        found = ctx.driver.find_elements(By.CSS_SELECTOR, css)
        shown = (found[0].get_attribute("textContent") or "").strip() if found else None
        values[css] = shown
        ctx.check(
            f"j. the page gives {{BASE_URL}}{path} in {css}",
            shown == ctx.url(path),
            f"{css}: {shown!r}",
            screenshot=False,
        )
    ctx.shot("sign-in-with-saml")

    # What the metadata URL shown serves is what the IdP imported: Roster's entityID and ACS as the page shows them.
    if values["#saml-metadata-url"]:
        status, metadata = http_request(urllib.request.Request(values["#saml-metadata-url"]))
        entity_ids = re.findall(r'<(?:\w+:)?EntityDescriptor\b[^>]*\bentityID="([^"]*)"', metadata)
        acs = re.findall(r'<(?:\w+:)?AssertionConsumerService\b[^>]*\bLocation="([^"]*)"', metadata)
        ctx.check(
            "j. GET #saml-metadata-url → 200 with the entityID of #saml-entity-id and the ACS of #saml-acs-url",
            status == 200 and entity_ids == [values["#saml-entity-id"]] and acs == [values["#saml-acs-url"]],
            f"status {status}, entityID {entity_ids}, AssertionConsumerService Location {acs}: {short(metadata, 300)}",
            screenshot=False,
        )

    acs_url = ctx.url("/auth/saml/acs")
    hold = ctx.driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": HOLD_SUBMIT_SCRIPT % json.dumps(idp_host)}
    )
    try:
        browser_network_events(ctx)  # drops what was logged before
        link.click()
        # The start redirect (302) leads to the IdP's /sso; its page holds its own submission (HOLD_SUBMIT_SCRIPT).
        try:
            ctx.wait().until(
                lambda driver: urllib.parse.urlsplit(driver.current_url).hostname == idp_host
                and driver.execute_script("return document.readyState") == "complete"
            )
        except WebDriverException:
            raise StepError(
                f"clicking a#saml-sign-in did not lead to the IdP's page ({ctx.driver.current_url})"
            ) from None
        at_idp = ctx.driver.current_url
        page_host = urllib.parse.urlsplit(at_idp).hostname
        ctx.check(
            "j. the button leads (through /auth/saml/start) to the IdP's page {IDP}/sso?SAMLRequest=…",
            at_idp.startswith(ctx.saml_idp + "/sso?SAMLRequest="),
            f"the browser is at {at_idp}",
        )
        ctx.check(
            f"j. ... on another site: the IdP's page is on host {page_host}, Roster on {roster_host}",
            page_host == "localhost" and roster_host == "127.0.0.1",
            f"IdP page host {page_host!r} (expected 'localhost'), Roster host {roster_host!r} (expected '127.0.0.1')",
        )
        forms = ctx.driver.execute_script(
            "return Array.from(document.forms, f => ({action: f.action, method: f.method,"
            " fields: Array.from(f.elements, e => e.name).filter(n => n)}))"
        )
        ctx.check(
            "j. ... whose one form posts SAMLResponse and RelayState to #saml-acs-url",
            len(forms) == 1
            and forms[0]["action"] == acs_url
            and forms[0]["method"] == "post"
            and {"SAMLResponse", "RelayState"} <= set(forms[0]["fields"]),
            f"forms: {forms}",
        )
        try:
            WebDriverWait(ctx.driver, 5).until(
                lambda driver: driver.execute_script("return window.__rosterE2E ? window.__rosterE2E.held.length : 0")
            )
            submits_itself = True
        except WebDriverException:
            submits_itself = False
        ctx.shot("saml-idp-page")
        old_page = ctx.driver.find_element(By.TAG_NAME, "html")
        if submits_itself:
            ctx.check(
                "j. the IdP's page submits its form by itself"
                " (onload form.submit(); held for the screenshot, then let go)",
                True,
            )
            ctx.driver.execute_script("window.__rosterE2E.release()")
        else:
            buttons = ctx.driver.find_elements(By.CSS_SELECTOR, "form input[type=submit], form button")
            ctx.check(
                "j. the IdP's page did not submit its form by itself within 5 s: clicking its submit button",
                bool(buttons),
                "no submit button in the form either",
            )
            if not buttons:
                raise StepError("the IdP's page neither submits its form nor has a submit button")
            buttons[0].click()
        try:
            ctx.wait().until(expected_conditions.staleness_of(old_page))
        except WebDriverException:
            raise StepError(f"the IdP's form did not leave its page within {WAIT_SECONDS} s") from None
        ctx.wait_for("h1")
    finally:
        ctx.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": hold["identifier"]})

    headers, blocked = posted_request(browser_network_events(ctx), acs_url)
    ctx.check(
        f"j. Chromium sent the POST to the ACS as cross-site (Sec-Fetch-Site: cross-site, Origin: {ctx.saml_idp})",
        headers is not None and headers.get("sec-fetch-site") == "cross-site" and headers.get("origin") == ctx.saml_idp,
        "no POST to the ACS in the performance log" if headers is None
        else f"sec-fetch-site {headers.get('sec-fetch-site')!r}, origin {headers.get('origin')!r}; "
        f"cookies not sent: {blocked}",
        screenshot=False,
    )
    try:
        ctx.wait_for_h1("Directory sync")
    except StepError:
        page = first_text(ctx.driver, "main")
        raise StepError(
            f'after the IdP\'s POST the browser is at {ctx.driver.current_url} with h1 {h1_text(ctx.driver)!r}, '
            f"not \"Directory sync\": {short(page, 400)}; cookies not sent with the POST: {blocked}"
        ) from None
    ctx.check('j. the POST to the ACS lands on h1 "Directory sync"', True)
    path = urllib.parse.urlsplit(ctx.driver.current_url).path
    ctx.check("j. ... at /settings/organization/dsync", path == DSYNC_PATH, f"at {ctx.driver.current_url}")
    ctx.check(
        "j. ... back on Roster's host 127.0.0.1",
        urllib.parse.urlsplit(ctx.driver.current_url).hostname == roster_host,
        f"at {ctx.driver.current_url}",
    )
    who = first_text(ctx.driver, "header nav.account span.who")
    ctx.check(f"j. ... signed in as {ADMIN_EMAIL} (the top bar)", who == ADMIN_EMAIL, f"span.who reads {who!r}")
    if ctx.directory_url:
        names = texts(ctx.driver, "table#directories tr.directory-row a.directory-link")
        ctx.check('j. ... and the directory "Okta" of step c is listed', "Okta" in names, f"directories: {names}")
    ctx.shot("signed-in-with-saml")


def step_k_audit_log(ctx):
    """k. The Audit log page lists what the steps did, by whom and from where, and filters by action."""
    ctx.open(DSYNC_PATH, "nav.account")
    ctx.click_and_wait(ctx.find('nav.account a[href$="/audit"]'), "table#audit-log")
    rows = [
        {css: first_text(row, f"td.audit-{css}") for css in ("actor", "address", "action", "target", "changes")}
        for row in ctx.driver.find_elements(By.CSS_SELECTOR, "table#audit-log tr.audit-row")
    ]

    def has(action, *words):
        return any(row["action"] == action and all(word in row["target"] + " " + row["changes"] for word in words) for row in rows)

    summary = short([(row["actor"], row["action"], row["target"]) for row in rows])
    ctx.check("k. the sign-in link of step b is there", has("admin.signed_in", "login-link"), summary)
    ctx.check('k. the directory "Okta" of step c is there', has("directory.created", "Okta"), summary)
    ctx.check('k. the team Platform of step e is there', has("team.created", "Platform"), summary)
    ctx.check('k. the mapping of "Engineering" to Platform is there', has("team.group_mapped", "Platform", "Engineering"), summary)
    ctx.check("k. the sign-out of step i is there", has("admin.signed_out"), summary)
    ctx.check("k. the OIDC sign-in of step i is there", has("admin.signed_in", "oidc"), summary)
    ctx.check("k. the SAML sign-in of step j is there", has("admin.signed_in", "saml"), summary)
    mine = [row for row in rows if row["action"] == "team.created"]
    ctx.check(
        f"k. the admin's email and a client address are on each of the steps' rows",
        bool(mine) and all(row["actor"].startswith(ADMIN_EMAIL) and row["address"] for row in mine),
        summary,
    )
    ctx.check(
        "k. the SCIM token of step c is nowhere on the page",
        bool(ctx.scim_token) and ctx.scim_token not in ctx.driver.page_source,
        "the token appears" if ctx.scim_token else "no token from step c",
    )
    ctx.shot("audit-log")

    Select(ctx.find("form#audit-filter select[name=action]")).select_by_value("team.group_mapped")
    ctx.click_and_wait(ctx.find("form#audit-filter button[type=submit]"), "table#audit-log")
    actions = texts(ctx.driver, "table#audit-log tr.audit-row td.audit-action")
    ctx.check(
        "k. filtering by team.group_mapped shows only mappings",
        bool(actions) and all(action == "team.group_mapped" for action in actions),
        f"actions: {actions}",
    )
    ctx.shot("audit-log-filtered")


# Each step with the steps it needs: a step that could not finish makes those that need it skip.
STEPS = [
    ("a", step_a_signed_out, ()),
    ("b", step_b_sign_in_link, ()),
    ("c", step_c_configure_directory, ("b",)),
    ("d", step_d_okta_provisioning, ("c",)),
    ("e", step_e_team_mapping, ("b", "d")),
    ("f", step_f_membership_pages, ("e",)),
    ("g", step_g_status_and_request_log, ("d",)),
    ("h", step_h_html_escaping, ("c",)),
    ("i", step_i_oidc_sign_in, ()),
    ("j", step_j_saml_sign_in, ()),
    ("k", step_k_audit_log, ("c", "e", "i", "j")),
]


def run_steps(ctx):
    """Runs every step; returns the number of steps skipped because a step they need could not finish."""
    unfinished = set()
    skipped = 0
    for letter, step, needs in STEPS:
        missing = [need for need in needs if need in unfinished]
        if missing:
            what = step.__doc__.split(". ", 1)[1].split(";")[0].rstrip(".")
            print(f"SKIP {letter}. {what} (needs step {', '.join(missing)})", flush=True)
            unfinished.add(letter)
            skipped += 1
            continue
        try:
            step(ctx)
        except Exception as error:  # noqa: BLE001 - any error ends the step, reported as a failure
            unfinished.add(letter)
            if isinstance(error, StepError):
                detail = str(error)
            elif isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError)):
                detail = f"{type(error).__name__}: {error} (is the server still running?)"
            elif isinstance(error, (OSError, subprocess.SubprocessError)):
                detail = f"{type(error).__name__}: {error}"
            elif isinstance(error, WebDriverException):
                detail = selenium_message(error)
            else:
                detail = traceback.format_exc()
            ctx.check(f"{letter}. step could not finish", False, detail)
            ctx.save_page_source(f"failure-step-{letter}")
    return skipped


def start_browser(arguments):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    options.binary_location = arguments.chromium
    options.unhandled_prompt_behavior = "dismiss and notify"
    # Chromium's network events (step j reads the headers of the IdP's POST to the ACS from them).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # A driver path given to Service keeps Selenium Manager from trying to download one.
    driver = webdriver.Chrome(service=Service(executable_path=arguments.chromedriver), options=options)
    driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
    return driver


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("roster", help="the roster binary (for `roster login-link`)")
    parser.add_argument("base_url", help="the server's BASE_URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("database_url", help="the server's database, e.g. sqlite:/tmp/x/roster.db")
    default_artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
    parser.add_argument("--artifacts", default=str(default_artifacts), help="where screenshots go")
    parser.add_argument("--oidc-issuer", help="the OpenID Connect provider roster serve signs admins in with")
    parser.add_argument(
        "--saml-idp", help="the SAML IdP's base URL, on another host than BASE_URL (e.g. http://localhost:9500)"
    )
    parser.add_argument(
        "--saml-provider-name", default="Test IdP", help="SAML_PROVIDER_NAME of roster serve (default: Test IdP)"
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    return parser.parse_args()


def main():
    arguments = parse_arguments()
    Path(arguments.artifacts).mkdir(parents=True, exist_ok=True)
    # On SIGTERM (e.g. from `timeout` or e2e.sh) still quit the browser in the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    driver = start_browser(arguments)
    try:
        ctx = Context(arguments, driver)
        skipped = run_steps(ctx)
    finally:
        driver.quit()
    print(f"{ctx.passed} passed, {ctx.failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if ctx.failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
