"""What review's rules need to know of one nomination, read from its tables."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sqlalchemy.dialects.postgresql import ARRAY

from services.review.adapters.orm import conflicts, nominations, reviews
from services.review.domain.assignment import ToAssign
from services.review.domain.conflicts import NomineeTies
from services.review.domain.states import State
from services.review.domain.transitions import Facts


def facts_of(session: Session, nomination_id: str, *, lock: bool = False) -> Facts | None:
    """The nomination's facts, or None when review has not received it. With `lock`, its review row stays
    locked until the transaction ends, so two decisions on one nomination cannot cross."""
    query = (sa.select(reviews.c.state, reviews.c.assigned_to, nominations.c.domain, nominations.c.nominee_kind,
                       nominations.c.unit, nominations.c.recommender_id, nominations.c.recommender_name,
                       nominations.c.campaign_id)
             .join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
             .where(reviews.c.nomination_id == nomination_id))
    row = session.execute(query.with_for_update(of=reviews) if lock else query).first()
    if row is None:
        return None
    declared = frozenset(session.execute(sa.select(conflicts.c.subject)
                                         .where(conflicts.c.nomination_id == nomination_id)).scalars())
    return Facts(nomination_id=nomination_id, state=State(row.state), domain=row.domain, nominee_kind=row.nominee_kind,
                 ties=NomineeTies(row.unit, row.recommender_id, row.recommender_name), assigned_to=row.assigned_to,
                 declared_conflicts=declared,
                 shortlisted_in_domain=shortlisted_in(session, row.domain, row.campaign_id),
                 shortlist_closed=list_confirmed(session, row.campaign_id))


def _assignment_query() -> sa.Select:
    """What assigning needs of each nomination, its review row locked until the transaction ends."""
    declared = (sa.select(sa.func.coalesce(sa.func.array_agg(conflicts.c.subject), sa.literal([], ARRAY(sa.String))))
                .where(conflicts.c.nomination_id == reviews.c.nomination_id).scalar_subquery())
    return (sa.select(reviews.c.nomination_id, reviews.c.assigned_to, nominations.c.domain, nominations.c.unit,
                      nominations.c.recommender_id, nominations.c.recommender_name, declared.label("declared"))
            .join(nominations, nominations.c.nomination_id == reviews.c.nomination_id).with_for_update(of=reviews))


def _to_assign(row) -> ToAssign:
    return ToAssign(row.nomination_id, row.domain, NomineeTies(row.unit, row.recommender_id, row.recommender_name),
                    frozenset(row.declared), row.assigned_to)


def assignment_facts(session: Session, nomination_id: str) -> ToAssign | None:
    """What assigning the nomination needs, in one statement; None when review has not received it."""
    row = session.execute(_assignment_query().where(reviews.c.nomination_id == nomination_id)).first()
    return _to_assign(row) if row is not None else None


def waiting_for_a_reviewer(session: Session, campaign_id: str) -> list[ToAssign]:
    """The campaign's nominations in the material check with no reviewer, first submitted first (as the queue
    orders them), in one statement."""
    rows = session.execute(_assignment_query().where(
        reviews.c.state == State.MATERIAL_CHECK, reviews.c.assigned_to.is_(None), nominations.c.campaign_id == campaign_id)
        .order_by(reviews.c.submitted_at, reviews.c.nomination_id))
    return [_to_assign(row) for row in rows]


def list_confirmed(session: Session, campaign_id: str) -> bool:
    """Whether the committee's candidate list of the campaign is confirmed (the shortlist is then closed)."""
    from services.review.adapters.orm import candidate_lists

    return session.execute(sa.select(candidate_lists.c.campaign_id)
                           .where(candidate_lists.c.campaign_id == campaign_id)).first() is not None


# A shortlist place stays taken by what the committee made of the nomination.
PAST_THE_SHORTLIST = (State.SHORTLISTED, State.CANDIDATE, State.NOT_SELECTED, State.HONOUREE)


def shortlisted_in(session: Session, domain: str, campaign_id: str) -> int:
    """The campaign's nominations of `domain` shortlisted (its places are per campaign)."""
    return session.execute(sa.select(sa.func.count()).select_from(reviews)
                           .join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
                           .where(nominations.c.domain == domain, nominations.c.campaign_id == campaign_id,
                                  reviews.c.state.in_(PAST_THE_SHORTLIST))).scalar_one()
