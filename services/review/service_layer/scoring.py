"""The committee's scoring: a member submits a sheet (one transaction, the nomination's review row locked:
the rule's checks, the sheet, an audit entry); what a member sees of a nomination's sheets (the others'
only after their own); the progress per member and per business domain."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import conflicts, nominations, reviews, score_sheets
from services.review.domain.committee import (
    DomainProgress, MemberProgress, ScoringFacts, domain_progress, member_progress, sheet_for,
)
from services.review.domain.conflicts import NomineeTies
from services.review.domain.people import StaffMember
from services.review.domain.scoring import Sheet, aggregate, may_see_others
from services.review.domain.states import State
from services.review.domain.transitions import Facts
from services.review.service_layer import audit
from services.review.service_layer.decisions import NotFound
from services.review.service_layer.facts import facts_of
from services.review.service_layer.staff import all_members

if TYPE_CHECKING:
    from services.review.bootstrap import Review


@dataclass(frozen=True)
class SheetRow:
    member: str
    member_name: str
    scores: dict
    total: int
    comment: str
    submitted_at: datetime


@dataclass(frozen=True)
class SheetsSeen:
    """A nomination's sheets as one member may see them: their own, and the others' once they submitted."""

    mine: SheetRow | None
    others: list[SheetRow]
    count: int
    aggregate: float | None


def scoring_facts(session: Session, nomination_id: str, *, lock: bool = False) -> ScoringFacts | None:
    facts = facts_of(session, nomination_id, lock=lock)
    if facts is None:
        return None
    scored_by = frozenset(session.execute(sa.select(score_sheets.c.member)
                                          .where(score_sheets.c.nomination_id == nomination_id)).scalars())
    return ScoringFacts(facts, scored_by)


def submit_sheet(review: "Review", nomination_id: str, member: StaffMember, scores: dict, comment: str) -> Sheet:
    with review.sessions.begin() as session:
        found = scoring_facts(session, nomination_id, lock=True)
        if found is None:
            raise NotFound(nomination_id)
        now = review.clock()
        sheet = sheet_for(found, member, scores, comment, campaign=review.campaign, now=now)
        session.execute(sa.insert(score_sheets).values(
            nomination_id=nomination_id, member=member.subject, member_name=member.name, scores=dict(sheet.scores),
            total=sheet.total, comment=sheet.comment, submitted_at=now))
        audit.record(session, actor=member.subject, actor_role=member.role.value, action="score.submitted",
                     target=nomination_id, details={"scores": dict(sheet.scores), "total": sheet.total,
                                                    "comment": sheet.comment}, at=now)
        return sheet


def sheets_of(session: Session, nomination_id: str) -> list[SheetRow]:
    rows = session.execute(sa.select(score_sheets).where(score_sheets.c.nomination_id == nomination_id)
                           .order_by(score_sheets.c.submitted_at, score_sheets.c.member)).all()
    return [SheetRow(r.member, r.member_name, dict(r.scores), r.total, r.comment, r.submitted_at) for r in rows]


def sheets_seen(session: Session, nomination_id: str, member: StaffMember, campaign) -> SheetsSeen:
    """Blind scoring: a committee member sees the others' sheets of a nomination only after submitting
    their own; the secretariat and auditors (who do not score) see them all."""
    rows = sheets_of(session, nomination_id)
    mine = next((row for row in rows if row.member == member.subject), None)
    allowed = member.role.value in ("secretariat", "auditor") or may_see_others(member.subject, {r.member for r in rows})
    others = [row for row in rows if row.member != member.subject] if allowed else []
    scoring = campaign.scoring
    total = (aggregate([row.total for row in rows], scoring.aggregation, scoring.trim)
             if allowed and len(rows) >= scoring.min_scores else None)
    return SheetsSeen(mine, others, len(rows), total)


def shortlist_facts(session: Session, campaign_id: str) -> list[Facts]:
    """Every shortlisted nomination's facts of the campaign (domain, nominee kind, ties, declared conflicts)."""
    rows = session.execute(sa.select(reviews.c.nomination_id, nominations.c.domain, nominations.c.nominee_kind,
                                     nominations.c.unit, nominations.c.recommender_id, nominations.c.recommender_name)
                           .join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
                           .where(reviews.c.state == State.SHORTLISTED, nominations.c.campaign_id == campaign_id)).all()
    declared: dict[str, set[str]] = {}
    for nomination_id, subject in session.execute(sa.select(conflicts.c.nomination_id, conflicts.c.subject)):
        declared.setdefault(nomination_id, set()).add(subject)
    return [Facts(r.nomination_id, State.SHORTLISTED, r.domain, r.nominee_kind,
                  NomineeTies(r.unit, r.recommender_id, r.recommender_name),
                  declared_conflicts=frozenset(declared.get(r.nomination_id, ()))) for r in rows]


def submitted_pairs(session: Session, campaign_id: str) -> set[tuple[str, str]]:
    """(nomination, member) of every sheet of the campaign's nominations still shortlisted."""
    rows = session.execute(sa.select(score_sheets.c.nomination_id, score_sheets.c.member)
                           .join(reviews, reviews.c.nomination_id == score_sheets.c.nomination_id)
                           .join(nominations, nominations.c.nomination_id == score_sheets.c.nomination_id)
                           .where(reviews.c.state == State.SHORTLISTED, nominations.c.campaign_id == campaign_id))
    return {(nomination_id, member) for nomination_id, member in rows}


@dataclass(frozen=True)
class Progress:
    members: list[MemberProgress]
    domains: list[DomainProgress]
    nominations: int


def progress(session: Session, campaign) -> Progress:
    shortlist = shortlist_facts(session, campaign.id)
    members = all_members(session)
    pairs = submitted_pairs(session, campaign.id)
    return Progress(member_progress(members, shortlist, pairs),
                    domain_progress(campaign.domains, members, shortlist, pairs, campaign.scoring.min_scores),
                    len(shortlist))


@dataclass(frozen=True)
class ScoringView:
    """The scoring page of one nomination for one staff member."""

    nomination_id: str
    snapshot: dict
    rubric: tuple
    sheets: SheetsSeen
    refusal: str | None  # why the member may not score it now (None: the form is offered)
    photo_file_id: str | None


def scoring_view(session: Session, campaign, nomination_id: str, member: StaffMember, now: datetime) -> ScoringView:
    from services.review.domain.committee import check_may_score
    from shared.campaign import Refusal

    found = scoring_facts(session, nomination_id)
    snapshot = session.execute(sa.select(nominations.c.snapshot)
                               .where(nominations.c.nomination_id == nomination_id)).scalar_one()
    try:
        check_may_score(found, member, campaign=campaign, now=now)
        refusal = None
    except Refusal as refused:
        refusal = refused.message
    photo = next((f["file_id"] for f in snapshot.get("files") or [] if f.get("kind") == "photo"), None)
    return ScoringView(nomination_id, snapshot, campaign.rubric_for(found.facts.nominee_kind),
                       sheets_seen(session, nomination_id, member, campaign), refusal, photo)


def next_to_score(session: Session, member: StaffMember, after: str, campaign_id: str) -> str | None:
    """The member's next shortlisted nomination without their sheet (in their list's order)."""
    from services.review.domain.queue_filter import ScoringFilter
    from services.review.service_layer.queries import scoring_page

    rows = scoring_page(session, member, ScoringFilter(status="open", per_page=100), campaign_id).rows
    return next((row.nomination_id for row in rows if row.nomination_id != after), None)
