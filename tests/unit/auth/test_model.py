"""shared/auth/model.py: who the staff user is, from the provider's claims; where sign-in may return to."""
from __future__ import annotations

import pytest

from shared.auth.model import (STAFF_SESSION_SECONDS, StaffUser, display_name, from_session, roles_in,
                               staff_from_claims, to_session)

pytestmark = pytest.mark.unit

CLAIMS = {"sub": "b3c1", "preferred_username": "secretariat", "given_name": "晓梅", "family_name": "王",
          "name": "晓梅 王", "email": "secretariat@demo.tuiju.local", "roles": ["secretariat", "offline_access"]}


def test_staff_from_claims_keeps_subject_username_email_and_only_staff_roles():
    user = staff_from_claims(CLAIMS)
    assert user == StaffUser("b3c1", "secretariat", "王晓梅", "secretariat@demo.tuiju.local", frozenset({"secretariat"}))


def test_display_name_writes_chinese_names_family_name_first_and_others_as_given():
    assert display_name(CLAIMS) == "王晓梅"
    assert display_name({"given_name": "Ada", "family_name": "Lovelace", "name": "Ada Lovelace"}) == "Ada Lovelace"
    assert display_name({"preferred_username": "ops"}) == "ops"


def test_roles_in_falls_back_to_keycloaks_realm_access():
    assert roles_in({"realm_access": {"roles": ["auditor", "default-roles-tuiju"]}}) == {"auditor"}
    assert roles_in({}) == frozenset()


def test_has_any_without_roles_named_means_any_staff_role():
    assert StaffUser("s", "u", "n", "e", frozenset({"branch"})).has_any(())
    assert not StaffUser("s", "u", "n", "e", frozenset()).has_any(())
    assert not StaffUser("s", "u", "n", "e", frozenset({"branch"})).has_any(("secretariat",))


def test_session_round_trip_gives_the_same_user_until_a_working_day_has_passed():
    user = staff_from_claims(CLAIMS)
    stored = to_session(user, "tuiju-intake", now=1_000_000)
    assert from_session(stored, "tuiju-intake", now=1_000_000 + 60) == user
    assert from_session(stored, "tuiju-intake", now=1_000_000 + STAFF_SESSION_SECONDS + 1) is None
    assert from_session(stored, "tuiju-intake", now=1_000_000 - 3600) is None  # a session from the future
    assert from_session(None, "tuiju-intake") is None and from_session({"sub": ""}, "tuiju-intake") is None


def test_a_session_signed_in_by_another_service_is_not_this_services():
    stored = to_session(staff_from_claims(CLAIMS), "tuiju-intake", now=10)
    assert from_session(stored, "tuiju-archive", now=20) is None


def test_session_drops_roles_that_are_not_staff_roles():
    stored = {**to_session(staff_from_claims(CLAIMS), "tuiju-intake", now=10), "roles": ["secretariat", "admin"]}
    assert from_session(stored, "tuiju-intake", now=20).roles == {"secretariat"}
