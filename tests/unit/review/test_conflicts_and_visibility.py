"""R12: own unit, own recommending organisation and declared conflicts, and who may open what."""
from __future__ import annotations

from dataclasses import replace

import pytest

from services.review.domain.conflicts import (
    DECLARED, OWN_ORGANISATION, OWN_UNIT, NomineeTies, conflict_reason, same_unit,
)
from services.review.domain.states import State
from services.review.domain.visibility import view_refusal
from tests.unit.review.builders import AUDITOR, BRANCH, COMMITTEE, SECRETARIAT, WORKER, facts

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("nominee,own,expected", [
    ("示例师范大学", "示例师范大学", True),
    ("示例师范大学（后勤处）", "示例师范大学", True),
    ("示例 师范大学", "示例师范大学后勤集团", True),
    ("ＡＢＣ大学", "abc大学", True),
    ("新疆大学", "示例师范大学", False),
    ("", "示例师范大学", False),
])
def test_same_unit_matches_parts_and_ignores_width_and_spacing(nominee, own, expected):
    assert same_unit(nominee, own) is expected


def test_conflict_own_unit():
    assert conflict_reason(WORKER, NomineeTies(unit="示例师范大学后勤处")) == OWN_UNIT


def test_conflict_own_organisation_by_id_or_name():
    assert conflict_reason(BRANCH, NomineeTies(unit="新疆大学", recommender_id="ORG-BR")) == OWN_ORGANISATION
    named = replace(WORKER, organisation_name="上海市教育后勤协会")
    assert conflict_reason(named, NomineeTies(unit="x", recommender_name="上海市 教育后勤协会")) == OWN_ORGANISATION


def test_conflict_declared():
    assert conflict_reason(WORKER, NomineeTies(unit="新疆大学"), declared_by={WORKER.subject}) == DECLARED


def test_no_conflict_without_ties():
    assert conflict_reason(WORKER, NomineeTies(unit="新疆大学", recommender_id="ORG-7")) is None


def test_reviewer_of_another_domain_may_not_open_it():
    assert "不是您负责的业务领域" in view_refusal(WORKER, facts(domain="学生公寓"))


def test_reviewer_may_not_open_own_units_nomination():
    refusal = view_refusal(WORKER, facts(ties=NomineeTies(unit="示例师范大学")))
    assert refusal is not None and "R12" in refusal


@pytest.mark.parametrize("state,seen", [(State.MATERIAL_CHECK, False), (State.APPROVED, True),
                                        (State.SHORTLISTED, True), (State.REFUSED, False)])
def test_branch_sees_only_what_the_material_check_approved(state, seen):
    assert (view_refusal(BRANCH, facts(state)) is None) is seen


def test_committee_sees_only_shortlisted():
    assert view_refusal(COMMITTEE, facts(State.SHORTLISTED)) is None
    assert view_refusal(COMMITTEE, facts(State.APPROVED)) is not None


def test_auditor_sees_everything_even_with_ties():
    assert view_refusal(AUDITOR, facts(ties=NomineeTies(unit="审计署"))) is None


def test_secretariat_with_a_declared_conflict_may_not_open_it():
    assert view_refusal(SECRETARIAT, facts(declared_conflicts=frozenset({SECRETARIAT.subject}))) is not None


def test_inactive_member_sees_nothing():
    assert view_refusal(replace(SECRETARIAT, active=False), facts()) is not None
