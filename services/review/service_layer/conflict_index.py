"""Keeps `staff_conflicts` in step with the domain rule (conflicts.conflict_reason): for a nomination when a
version arrives (its unit or recommender may change), and for a person when their account changes. Lists
then leave out, in SQL, what a person may not see, without the rule written a second time."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import nominations, staff_conflicts
from services.review.domain.conflicts import NomineeTies, conflict_reason
from services.review.domain.people import Role, StaffMember

BATCH = 5000


def index_nomination(session: Session, nomination_id: str, ties: NomineeTies) -> None:
    from services.review.service_layer.staff import staff_members

    session.execute(sa.delete(staff_conflicts).where(staff_conflicts.c.nomination_id == nomination_id))
    members = [member for member in staff_members(session) if member.role is not Role.AUDITOR]
    rows = [{"subject": m.subject, "nomination_id": nomination_id, "reason": reason}
            for m in members if (reason := conflict_reason(m, ties))]
    if rows:
        session.execute(sa.insert(staff_conflicts), rows)


def index_member(session: Session, member: StaffMember) -> None:
    session.execute(sa.delete(staff_conflicts).where(staff_conflicts.c.subject == member.subject))
    if member.role is Role.AUDITOR:
        return
    result = session.execute(sa.select(nominations.c.nomination_id, nominations.c.unit, nominations.c.recommender_id,
                                       nominations.c.recommender_name).execution_options(yield_per=BATCH))
    for chunk in result.partitions(BATCH):
        rows = [{"subject": member.subject, "nomination_id": row.nomination_id, "reason": reason} for row in chunk
                if (reason := conflict_reason(member, NomineeTies(row.unit, row.recommender_id, row.recommender_name)))]
        if rows:
            session.execute(sa.insert(staff_conflicts), rows)
