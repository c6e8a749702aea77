"""Who checks which nomination: assignment of new nominations, the secretariat's reassignment (one or many),
and a reviewer's declared conflict of interest, which hands the nomination to another. Assignments are
serialised by an advisory lock so that two consumers never push a reviewer past their cap."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.campaign import Campaign, Refusal
from services.review.adapters.orm import conflicts, nominations, reviews, staff
from services.review.domain.assignment import ToAssign, assign_all, choose_reviewer, eligible_reviewers
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import State
from services.review.service_layer import audit
from services.review.service_layer.facts import assignment_facts, facts_of, waiting_for_a_reviewer
from services.review.service_layer.staff import member_of, staff_members
from shared.db import advisory_xact_lock

if TYPE_CHECKING:
    from services.review.bootstrap import Review

ASSIGN_LOCK_ID = 7_420_202
MAX_BATCH = 500


def open_loads(session: Session, subjects: Iterable[str]) -> dict[str, int]:
    """The open nominations (in the material check) of each of `subjects`."""
    subjects = list(subjects)
    if not subjects:
        return {}
    rows = session.execute(sa.select(reviews.c.assigned_to, sa.func.count()).where(
        reviews.c.state == State.MATERIAL_CHECK, reviews.c.assigned_to.in_(subjects)).group_by(reviews.c.assigned_to))
    return dict(rows.all())


def working_group(session: Session) -> list[StaffMember]:
    return [member for member in staff_members(session) if member.role is Role.WORKING_GROUP and member.active]


def assign(session: Session, campaign: Campaign, nomination_id: str, *, at: datetime, exclude: Iterable[str] = (),
           by: StaffMember | None = None, why: str = "new") -> str | None:
    """Give the nomination to the best eligible reviewer (or to nobody, shown to the secretariat); audited."""
    excluded = set(exclude)
    advisory_xact_lock(session, ASSIGN_LOCK_ID)
    item = assignment_facts(session, nomination_id)
    candidates = [member for member in eligible_reviewers(item, working_group(session)) if member.subject not in excluded]
    chosen = choose_reviewer(item, candidates, open_loads(session, [member.subject for member in candidates]),
                             campaign.review.reviewer_cap)
    _set_assignee(session, nomination_id, item.current, chosen.subject if chosen else None, at=at, by=by, why=why)
    return chosen.subject if chosen else None


def reassign(review: "Review", nomination_ids: list[str], *, by: StaffMember, to: str | None = None) -> dict[str, str | None]:
    """The secretariat moves nominations to a named reviewer, or (`to` None) to the best other one."""
    if by.role is not Role.SECRETARIAT:
        raise Refusal("只有协会秘书处可以调整分配")
    if not 1 <= len(nomination_ids) <= MAX_BATCH:
        raise Refusal(f"一次可调整 1 到 {MAX_BATCH} 份推荐")
    with review.sessions.begin() as session:
        target = _target(session, to) if to else None
        return {nomination_id: _reassign_one(session, review, nomination_id, by, target)
                for nomination_id in nomination_ids}


def _reassign_one(session: Session, review: "Review", nomination_id: str, by: StaffMember,
                  target: StaffMember | None) -> str | None:
    facts = facts_of(session, nomination_id, lock=True)
    if facts is None:
        raise Refusal(f"没有编号为 {nomination_id} 的推荐")
    if facts.state is not State.MATERIAL_CHECK:
        raise Refusal(f"推荐 {nomination_id} 已不在材料审核中，无需分配")
    if target is None:
        exclude = [facts.assigned_to] if facts.assigned_to else []
        return assign(session, review.campaign, nomination_id, at=review.clock(), exclude=exclude, by=by, why="reassigned")
    item = ToAssign(nomination_id, facts.domain, facts.ties, facts.declared_conflicts)
    if target.subject not in {member.subject for member in eligible_reviewers(item, [target])}:
        raise Refusal(f"{target.name}不能审核推荐 {nomination_id}（业务领域不符或须回避）")
    _set_assignee(session, nomination_id, facts.assigned_to, target.subject, at=review.clock(), by=by, why="reassigned")
    return target.subject


def declare_conflict(review: "Review", nomination_id: str, member: StaffMember, reason: str) -> str | None:
    """A reviewer declares a conflict of interest: recorded, audited, and the nomination goes to another."""
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Refusal("声明利益冲突须填写原因（不超过500字）")
    with review.sessions.begin() as session:
        facts = facts_of(session, nomination_id, lock=True)
        if facts is None:
            raise Refusal(f"没有编号为 {nomination_id} 的推荐")
        session.execute(sa.insert(conflicts).values(nomination_id=nomination_id, subject=member.subject,
                                                    reason=reason, declared_at=review.clock()))
        audit.record(session, actor=member.subject, actor_role=member.role.value, action="conflict.declared",
                     target=nomination_id, details={"reason": reason}, at=review.clock())
        if facts.assigned_to != member.subject:
            return facts.assigned_to
        return assign(session, review.campaign, nomination_id, at=review.clock(), exclude=[member.subject],
                      by=member, why="conflict declared")


def assign_waiting(session: Session, campaign: Campaign, at: datetime) -> int:
    """Assign the campaign's nominations that wait without a reviewer (none was free or eligible when they came),
    first submitted first, balanced across the batch; returns how many. Those that still find no reviewer stay as
    they are, unwritten. Another campaign's stay as they are too: its own review stage has not opened by this."""
    advisory_xact_lock(session, ASSIGN_LOCK_ID)
    waiting = waiting_for_a_reviewer(session, campaign.id)
    if not waiting:
        return 0
    members = working_group(session)
    chosen = assign_all(waiting, members, open_loads(session, [member.subject for member in members]),
                        campaign.review.reviewer_cap)
    handed = {nomination_id: subject for nomination_id, subject in chosen.items() if subject is not None}
    for nomination_id, subject in handed.items():
        _set_assignee(session, nomination_id, None, subject, at=at, by=None, why="waiting")
    return len(handed)


def _target(session: Session, subject: str) -> StaffMember:
    row = session.execute(sa.select(staff).where(staff.c.subject == subject)).first()
    if row is None or row.role != Role.WORKING_GROUP or not row.active:
        raise Refusal("只能分配给在岗的评审工作组成员")
    return member_of(row)


def _set_assignee(session: Session, nomination_id: str, before: str | None, after: str | None, *, at: datetime,
                  by: StaffMember | None, why: str) -> None:
    session.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id)
                    .values(assigned_to=after, assigned_at=at if after else None, updated_at=at))
    audit.record(session, actor=by.subject if by else audit.SYSTEM, actor_role=by.role.value if by else audit.SYSTEM,
                 action="assignment", target=nomination_id, details={"from": before, "to": after, "why": why}, at=at)
