"""Every role against every review page, action and API endpoint, with real sign-ins at the devstack's
Keycloak (the browser's code flow for pages, password-grant bearer tokens for the API): what each may reach
and what each is refused; a working-group reviewer opening another domain's nomination by id, or one of
their own unit's, is refused and the refusal is in the audit trail."""
from __future__ import annotations

import base64
import json
import re
import uuid

import pytest
import requests
import sqlalchemy as sa

from services.review.adapters.orm import audit_log, reviews
from services.review.domain.people import Role, StaffMember
from services.review.entrypoints.web import create_app
from services.review.service_layer.staff import save_member
from shared.events import new_event
from tests import staff as kc
from tests.integration.auth.harness import served
from tests.integration.review.conftest import publish
from tests.stack import wait_until
from tests.unit.notify.builders import submission

pytestmark = pytest.mark.integration
ROLES = ("secretariat", "working_group", "branch", "committee", "auditor")
OWN_UNIT = "矩阵测试单位"


def subject_of(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


@pytest.fixture(scope="module")
def world(stack):
    """Review served over HTTP, the demo users registered in review under their subjects, and three
    nominations: one of the working group's domain, one of another domain, one of the reviewer's own unit."""
    from services.review.bootstrap import bootstrap
    from shared.campaign import demo_copy, load_campaign
    from shared.config import Settings
    from services.review.bootstrap import utc_now
    from tests.integration.review.conftest import run_consumer

    settings = Settings.from_env("review", stack)
    review = bootstrap(settings, campaign=demo_copy(load_campaign(settings.campaign_file), utc_now()))
    tokens = {role: kc.access_token(stack, role) for role in (*ROLES, kc.NO_ROLE_USER)}
    people = {
        "secretariat": dict(role=Role.SECRETARIAT, unit="中国教育后勤协会"),
        "working_group": dict(role=Role.WORKING_GROUP, domains=("伙食管理",), unit=OWN_UNIT),
        "branch": dict(role=Role.BRANCH, domains=("伙食管理",), unit="伙食专委会"),
        "committee": dict(role=Role.COMMITTEE, unit="评委单位"),
        "auditor": dict(role=Role.AUDITOR, unit="监事会"),
    }
    with review.sessions.begin() as session:
        for role, details in people.items():
            save_member(session, StaffMember(subject_of(tokens[role]), f"矩阵{role}", username=role, **details),
                        by=None, at=review.clock())
    runner = run_consumer(review, from_start=False)
    tag = uuid.uuid4().hex[:6]
    made = {}
    for key, domain, unit in (("mine", "伙食管理", f"示例大学{tag}"), ("other_domain", "信息化", f"示例大学{tag}"),
                              ("own_unit", "伙食管理", f"{OWN_UNIT}后勤处")):
        made[key] = str(uuid.uuid4())
        person = {**submission()["person"], "unit": unit, "name": f"矩{tag}{key[:1]}"}
        publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", made[key], {
            **submission(), "nomination_id": made[key], "nominee_name": person["name"], "person": person,
            "domain": domain, "campaign_id": review.campaign.id}, producer="intake"))
    wait_until(lambda: all(state_of(review, i) for i in made.values()), 30, what="the nominations")
    with review.engine.begin() as conn:  # the working group reviewer holds the one of their domain
        conn.execute(sa.update(reviews).where(reviews.c.nomination_id == made["mine"])
                     .values(assigned_to=subject_of(tokens["working_group"])))
    app = create_app(review=review)
    with served(app) as url:
        yield {"url": url, "tokens": tokens, "made": made, "review": review}
    runner.stop.set()


def state_of(review, nomination_id):
    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == nomination_id)).scalar()


@pytest.fixture(scope="module")
def browsers(world):
    """One signed-in browser session per role (the code flow through Keycloak's own form)."""
    sessions = {}
    for role in (*ROLES, kc.NO_ROLE_USER):
        browser = requests.Session()
        kc.sign_in(browser, f"{world['url']}/", role)
        sessions[role] = browser
    return sessions


def csrf(browser, url: str) -> str:
    page = browser.get(f"{url}/", timeout=30).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    return match.group(1) if match else ""


PAGES = {  # path -> roles that may open it (all others: 403)
    "/": set(ROLES),
    "/dashboard": set(ROLES),
    "/shortlist/伙食管理": {"secretariat", "branch", "auditor"},
    "/staff/": {"secretariat", "auditor"},
    "/staff/audit": {"secretariat", "auditor"},
    "/staff/audit.csv": {"secretariat", "auditor"},
    "/staff/template.xlsx": {"secretariat"},
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_role_reaches_exactly_the_pages_it_may(world, browsers, path):
    for role in (*ROLES, kc.NO_ROLE_USER):
        answer = browsers[role].get(world["url"] + path, timeout=30, allow_redirects=False)
        assert answer.status_code == (200 if role in PAGES[path] else 403), (role, path, answer.status_code)


def test_pages_without_sign_in_redirect_to_the_provider(world):
    for path in (*PAGES, f"/n/{world['made']['mine']}"):
        answer = requests.get(world["url"] + path, timeout=30, allow_redirects=False)
        assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"], path


@pytest.mark.parametrize("key,allowed", [
    ("mine", {"secretariat", "working_group", "auditor"}),  # branch and committee: not their stage yet
    ("other_domain", {"secretariat", "auditor"}),
    ("own_unit", {"secretariat", "auditor"}),
])
def test_opening_a_nomination_by_id_follows_role_domain_and_conflict(world, browsers, key, allowed):
    nomination_id = world["made"][key]
    for role in ROLES:
        answer = browsers[role].get(f"{world['url']}/n/{nomination_id}", timeout=30, allow_redirects=False)
        assert answer.status_code == (200 if role in allowed else 403), (role, key)


def test_a_reviewer_refused_another_domains_and_own_units_nomination_is_logged(world, browsers):
    review, made = world["review"], world["made"]
    subject = subject_of(world["tokens"]["working_group"])
    for key, reason in (("other_domain", "不是您负责的业务领域"), ("own_unit", "您所在的单位")):
        answer = browsers["working_group"].get(f"{world['url']}/n/{made[key]}", timeout=30)
        assert answer.status_code == 403 and reason in answer.text
        with review.engine.connect() as conn:
            logged = conn.execute(sa.select(audit_log.c.details).where(
                audit_log.c.actor == subject, audit_log.c.action == "access.refused",
                audit_log.c.target == made[key])).scalars().all()
        assert logged and reason in logged[-1]["reason"]
        assert browsers["working_group"].get(f"{world['url']}/api/v1/nominations/{made[key]}", timeout=30,
                                             headers={"Accept": "application/json"}).status_code == 403


API_GETS = {
    "/api/v1/nominations": set(ROLES),
    "/api/v1/dashboard": set(ROLES),
    "/api/v1/shortlists/伙食管理": {"secretariat", "branch", "auditor"},
    "/api/v1/staff": {"secretariat", "auditor"},
    "/api/v1/audit/verify": {"secretariat", "auditor"},
}


@pytest.mark.parametrize("path", list(API_GETS))
def test_every_role_reaches_exactly_the_api_it_may_with_a_bearer_token(world, path):
    for role in (*ROLES, kc.NO_ROLE_USER):
        answer = requests.get(world["url"] + path, timeout=30, headers={"Authorization": f"Bearer {world['tokens'][role]}"})
        assert answer.status_code == (200 if role in API_GETS[path] else 403), (role, path, answer.text[:200])
    assert requests.get(world["url"] + path, timeout=30).status_code == 401
    forged = world["tokens"]["auditor"][:-6] + "AAAAAA"
    assert requests.get(world["url"] + path, timeout=30, headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_api_changes_follow_the_roles(world):
    url, made, tokens = world["url"], world["made"], world["tokens"]

    def post(role, path, body):
        return requests.post(url + path, json=body, timeout=30, headers={"Authorization": f"Bearer {tokens[role]}"})

    for role in ("committee", "auditor", kc.NO_ROLE_USER):
        assert post(role, f"/api/v1/nominations/{made['mine']}/decisions", {"action": "approve"}).status_code == 403
        assert post(role, "/api/v1/assignments", {"ids": [made["mine"]]}).status_code == 403
    assert post("branch", f"/api/v1/nominations/{made['mine']}/decisions", {"action": "approve"}).status_code == 403
    assert post("working_group", "/api/v1/assignments", {"ids": [made["mine"]]}).status_code == 403
    assert post("working_group", f"/api/v1/nominations/{made['other_domain']}/decisions", {"action": "approve"}).status_code == 403
    assert post("working_group", f"/api/v1/nominations/{made['mine']}/decisions",
                {"action": "return", "reason": "<script>x</script>"}).status_code == 409  # nothing named to correct
    done = post("working_group", f"/api/v1/nominations/{made['mine']}/decisions", {"action": "approve"})
    assert done.status_code == 201 and done.json()["to_state"] == "approved"
    assert post("branch", f"/api/v1/nominations/{made['mine']}/decisions", {"action": "shortlist"}).status_code == 201
    assert requests.post(url + "/api/v1/assignments", json={"ids": [made["mine"]]}, timeout=30).status_code == 401


def test_page_actions_follow_the_roles(world, browsers):
    url, made = world["url"], world["made"]
    for role in ROLES:
        browser = browsers[role]
        token = csrf(browser, url)
        forbidden = {
            f"/n/{made['other_domain']}/decision": {"action": "approve"},
            "/batch/approve": {"ids": [made["other_domain"]]},
            "/staff/reassign": {"ids": [made["other_domain"]]},
            "/staff/": {"name": "x", "role": "auditor", "username": "x"},
        }
        for path, form in forbidden.items():
            answer = browser.post(url + path, data={**form, "csrf_token": token}, timeout=30, allow_redirects=False)
            may = role == "secretariat" or (role == "working_group" and path == "/batch/approve")
            assert (answer.status_code == 302) is may and answer.status_code in (302, 403), (role, path, answer.status_code)
    answer = browsers["secretariat"].post(url + "/staff/reassign", data={"ids": [made["other_domain"]]}, timeout=30,
                                          allow_redirects=False)
    assert answer.status_code == 400  # no CSRF token: refused
