"""Every review decision: who may take it, from which state, what it needs, and what it records."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shared.campaign import Refusal
from services.review.domain.people import Role
from services.review.domain.states import FINAL_STATES, Action, State
from services.review.domain.transitions import (
    RULES, Request, after_resubmission, after_withdrawal, correction_deadline, decide,
)
from tests.unit.review.builders import (
    AFTER_REVIEW, AUDITOR, BRANCH, COMMITTEE, DURING_REVIEW, EVERYONE, SECRETARIAT, WORKER, facts,
)

pytestmark = pytest.mark.unit

VALID = {
    Action.APPROVE: Request(Action.APPROVE),
    Action.RETURN: Request(Action.RETURN, reason="联系电话有误", fields=("person.phone",)),
    Action.REFUSE: Request(Action.REFUSE, reason="2021年度已获表彰", rule="R9"),
    Action.SHORTLIST: Request(Action.SHORTLIST),
    Action.DECLINE: Request(Action.DECLINE, reason="事迹不够突出"),
    Action.DISQUALIFY: Request(Action.DISQUALIFY, reason="证书系伪造", evidence=("发证单位回函：无此证书",)),
}
CASES = [(action, state, actor) for action, rule in RULES.items() for state in State for actor in EVERYONE]


@pytest.mark.parametrize("action,state,actor", CASES, ids=lambda v: getattr(v, "value", getattr(v, "subject", v)))
def test_transition_allowed_exactly_for_its_roles_and_states(action, state, actor, campaign):
    rule = RULES[action]
    allowed = actor.role in rule.roles and state in rule.from_states
    if allowed:
        decision = decide(facts(state), VALID[action], actor, campaign=campaign, now=DURING_REVIEW)
        assert (decision.from_state, decision.to_state, decision.by, decision.at) == (state, rule.to_state, actor.subject, DURING_REVIEW)
    else:
        with pytest.raises(Refusal):
            decide(facts(state), VALID[action], actor, campaign=campaign, now=DURING_REVIEW)


def test_decision_records_who_when_why(campaign):
    decision = decide(facts(), VALID[Action.REFUSE], WORKER, campaign=campaign, now=DURING_REVIEW)
    assert (decision.by_name, decision.by_role, decision.reason, decision.rule) == ("张审核", Role.WORKING_GROUP, "2021年度已获表彰", "R9")


def test_return_sets_a_correction_deadline_within_the_review_window(campaign):
    decision = decide(facts(), VALID[Action.RETURN], WORKER, campaign=campaign, now=DURING_REVIEW)
    assert decision.correction_deadline == DURING_REVIEW + timedelta(days=5)
    late = DURING_REVIEW + timedelta(days=8)  # 18 March: five days would pass the close on the 20th
    assert correction_deadline(campaign, late) == campaign.stage("review").closes_at


@pytest.mark.parametrize("request_,message", [
    (Request(Action.RETURN, reason="请修改"), "至少指出一项"),
    (Request(Action.RETURN, fields=("person.phone",)), "须填写理由"),
    (Request(Action.RETURN, reason="x", fields=("team.name",)), "没有可退回"),
    (Request(Action.RETURN, reason="x", files=("passport",)), "没有“passport”类材料"),
    (Request(Action.REFUSE, reason="x", rule="R99"), "请选择不符合的条件"),
    (Request(Action.APPROVE, reason="长" * 2001), "不能超过2000个字"),
])
def test_working_group_request_missing_what_it_needs_is_refused(request_, message, campaign):
    with pytest.raises(Refusal, match=message):
        decide(facts(), request_, WORKER, campaign=campaign, now=DURING_REVIEW)


def test_disqualification_without_evidence_is_refused(campaign):
    with pytest.raises(Refusal, match="须记录查实的证据"):
        decide(facts(), Request(Action.DISQUALIFY, reason="伪造"), SECRETARIAT, campaign=campaign, now=DURING_REVIEW)


def test_disqualification_records_rule_r11_and_evidence(campaign):
    decision = decide(facts(State.SHORTLISTED), VALID[Action.DISQUALIFY], SECRETARIAT, campaign=campaign, now=DURING_REVIEW)
    assert (decision.rule, decision.evidence) == ("R11", ("发证单位回函：无此证书",))


def test_working_group_reviewer_cannot_decide_unassigned_nomination(campaign):
    with pytest.raises(Refusal, match="未分配给您"):
        decide(facts(assigned_to="someone-else"), VALID[Action.APPROVE], WORKER, campaign=campaign, now=DURING_REVIEW)


def test_reviewer_of_another_domain_is_refused(campaign):
    with pytest.raises(Refusal, match="不是您负责的业务领域"):
        decide(facts(domain="学生公寓"), VALID[Action.APPROVE], WORKER, campaign=campaign, now=DURING_REVIEW)


def test_reviewer_from_the_nominees_unit_is_refused(campaign):
    own = facts(ties=facts().ties.__class__(unit="示例师范大学 后勤处"))
    with pytest.raises(Refusal, match="R12"):
        decide(own, VALID[Action.APPROVE], WORKER, campaign=campaign, now=DURING_REVIEW)


def test_branch_cannot_shortlist_beyond_the_domains_places(campaign):
    full = facts(State.APPROVED, shortlisted_in_domain=campaign.review.shortlist_places_per_domain)
    with pytest.raises(Refusal, match="名额"):
        decide(full, VALID[Action.SHORTLIST], BRANCH, campaign=campaign, now=DURING_REVIEW)


def test_after_the_review_deadline_only_a_recorded_secretariat_override_changes_anything(campaign):
    with pytest.raises(Refusal, match="截止"):
        decide(facts(), VALID[Action.APPROVE], WORKER, campaign=campaign, now=AFTER_REVIEW)
    with pytest.raises(Refusal, match="更改理由"):
        decide(facts(), VALID[Action.APPROVE], SECRETARIAT, campaign=campaign, now=AFTER_REVIEW)
    decision = decide(facts(), Request(Action.APPROVE, override_reason="系统故障延误"), SECRETARIAT,
                      campaign=campaign, now=AFTER_REVIEW)
    assert decision.override_reason == "系统故障延误"


def test_inactive_staff_member_is_refused(campaign):
    from dataclasses import replace

    with pytest.raises(Refusal, match="停用"):
        decide(facts(), VALID[Action.APPROVE], replace(WORKER, active=False), campaign=campaign, now=DURING_REVIEW)


@pytest.mark.parametrize("actor", [AUDITOR, COMMITTEE])
def test_auditor_and_committee_change_nothing_in_stage_two(actor, campaign):
    for action in RULES:
        with pytest.raises(Refusal):
            decide(facts(), VALID[action], actor, campaign=campaign, now=DURING_REVIEW)


@pytest.mark.parametrize("state", list(State))
def test_resubmission_reopens_only_a_returned_nomination(state):
    assert after_resubmission(state) == (State.MATERIAL_CHECK if state is State.RETURNED else None)


@pytest.mark.parametrize("state", list(State))
def test_withdrawal_ends_every_open_nomination(state):
    assert after_withdrawal(state) == (None if state in FINAL_STATES else State.WITHDRAWN)
