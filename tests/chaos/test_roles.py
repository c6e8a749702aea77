"""Every role against every endpoint of the four web apps, read from each app's URL map: the staff roles of
shared/auth (each demo user signed in at the real Keycloak), an account without a role and nobody, by the
matrix of tests/integration/auth/matrix.py; and the two kinds of caller who are not staff: an applicant
holding a draft's link (its token in the URL, as a bearer token, and the session intake gave its browser)
and a recommending organisation (signed in at intake, its session cookie offered to every app, and its
e-mail and password as HTTP Basic credentials). Neither reaches any staff endpoint nor another's draft or
the organisations' pages it is not signed in to; each reaches its own."""
from __future__ import annotations

import re
import uuid

import pytest

from services.intake.service_layer.organisations import create_organisation, set_password
from tests import staff
from tests.builders import own_address
from tests.integration.auth.matrix import PEOPLE, POLICY, create_app, staff_answers_that_differ, staff_endpoints
from tests.chaos.results import record

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

PART = "5 every role, every endpoint"
SERVICES = sorted(POLICY)
PASSWORD = "chaos-org-pass-1"
DRAFT_RULE = re.compile(r"^(/api/v1/nominations|/n)/<token>")
ORG_PAGES = re.compile(r"^/org/(start)?$")


@pytest.fixture(scope="module")
def apps(chaos_env):
    return {service: create_app(service, chaos_env) for service in SERVICES}


@pytest.fixture(scope="module")
def applicant(apps):
    """A draft's token, and the session cookie intake gave the browser that opened it."""
    client = own_address(apps["intake"].test_client())  # per-address limits: earlier parts started many drafts
    token = client.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"}).get_json()["token"]
    assert client.get(f"/n/{token}").status_code == 200
    return {"token": token, "cookie": client.get_cookie("tuiju_intake_session"),
            "headers": {"Authorization": f"Bearer {token}"}}


@pytest.fixture(scope="module")
def organisation(apps):
    """A recommending organisation signed in at intake: its session cookie and its Basic credentials."""
    intake = apps["intake"].extensions["intake"]
    email = f"chaos-org-{uuid.uuid4().hex[:8]}@example.com"
    organisation_id, _ = create_organisation(intake, name="混沌测试大学后勤集团", type="member_unit", email=email)
    set_password(intake, organisation_id, PASSWORD)
    client = own_address(apps["intake"].test_client())
    assert client.post("/org/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return {"cookie": client.get_cookie("tuiju_intake_session"), "email": email,
            "headers": {"Authorization": _basic(email, PASSWORD)}}


def _basic(user: str, password: str) -> str:
    import base64
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def client_of(app, caller: dict):
    """A client of the app carrying the caller's intake session under the app's own cookie name."""
    client = own_address(app.test_client())
    if caller.get("cookie") is not None:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], caller["cookie"].value)
    return client


def refused(answer) -> bool:
    """Refused as staff endpoints refuse a caller who is not staff: sent to sign in, 401 or 403."""
    return answer.status_code in (401, 403) or (answer.status_code == 302 and "/auth/login" in answer.location)


def staff_endpoints_reached(app, service: str, caller: dict) -> tuple[int, list[str]]:
    endpoints = staff_endpoints(app, service)
    reached = []
    for method, url, _ in endpoints:
        answer = client_of(app, caller).open(url, method=method, headers=caller["headers"])
        if not refused(answer):
            reached.append(f"{method} {url}: {answer.status_code}")
    return len(endpoints), reached


@pytest.mark.parametrize("service", SERVICES)
def test_each_staff_role_and_nobody_reach_exactly_what_the_matrix_allows(apps, chaos_env, service):
    tokens = {person: staff.access_token(chaos_env, person) for person in PEOPLE}
    wrong = staff_answers_that_differ(apps[service], service, tokens)
    count = len(staff_endpoints(apps[service], service))
    record(PART, f"{service}: {', '.join(PEOPLE)} and nobody against its {count} staff endpoints", not wrong,
           "; ".join(wrong)[:400] or f"{count * (len(PEOPLE) + 1)} answers as the matrix says")
    assert not wrong, wrong


@pytest.mark.parametrize("kind", ["applicant", "organisation"])
def test_an_applicant_or_organisation_reaches_no_staff_endpoint_of_any_app(apps, applicant, organisation, kind):
    caller = {"applicant": applicant, "organisation": organisation}[kind]
    tried, reached = 0, []
    for service in SERVICES:
        count, found = staff_endpoints_reached(apps[service], service, caller)
        tried += count
        reached += [f"{service} {what}" for what in found]
    record(PART, f"{kind} (session cookie offered to every app, credentials as Authorization) against every "
           "staff endpoint", not reached, "; ".join(reached)[:400] or f"{tried} endpoints refused")
    assert tried and not reached, reached


def draft_urls(app, token: str) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if DRAFT_RULE.match(rule.rule):
            url = re.sub(r"<[^>]+>", "x", rule.rule.replace("<token>", token))
            urls += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


def test_a_draft_answers_only_to_its_own_link(apps, applicant, organisation):
    app, own = apps["intake"], applicant["token"]
    stranger = own[:-4] + ("aaaa" if not own.endswith("aaaa") else "bbbb")
    reached = []
    for caller, who in ((applicant, "applicant"), (organisation, "organisation"), ({"headers": {}}, "nobody")):
        for method, url in draft_urls(app, stranger):
            answer = client_of(app, caller).open(url, method=method, headers=caller["headers"])
            # a write may be refused for its body or its rate first (400, 429); nothing may be served, changed or break
            if answer.status_code != 404 and not (method != "GET" and answer.status_code in (400, 422, 429)):
                reached.append(f"{who} {method} {url.replace(stranger, '<another token>')}: {answer.status_code}")
    own_pages = [url for method, url in draft_urls(app, own) if method == "GET" and "x" not in url.split("/")]
    unreachable = [url for url in own_pages if client_of(app, applicant).get(url).status_code != 200]
    held = not reached and not unreachable and own_pages
    record(PART, "intake's draft pages and API with another draft's token (applicant, organisation, nobody), "
           "and with its own", held, "; ".join(reached + unreachable)[:400] or
           f"{len(draft_urls(app, stranger)) * 3} answers 404 (a write: or 400/429 for its body or rate); {len(own_pages)} of the draft's own pages open")
    assert held, (reached, unreachable)


def test_the_organisation_pages_open_to_the_signed_in_organisation_alone(apps, applicant, organisation, chaos_env):
    app = apps["intake"]
    pages = [rule.rule for rule in app.url_map.iter_rules() if ORG_PAGES.match(rule.rule)]
    staff_caller = {"headers": {"Authorization": f"Bearer {staff.access_token(chaos_env, 'secretariat')}"}}
    wrong = []
    for page in pages:
        method = "GET" if page == "/org/" else "POST"
        for who, caller in (("applicant", applicant), ("secretariat", staff_caller), ("nobody", {"headers": {}})):
            answer = client_of(app, caller).open(page, method=method, headers=caller["headers"])
            if not (answer.status_code == 302 and "/org/login" in answer.location):
                wrong.append(f"{who} {method} {page}: {answer.status_code}")
    if client_of(app, organisation).get("/org/").status_code != 200:
        wrong.append("the organisation itself could not open /org/")
    started = client_of(app, {}).post("/api/v1/nominations", json={"channel": "member_unit", "nominee_kind": "person"},
                                      headers=organisation["headers"])
    forged = client_of(app, {}).post("/api/v1/nominations", json={"channel": "member_unit", "nominee_kind": "person"},
                                     headers={"Authorization": _basic(organisation["email"], "wrong-password-1")})
    if started.status_code != 201 or forged.status_code != 401:
        wrong.append(f"API start with its credentials {started.status_code}, with a wrong password {forged.status_code}")
    record(PART, "intake's organisation pages (applicant, secretariat, nobody, the organisation) and its API "
           "credentials", not wrong, "; ".join(wrong)[:400] or
           f"{len(pages) * 3} refusals to sign in first; the organisation reaches its page and starts by API")
    assert not wrong, wrong
