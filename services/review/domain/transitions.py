"""Every review decision as one rule: from which states, to which, by which roles, needing what. `decide`
applies a rule for a staff member and returns the Decision to record (who, when, why), or raises Refusal
with the reason in Chinese. No I/O: the use case loads what is needed and stores what comes back.

Past the campaign's review deadline nothing changes unless the secretariat records an override reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.campaign import Campaign, Refusal
from shared.campaign.form_fields import returnable_fields
from shared.campaign.codes import REVIEW_STAGE
from services.review.domain.conflicts import NomineeTies, conflict_reason
from services.review.domain.people import ROLE_NAMES, Role, StaffMember
from services.review.domain.states import (
    ACTION_NAMES, FINAL_STATES, FRAUD_RULE, INELIGIBILITY_RULES, Action, State, state_name,
)

MAX_REASON = 2000
MAX_EVIDENCE = 20
R, S = Role, State
OPEN_STATES = frozenset(State) - FINAL_STATES


@dataclass(frozen=True)
class Rule:
    action: Action
    from_states: frozenset[State]
    to_state: State
    roles: frozenset[Role]
    needs_reason: bool = False
    only_assignee: bool = False  # a working-group reviewer decides only what is assigned to them


RULES: dict[Action, Rule] = {
    Action.APPROVE: Rule(Action.APPROVE, frozenset({S.MATERIAL_CHECK}), S.APPROVED,
                         frozenset({R.WORKING_GROUP, R.SECRETARIAT}), only_assignee=True),
    Action.RETURN: Rule(Action.RETURN, frozenset({S.MATERIAL_CHECK}), S.RETURNED,
                        frozenset({R.WORKING_GROUP, R.SECRETARIAT}), needs_reason=True, only_assignee=True),
    Action.REFUSE: Rule(Action.REFUSE, frozenset({S.MATERIAL_CHECK}), S.REFUSED,
                        frozenset({R.WORKING_GROUP, R.SECRETARIAT}), needs_reason=True, only_assignee=True),
    Action.SHORTLIST: Rule(Action.SHORTLIST, frozenset({S.APPROVED}), S.SHORTLISTED,
                           frozenset({R.BRANCH, R.SECRETARIAT})),
    Action.DECLINE: Rule(Action.DECLINE, frozenset({S.APPROVED}), S.NOT_SHORTLISTED,
                         frozenset({R.BRANCH, R.SECRETARIAT}), needs_reason=True),
    Action.DISQUALIFY: Rule(Action.DISQUALIFY, OPEN_STATES, S.DISQUALIFIED, frozenset({R.SECRETARIAT}),
                            needs_reason=True),
}


@dataclass(frozen=True)
class Facts:
    """What a decision about one nomination depends on."""

    nomination_id: str
    state: State
    domain: str
    nominee_kind: str = "person"
    ties: NomineeTies = NomineeTies()
    assigned_to: str | None = None
    declared_conflicts: frozenset[str] = frozenset()
    shortlisted_in_domain: int = 0
    shortlist_closed: bool = False  # the committee's candidate list is confirmed


@dataclass(frozen=True)
class Request:
    """What the staff member asks for, as they typed it."""

    action: Action
    reason: str = ""
    rule: str = ""
    fields: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    override_reason: str = ""


@dataclass(frozen=True)
class Decision:
    nomination_id: str
    action: Action
    from_state: State
    to_state: State
    by: str
    by_name: str
    by_role: Role
    at: datetime
    reason: str = ""
    rule: str = ""
    fields: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    correction_deadline: datetime | None = None
    override_reason: str = ""
    details: dict = field(default_factory=dict)


def decide(facts: Facts, request: Request, actor: StaffMember, *, campaign: Campaign, now: datetime) -> Decision:
    """The decision `actor` asks for, after every check: role, domain, conflict, assignment, state,
    deadline, and what the action needs (reason, rule, fields, evidence, a shortlist place)."""
    rule = RULES.get(request.action)
    if rule is None:
        raise Refusal(f"无法识别的操作“{request.action}”")
    check_may_act(rule, facts, actor)
    _check_state(rule, facts)
    override = _check_deadline(request, actor, campaign, now)
    _check_request(rule, facts, request, campaign)
    deadline = correction_deadline(campaign, now) if rule.action is Action.RETURN else None
    return Decision(
        nomination_id=facts.nomination_id, action=rule.action, from_state=facts.state, to_state=rule.to_state,
        by=actor.subject, by_name=actor.name, by_role=actor.role, at=now, reason=request.reason.strip(),
        rule=_rule_of(rule.action, request), fields=request.fields, files=request.files,
        evidence=tuple(item.strip() for item in request.evidence if item.strip()),
        correction_deadline=deadline, override_reason=override,
    )


def check_may_act(rule: Rule, facts: Facts, actor: StaffMember) -> None:
    """Role, activity, domain, conflict of interest and assignment: who may take this action here."""
    name = ACTION_NAMES[rule.action]
    if actor.role not in rule.roles:
        allowed = "、".join(ROLE_NAMES[role] for role in sorted(rule.roles))
        raise Refusal(f"{actor.role_name}不能{name}；只有{allowed}可以")
    if not actor.active:
        raise Refusal("您的评审账号已停用")
    if not actor.covers(facts.domain):
        raise Refusal(f"“{facts.domain}”不是您负责的业务领域，不能{name}")
    conflict = conflict_reason(actor, facts.ties, facts.declared_conflicts)
    if conflict:
        raise Refusal(f"{conflict}，按回避原则（R12）不能{name}")
    if rule.only_assignee and actor.role is Role.WORKING_GROUP and facts.assigned_to != actor.subject:
        raise Refusal(f"此推荐未分配给您，不能{name}；请联系秘书处调整分配")


def correction_deadline(campaign: Campaign, now: datetime) -> datetime:
    """`correction_window_days` from now, but never past the review stage's close (after the close, when
    the secretariat overrides, the whole window from now)."""
    window = now + timedelta(days=campaign.correction_window_days)
    closes = campaign.stage(REVIEW_STAGE).closes_at.astimezone(now.tzinfo)
    return min(window, closes) if closes > now else window


def review_is_closed(campaign: Campaign, now: datetime) -> bool:
    return now >= campaign.stage(REVIEW_STAGE).ends_before


def _check_state(rule: Rule, facts: Facts) -> None:
    if facts.state not in rule.from_states:
        raise Refusal(f"此推荐当前为“{state_name(facts.state)}”，不能{ACTION_NAMES[rule.action]}")


def _check_deadline(request: Request, actor: StaffMember, campaign: Campaign, now: datetime) -> str:
    if not review_is_closed(campaign, now):
        return ""
    closes = campaign.stage(REVIEW_STAGE).closes_at
    if actor.role is not Role.SECRETARIAT:
        raise Refusal(f"审核阶段已于 {closes:%Y-%m-%d %H:%M} 截止，不能再更改；如确需更改，请联系秘书处")
    override = request.override_reason.strip()
    if not override:
        raise Refusal(f"审核阶段已于 {closes:%Y-%m-%d %H:%M} 截止；秘书处更改须填写更改理由")
    if len(override) > MAX_REASON:
        raise Refusal(f"更改理由不能超过{MAX_REASON}个字")
    return override


def _check_request(rule: Rule, facts: Facts, request: Request, campaign: Campaign) -> None:
    reason = request.reason.strip()
    if rule.needs_reason and not reason:
        raise Refusal(f"{ACTION_NAMES[rule.action]}须填写理由")
    if len(reason) > MAX_REASON:
        raise Refusal(f"理由不能超过{MAX_REASON}个字")
    if rule.action is Action.RETURN:
        _check_return(facts, request, campaign)
    elif rule.action is Action.REFUSE and request.rule not in INELIGIBILITY_RULES:
        raise Refusal(f"请选择不符合的条件：{'、'.join(INELIGIBILITY_RULES)}")
    elif rule.action is Action.DISQUALIFY:
        _check_evidence(request)
    elif rule.action is Action.SHORTLIST:
        _check_place_left(facts, campaign)


def _check_return(facts: Facts, request: Request, campaign: Campaign) -> None:
    if not request.fields and not request.files:
        raise Refusal("退回补正须至少指出一项需修改的内容或材料")
    fields = returnable_fields(facts.nominee_kind)
    unknown = [name for name in request.fields if name not in fields]
    if unknown:
        raise Refusal(f"表单中没有可退回的“{'、'.join(unknown)}”")
    kinds = {upload.kind for upload in campaign.uploads if upload.applies_to(facts.nominee_kind)}
    unknown = [kind for kind in request.files if kind not in kinds]
    if unknown:
        raise Refusal(f"此推荐没有“{'、'.join(unknown)}”类材料")


def _check_evidence(request: Request) -> None:
    evidence = [item for item in request.evidence if item.strip()]
    if not evidence:
        raise Refusal("以弄虚作假、徇私舞弊取消资格（R11）须记录查实的证据")
    if len(evidence) > MAX_EVIDENCE or any(len(item) > MAX_REASON for item in evidence):
        raise Refusal(f"证据最多{MAX_EVIDENCE}条，每条不超过{MAX_REASON}个字")


def _check_place_left(facts: Facts, campaign: Campaign) -> None:
    if facts.shortlist_closed:
        raise Refusal("评审委员会已确认候选人名单，不能再推举入围")
    places = campaign.review.shortlist_places_per_domain
    if places is not None and facts.shortlisted_in_domain >= places:
        raise Refusal(f"“{facts.domain}”的入围名额（{places}名）已满")


def _rule_of(action: Action, request: Request) -> str:
    if action is Action.DISQUALIFY:
        return FRAUD_RULE
    return request.rule if action is Action.REFUSE else ""


def after_resubmission(state: State) -> State | None:
    """Intake's resubmission puts a returned nomination back in the material check; None: nothing changes."""
    return State.MATERIAL_CHECK if state is State.RETURNED else None


def after_withdrawal(state: State) -> State | None:
    return State.WITHDRAWN if state in OPEN_STATES else None
