"""Who reaches what: every staff endpoint of every service, for each role signed in at the real Keycloak
(a password-grant token per demo user), for an account without a staff role, and for nobody. The matrix
(each service's policy, read from its URL map) is in matrix.py; the chaos suite adds the applicant's link
and the organisation's sign-in to it (tests/chaos/test_roles.py)."""
from __future__ import annotations

import re

import pytest

from tests import staff
from tests.integration.auth.matrix import (NARROWER, PEOPLE, POLICY, create_app, staff_answers_that_differ,
                                           staff_endpoints)
from tests.integration.review.staff_roles import REVIEW_PUBLIC_PREFIXES

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", sorted(POLICY))
def test_each_role_reaches_exactly_the_staff_endpoints_its_policy_allows(stack, service):
    app = create_app(service, stack)
    assert staff_endpoints(app, service), f"{service} has no staff endpoint"
    tokens = {person: staff.access_token(stack, person) for person in PEOPLE}
    wrong = staff_answers_that_differ(app, service, tokens)
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
