"""New nominations go to working-group reviewers of their domain, balanced, capped, never conflicted."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from services.review.domain.assignment import ToAssign, assign_all, choose_reviewer
from services.review.domain.conflicts import NomineeTies
from services.review.domain.people import Role, StaffMember
from tests.unit.review.builders import DOMAIN

pytestmark = pytest.mark.unit


def reviewer(n: int, **changes) -> StaffMember:
    base = StaffMember(f"wg-{n}", f"审核员{n}", Role.WORKING_GROUP, domains=(DOMAIN,), unit=f"单位{n}号")
    return replace(base, **changes)


def item(n: int, unit: str = "新疆大学", domain: str = DOMAIN, declared=frozenset()) -> ToAssign:
    return ToAssign(f"N-{n}", domain, NomineeTies(unit=unit), declared)


def test_assignment_balances_load_across_reviewers():
    chosen = assign_all([item(n) for n in range(30)], [reviewer(1), reviewer(2), reviewer(3)], {}, default_cap=60)
    assert sorted(Counter(chosen.values()).values()) == [10, 10, 10]


def test_assignment_fills_the_least_loaded_first():
    chosen = assign_all([item(n) for n in range(4)], [reviewer(1), reviewer(2)], {"wg-1": 5}, default_cap=60)
    assert Counter(chosen.values()) == {"wg-2": 4}


def test_assignment_respects_each_reviewers_cap():
    reviewers = [reviewer(1, cap=2), reviewer(2, cap=1)]
    chosen = assign_all([item(n) for n in range(5)], reviewers, {}, default_cap=60)
    assert Counter(chosen.values()) == {"wg-1": 2, "wg-2": 1, None: 2}


def test_assignment_skips_conflicted_other_domain_inactive_and_non_working_group():
    reviewers = [reviewer(1, unit="新疆大学"), reviewer(2, domains=("学生公寓",)), reviewer(3, active=False),
                 reviewer(4, role=Role.BRANCH), reviewer(5, subject="wg-5"), reviewer(6)]
    declared = frozenset({"wg-6"})
    assert choose_reviewer(item(1, declared=declared), reviewers, {}, 60).subject == "wg-5"


def test_assignment_excluding_the_current_reviewer_reassigns():
    assert choose_reviewer(item(1), [reviewer(1), reviewer(2)], {}, 60, exclude=["wg-1"]).subject == "wg-2"


def test_no_eligible_reviewer_leaves_it_unassigned():
    assert choose_reviewer(item(1, domain="信息化"), [reviewer(1)], {}, 60) is None
