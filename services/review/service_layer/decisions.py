"""A staff member's decision on a nomination (material check, shortlist, disqualification): one use case
that, in one transaction with the nomination's review row locked,
1. loads the facts and the staff member (from review's own tables, keyed by their subject);
2. asks the domain rule (`transitions.decide`), which refuses with the reason or returns the Decision;
3. stores the new state, the decision and an audit entry;
4. writes the catalogue's event to the outbox (nomination.returned / advanced / disqualified).
Batch approval runs the same for each nomination, each in its own transaction."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import decisions, reviews
from services.review.domain.people import StaffMember
from services.review.domain.states import Action, State
from services.review.domain.transitions import Decision, Request, decide
from services.review.service_layer import audit
from services.review.service_layer.facts import facts_of
from shared.campaign import Refusal
from shared.events import Event, new_event
from shared.messaging.outbox import add_to_outbox

if TYPE_CHECKING:
    from services.review.bootstrap import Review

MAX_BATCH = 200


class NotFound(LookupError):
    """No nomination of that id in review (a page answers 404, a batch reports it)."""

    def __init__(self, nomination_id: str):
        self.message = f"没有编号为 {nomination_id} 的推荐"
        super().__init__(self.message)


@dataclass(frozen=True)
class BatchOutcome:
    decided: list[str]
    refused: dict[str, str]  # nomination id -> reason


def decide_nomination(review: "Review", nomination_id: str, actor: StaffMember, request: Request) -> Decision:
    with review.sessions.begin() as session:
        return _decide_in(session, review, nomination_id, actor, request)[0]


def decide_in_session(session: Session, review: "Review", nomination_id: str, actor: StaffMember, request: Request,
                      *, objection_id: str | None = None) -> str | None:
    """The same decision in the caller's transaction (an objection's outcome); returns who took the place
    of a disqualified candidate."""
    return _decide_in(session, review, nomination_id, actor, request, objection_id)[1]


def batch_approve(review: "Review", nomination_ids: list[str], actor: StaffMember) -> BatchOutcome:
    """Approve each checked nomination on its own: one that may not be approved is reported, not fatal."""
    if not 1 <= len(nomination_ids) <= MAX_BATCH:
        raise Refusal(f"一次可批量通过 1 到 {MAX_BATCH} 份推荐")
    decided, refused = [], {}
    for nomination_id in dict.fromkeys(nomination_ids):
        try:
            decide_nomination(review, nomination_id, actor, Request(Action.APPROVE))
            decided.append(nomination_id)
        except (Refusal, NotFound) as refusal:
            refused[nomination_id] = refusal.message
    return BatchOutcome(decided, refused)


def _decide_in(session: Session, review: "Review", nomination_id: str, actor: StaffMember, request: Request,
               objection_id: str | None = None) -> tuple[Decision, str | None]:
    facts = facts_of(session, nomination_id, lock=True)
    if facts is None:
        raise NotFound(nomination_id)
    decision = decide(facts, request, actor, campaign=review.campaign, now=review.clock())
    session.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id)
                    .values(state=decision.to_state, updated_at=decision.at))
    session.execute(sa.insert(decisions).values(**_row(decision)))
    audit.record(session, actor=actor.subject, actor_role=actor.role.value, action=f"decision.{decision.action.value}",
                 target=nomination_id, details=_details(decision), at=decision.at)
    replacement = _refill_after(session, review, decision, actor, objection_id)
    add_to_outbox(session, outgoing_event(review.campaign.id, decision, replacement))
    return decision, replacement


def _refill_after(session: Session, review: "Review", decision: Decision, actor: StaffMember,
                  objection_id: str | None) -> str | None:
    """A candidate disqualified (R11) leaves a place the next of the committee's reserve takes."""
    if decision.to_state is not State.DISQUALIFIED or decision.from_state is not State.CANDIDATE:
        return None
    from services.review.service_layer.candidates import fill_vacancy

    return fill_vacancy(session, review, decision.nomination_id, by=actor, at=decision.at, why="disqualified",
                        objection_id=objection_id)


def outgoing_event(campaign_id: str, decision: Decision, replacement: str | None = None) -> Event:
    """The catalogue's event for a decision."""
    base = {"nomination_id": decision.nomination_id, "campaign_id": campaign_id}
    if decision.action is Action.RETURN:
        payload = {**base, "fields": list(decision.fields), "files": list(decision.files), "reason": decision.reason,
                   "correction_deadline": decision.correction_deadline.isoformat(), "returned_by": decision.by}
        return new_event("nomination.returned", decision.nomination_id, payload, producer="review")
    if decision.to_state in (State.REFUSED, State.DISQUALIFIED):
        payload = {**base, "stage": decision.from_state.value, "rule": decision.rule, "reason": decision.reason,
                   "replacement_nomination_id": replacement}
        return new_event("nomination.disqualified", decision.nomination_id, payload, producer="review")
    payload = {**base, "from_stage": decision.from_state.value, "to_stage": decision.to_state.value,
               "decided_by": decision.by}
    return new_event("nomination.advanced", decision.nomination_id, payload, producer="review")


def _row(decision: Decision) -> dict:
    return dict(nomination_id=decision.nomination_id, action=decision.action.value, from_state=decision.from_state.value,
                to_state=decision.to_state.value, by=decision.by, by_name=decision.by_name, by_role=decision.by_role.value,
                at=decision.at, reason=decision.reason, rule=decision.rule, fields=list(decision.fields),
                files=list(decision.files), evidence=list(decision.evidence),
                correction_deadline=decision.correction_deadline, override_reason=decision.override_reason)


def _details(decision: Decision) -> dict:
    row = _row(decision)
    return {key: value for key, value in row.items() if key not in ("nomination_id", "by", "at") and value not in ("", [], None)}


def history(session: Session, nomination_id: str) -> list:
    return session.execute(sa.select(decisions).where(decisions.c.nomination_id == nomination_id)
                           .order_by(decisions.c.at, decisions.c.id)).all()
