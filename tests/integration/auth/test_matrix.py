"""Who reaches what: every staff endpoint of every service, for each role signed in at the real Keycloak
(a password-grant token per demo user), for an account without a staff role, and for nobody.

The endpoints are read from each app's URL map, so an endpoint added later is in the matrix too: every
rule of a service is either public (listed below, with why) or staff-only with the roles of its policy."""
from __future__ import annotations

import re

import pytest

from tests import staff
from tests.integration.review.staff_roles import REVIEW_ENDPOINT_ROLES, REVIEW_PUBLIC_PREFIXES, register_demo_staff

pytestmark = pytest.mark.integration

OPS = {"/healthz", "/readyz", "/metrics", "/favicon.ico"}
SIGN_IN = re.compile(r"^/auth/")
# service: (roles that may pass, which rules are staff endpoints; every other rule is public, for the reason given)
POLICY = {
    "intake": ({"secretariat"}, lambda rule: rule.startswith("/admin")),  # the rest: applicants and recommenders
    "notify": ({"secretariat"}, lambda rule: rule != "/"),                # "/" only redirects to the message list
    # review: the API's description, and the public notice and announcement
    "review": (set(staff.ROLE_USERS),
               lambda rule: rule != "/api/v1/openapi.json" and not rule.startswith(REVIEW_PUBLIC_PREFIXES)),
    "archive": ({"auditor", "secretariat"}, lambda rule: True),
}
# Endpoints whose roles differ from their service's policy: (service, rule or the start of rules) -> roles,
# or (service, rule, method) -> roles for one method of a rule.
NARROWER = {
    ("archive", "/api/exports/files.zip"): {"secretariat"},  # every file of a domain: the secretariat's alone
    ("archive", "/honourees"): {"secretariat"},              # importing earlier campaigns' honourees
    ("archive", "/api/honourees"): {"secretariat"},          # the same import, for the secretariat's tools
    ("intake", "/admin/nominations"): {"secretariat", "auditor"},  # read-only pages of nominations: auditors too
    **REVIEW_ENDPOINT_ROLES,  # review: each role's part of stage 2 (services/review/README.md)
}


def roles_for(service: str, rule: str, method: str) -> set:
    if (service, rule, method) in NARROWER:
        return NARROWER[(service, rule, method)]
    narrower = [roles for key, roles in NARROWER.items()
                if len(key) == 2 and key[0] == service and rule.startswith(key[1])]
    return narrower[0] if narrower else POLICY[service][0]
PEOPLE = [*staff.ROLE_USERS.values(), staff.NO_ROLE_USER]


def create_app(service: str, env: dict):
    module = __import__(f"services.{service}.entrypoints.web", fromlist=["create_app"])
    app = module.create_app({**env, "TUIJU_ENV": "test"})
    app.config["WTF_CSRF_ENABLED"] = False  # the matrix is about roles; CSRF has tests of its own
    return app


def staff_endpoints(app, service: str) -> list[tuple[str, str, set]]:
    """(method, URL, roles allowed) of every staff endpoint, with a placeholder for each URL parameter."""
    is_staff = POLICY[service][1]
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule in OPS or SIGN_IN.match(rule.rule) or rule.endpoint.endswith("static") or not is_staff(rule.rule):
            continue
        url = re.sub(r"<(?:int:)?[^>]+>", lambda m: "1" if m.group(0).startswith("<int:") else "x", rule.rule)
        found += [(method, url, roles_for(service, rule.rule, method)) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


@pytest.mark.parametrize("service", sorted(POLICY))
def test_each_role_reaches_exactly_the_staff_endpoints_its_policy_allows(stack, service):
    app = create_app(service, stack)
    endpoints = staff_endpoints(app, service)
    assert endpoints, f"{service} has no staff endpoint"
    tokens = {person: staff.access_token(stack, person) for person in PEOPLE}
    if service == "review":
        register_demo_staff(app.extensions["review"], tokens)  # review's roles are its own data, by subject
    wrong = []
    for method, url, allowed_roles in endpoints:
        client = app.test_client()
        anonymous = client.open(url, method=method)
        expected_anonymous = 401 if url.startswith("/api/") else 302
        if anonymous.status_code != expected_anonymous or (
                expected_anonymous == 302 and not anonymous.location.startswith("/auth/login?next=")):
            wrong.append(f"nobody {method} {url}: {anonymous.status_code}")
        for person, token in tokens.items():
            answer = client.open(url, method=method, headers={"Authorization": f"Bearer {token}"})
            may = person in allowed_roles  # each demo user holds the role of its name; no_role none
            refused = answer.status_code in (401, 403)
            if may == refused or (not may and answer.status_code != 403):
                wrong.append(f"{person} {method} {url}: {answer.status_code}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("service", sorted(POLICY))
def test_the_secretariat_tools_client_reaches_the_secretariats_archive_endpoints_and_nothing_else(stack, service):
    """tuiju-tools (client credentials) holds the secretariat role, in tokens whose audience is the archive's."""
    app = create_app(service, stack)
    token = staff.tools_token(stack)
    wrong = []
    for method, url, allowed_roles in staff_endpoints(app, service):
        answer = app.test_client().open(url, method=method, headers={"Authorization": f"Bearer {token}"})
        expected_refusal = 401 if service != "archive" else (None if "secretariat" in allowed_roles else 403)
        if (answer.status_code in (401, 403)) != (expected_refusal is not None) or (
                expected_refusal and answer.status_code != expected_refusal):
            wrong.append(f"tools {method} {url}: {answer.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_service_with_staff_pages():
    assert set(POLICY) == {"intake", "notify", "review", "archive"}
    assert all(key[0] in POLICY for key in NARROWER)


def test_reviews_public_pages_answer_without_sign_in(stack):
    app = create_app("review", stack)
    public = [rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(REVIEW_PUBLIC_PREFIXES)]
    assert {"/notice/", "/notice/objection", "/announcement/", "/announcement/<nomination_id>"} <= set(public)
    client = app.test_client()
    for rule in public:
        answer = client.get(re.sub(r"<[^>]+>", "x", rule))
        assert answer.status_code in (200, 404) and "Set-Cookie" not in answer.headers, rule
