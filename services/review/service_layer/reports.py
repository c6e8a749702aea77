"""The secretariat's reports: the ranking read as the ranking page reads it, each nomination's 申报编号,
the list of the kind asked for, and an entry in the audit trail (the reports carry nominees' data)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from services.review.adapters.orm import nominations
from services.review.domain.people import StaffMember
from services.review.domain.reports import Report, build_report
from services.review.domain.states import STATE_NAMES
from services.review.service_layer import audit
from services.review.service_layer.ranking import ranking_of

if TYPE_CHECKING:
    from services.review.bootstrap import Review


def report_of(review: "Review", kind: str, by: StaffMember, file_format: str) -> Report:
    now, campaign = review.clock(), review.campaign
    with review.sessions.begin() as session:
        view = ranking_of(session, campaign)
        ids = [row.nomination_id for row in view.rows]
        references = dict(session.execute(
            sa.select(nominations.c.nomination_id, nominations.c.snapshot["reference"].astext)
            .where(nominations.c.nomination_id.in_(ids))).all()) if ids else {}
        report = build_report(campaign, kind, view.rows, {k: v or "" for k, v in references.items()}, STATE_NAMES,
                              confirmed_at=view.state.confirmed_at, announced_at=view.state.announced_at, made_at=now)
        audit.record(session, actor=by.subject, actor_role=by.role.value, action="report.exported",
                     target=campaign.id, details={"report": kind, "format": file_format, "rows": len(report.rows)},
                     at=now)
    return report
