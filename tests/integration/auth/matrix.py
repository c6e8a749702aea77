"""The authorisation matrix of every service, shared by its integration test (tests/integration/auth/
test_matrix.py) and the chaos suite's every-role-against-every-endpoint part (tests/chaos/test_roles.py).

The endpoints are read from each app's URL map, so an endpoint added later is in the matrix too: every
rule of a service is either public (listed below, with why) or staff-only with the roles of its policy."""
from __future__ import annotations

import re

from tests import staff
from tests.integration.review.staff_roles import REVIEW_ENDPOINT_ROLES, REVIEW_PUBLIC_PREFIXES, register_demo_staff

OPS = {"/healthz", "/readyz", "/metrics", "/favicon.ico"}
SIGN_IN = re.compile(r"^/auth/")
# service: (roles that may pass, which rules are staff endpoints; every other rule is public, for the reason given)
POLICY = {
    "intake": ({"secretariat"}, lambda rule: rule.startswith("/admin")),  # the rest: applicants and recommenders
    # notify: "/" only redirects to the message list; the API's description holds no data (as review's)
    "notify": ({"secretariat"}, lambda rule: rule not in ("/", "/api/v1/openapi.json")),
    # review: the API's description, and the public notice and announcement
    "review": (set(staff.ROLE_USERS),
               lambda rule: rule != "/api/v1/openapi.json" and not rule.startswith(REVIEW_PUBLIC_PREFIXES)),
    "archive": ({"auditor", "secretariat"}, lambda rule: rule != "/api/v1/openapi.json"),  # but the API's description
}
# Endpoints whose roles differ from their service's policy: (service, rule or the start of rules) -> roles,
# or (service, rule, method) -> roles for one method of a rule.
NARROWER = {
    ("archive", "/api/exports/files.zip"): {"secretariat"},  # every file of a domain: the secretariat's alone
    ("archive", "/honourees"): {"secretariat"},              # importing earlier campaigns' honourees
    ("archive", "/api/honourees"): {"secretariat"},          # the same import, for the secretariat's tools
    ("intake", "/admin/nominations"): {"secretariat", "auditor"},  # read-only pages of nominations: auditors too
    ("notify", "/api/v1/"): {"secretariat", "auditor"},  # the read-only API of the messages: auditors too
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


def staff_answers_that_differ(app, service: str, tokens: dict[str, str]) -> list[str]:
    """Every staff endpoint opened by nobody and with each person's bearer token (a demo user holds the role
    of its name; no_role none): what answered other than its policy says (nobody: 302 to the sign-in, or 401
    on an API; a person without the role: 403)."""
    if service == "review":
        register_demo_staff(app.extensions["review"], tokens)  # review's roles are its own data, by subject
    wrong = []
    for method, url, allowed_roles in staff_endpoints(app, service):
        client = app.test_client()
        anonymous = client.open(url, method=method)
        expected_anonymous = 401 if url.startswith("/api/") else 302
        if anonymous.status_code != expected_anonymous or (
                expected_anonymous == 302 and not anonymous.location.startswith("/auth/login?next=")):
            wrong.append(f"nobody {method} {url}: {anonymous.status_code}")
        for person, token in tokens.items():
            answer = client.open(url, method=method, headers={"Authorization": f"Bearer {token}"})
            may = person in allowed_roles
            refused = answer.status_code in (401, 403)
            if may == refused or (not may and answer.status_code != 403):
                wrong.append(f"{person} {method} {url}: {answer.status_code}")
    return wrong
