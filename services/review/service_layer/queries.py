"""What the reviewer's pages and the JSON API list, read for one staff member: only what they may see
(their domains, the states of their part of the stage, never a nomination they are in conflict with). The
queue filters, sorts, counts and pages on `reviews` alone (it carries copies of what it needs); only the
rows of the page are joined to their nominations and reviewers."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import conflicts, nominations, reviews, staff, staff_conflicts
from services.review.domain.people import DOMAIN_ROLES, Role, StaffMember
from services.review.domain.queue_filter import QueueFilter
from services.review.domain.search import normalised, query_terms
from services.review.domain.visibility import EVERYTHING, states_seen

ORDER = {
    "-submitted": (reviews.c.submitted_at.desc(), reviews.c.nomination_id.desc()),
    "submitted": (reviews.c.submitted_at, reviews.c.nomination_id),
    "priority": (reviews.c.media_priority.desc(), reviews.c.media_honours.desc(), reviews.c.submitted_at,
                 reviews.c.nomination_id),
    "name": (reviews.c.nominee_name, reviews.c.nomination_id),
    "domain": (reviews.c.domain, reviews.c.submitted_at, reviews.c.nomination_id),
    "state": (reviews.c.state, reviews.c.submitted_at, reviews.c.nomination_id),
}
ROW_COLUMNS = (reviews.c.nomination_id, reviews.c.nominee_name, reviews.c.domain, reviews.c.channel,
               reviews.c.media_priority, reviews.c.media_honours, reviews.c.flagged, reviews.c.submitted_at,
               reviews.c.state, reviews.c.assigned_to, nominations.c.unit, nominations.c.nominee_kind,
               nominations.c.scan_flags, nominations.c.version, staff.c.name.label("assignee_name"))


# A queue counts its matches up to this many ("10000+" beyond): an exact count of 100,000 rows costs more
# than the page itself, and no one pages that far; the dashboard gives the exact figures.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class QueuePage:
    rows: list
    total: int  # at most COUNT_CAP + 1
    filter: QueueFilter

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // self.filter.per_page))


def capped_count(session: Session, matches: sa.Select) -> int:
    """How many rows `matches` finds, counted up to COUNT_CAP + 1.

    The cap is written into the SQL, not bound as a parameter: psycopg prepares a statement run five times,
    and PostgreSQL's generic plan for `LIMIT $1` assumes a tenth of the matches will be read, which made a
    sequential scan of every review look cheaper than the indexes (40 ms and more at 100,000 reviews for a
    reviewer's "assigned to me", against 2 ms through the indexes)."""
    capped = matches.limit(sa.literal_column(str(COUNT_CAP + 1))).subquery()
    return session.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one()


def visible_to(actor: StaffMember) -> list:
    """The conditions that keep a query on `reviews` to what `actor` may see."""
    if not actor.active:
        return [sa.false()]
    seen = states_seen(actor)
    where = [] if seen == EVERYTHING else [reviews.c.state.in_([state.value for state in seen])]
    if actor.role in DOMAIN_ROLES:
        where.append(reviews.c.domain.in_(list(actor.domains)))
    if actor.role is not Role.AUDITOR:
        where.append(~sa.exists().where(staff_conflicts.c.subject == actor.subject,
                                        staff_conflicts.c.nomination_id == reviews.c.nomination_id))
        where.append(~sa.exists().where(conflicts.c.subject == actor.subject,
                                        conflicts.c.nomination_id == reviews.c.nomination_id))
    return where


def filtered(actor: StaffMember, f: QueueFilter) -> list:
    where = visible_to(actor)
    for column, value in ((reviews.c.domain, f.domain), (reviews.c.state, f.state), (reviews.c.channel, f.channel)):
        if value:
            where.append(column == value)
    if f.flagged:
        where.append(reviews.c.flagged.is_(True))
    if f.priority:
        where.append(reviews.c.media_priority.is_(True))
    if f.mine:
        where.append(reviews.c.assigned_to == actor.subject)
    terms = query_terms(f.q)
    if terms:
        word = normalised(f.q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where += [reviews.c.search_terms.contains(terms), reviews.c.search_text.like(f"%{word}%", escape="\\")]
    return where


def queue_page(session: Session, actor: StaffMember, f: QueueFilter) -> QueuePage:
    where = filtered(actor, f)
    total = capped_count(session, sa.select(reviews.c.nomination_id).where(*where))
    page = (sa.select(reviews.c.nomination_id).where(*where).order_by(*ORDER[f.sort])
            .limit(f.per_page).offset(f.offset).subquery())
    joined = (page.join(reviews, reviews.c.nomination_id == page.c.nomination_id)
              .join(nominations, nominations.c.nomination_id == page.c.nomination_id)
              .outerjoin(staff, staff.c.subject == reviews.c.assigned_to))
    rows = session.execute(sa.select(*ROW_COLUMNS).select_from(joined).order_by(*ORDER[f.sort])).all()
    return QueuePage(rows, total, f)


def counts_by_domain_and_state(session: Session, actor: StaffMember) -> dict[tuple[str, str], int]:
    rows = session.execute(sa.select(reviews.c.domain, reviews.c.state, sa.func.count())
                           .where(*visible_to(actor)).group_by(reviews.c.domain, reviews.c.state))
    return {(domain, state): count for domain, state, count in rows}


SHORTLIST_STATES = ("approved", "shortlisted", "not_shortlisted", "candidate", "not_selected", "honouree")


def shortlist_entries(session: Session, actor: StaffMember, domain: str) -> list:
    """The domain's nominations that passed the material check, as `actor` may see them, R10 first."""
    from services.review.domain.shortlist import ShortlistEntry, r10_order

    rows = session.execute(sa.select(reviews.c.nomination_id, reviews.c.nominee_name, reviews.c.media_priority,
                                     reviews.c.media_honours, reviews.c.submitted_at, reviews.c.state)
                           .where(*visible_to(actor), reviews.c.domain == domain,
                                  reviews.c.state.in_(SHORTLIST_STATES))).all()
    return r10_order(ShortlistEntry(*row) for row in rows)


def scoring_page(session: Session, actor: StaffMember, f, campaign_id: str) -> QueuePage:
    """The campaign's shortlisted nominations `actor` may see (a member: none they are in conflict with),
    with their own sheet's total and how many sheets each has; `f` a ScoringFilter."""
    from services.review.adapters.orm import score_sheets

    queue_filter = f.as_queue_filter()
    where = [*filtered(actor, queue_filter), nominations.c.campaign_id == campaign_id]
    joined = reviews.join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
    own = sa.select(score_sheets.c.total).where(score_sheets.c.nomination_id == reviews.c.nomination_id,
                                                score_sheets.c.member == actor.subject)
    if f.status:
        where.append(own.exists() if f.status == "done" else ~own.exists())
    sheets = (sa.select(sa.func.count()).select_from(score_sheets)
              .where(score_sheets.c.nomination_id == reviews.c.nomination_id).scalar_subquery())
    total = capped_count(session, sa.select(reviews.c.nomination_id).select_from(joined).where(*where))
    rows = session.execute(
        sa.select(reviews.c.nomination_id, reviews.c.nominee_name, reviews.c.domain, reviews.c.media_priority,
                  reviews.c.media_honours, nominations.c.unit, nominations.c.nominee_kind,
                  own.scalar_subquery().label("my_total"), sheets.label("sheets"))
        .select_from(joined).where(*where)
        .order_by(reviews.c.domain, reviews.c.nominee_name, reviews.c.nomination_id)
        .limit(queue_filter.per_page).offset(queue_filter.offset)).all()
    return QueuePage(rows, total, queue_filter)
