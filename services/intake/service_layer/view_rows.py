"""What the status view of one nomination reads, in two queries: the nomination with its recommender, the
announced close of submissions and its versions in one; its current files in the other (rows.py).

The statements are built once (the nomination's id is a bound parameter): every status page, every poll of
a page with a file being checked, and the answer to the API's submit read them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from services.intake.adapters.orm import campaign_stages, nomination_versions, nominations, organisations
from services.intake.bootstrap import Intake
from services.intake.domain.flagged_files import SENT_STATES
from services.intake.domain.nomination import NominationState
from services.intake.service_layer.errors import NotFound
from services.intake.service_layer.rows import current_uploads
from services.intake.service_layer.snapshots import previous_values
from shared.campaign.codes import SUBMISSION_STAGE
from shared.campaign_stages import has_come


class Recommender(NamedTuple):
    name: str
    member_units: list


class Version(NamedTuple):
    version: int
    created_at: Any


@dataclass
class ViewRows:
    row: Any  # the nomination's row (and the columns the query adds)
    files: list
    closed: bool  # a sent nomination's campaign announced the close of submissions
    versions: list[Version]
    organisation: Recommender | None
    changed_from: dict[str, str] = field(default_factory=dict)


def _versions_of(column) -> sa.ScalarSelect:
    return (sa.select(sa.func.array_agg(aggregate_order_by(column, nomination_versions.c.version)))
            .where(nomination_versions.c.nomination_id == nominations.c.id).scalar_subquery())


_NOMINATION = (
    sa.select(nominations, organisations.c.name.label("recommender_name"),
              organisations.c.member_units.label("recommender_units"),
              campaign_stages.c.closed_at.label("submission_closed_at"),
              _versions_of(nomination_versions.c.version).label("version_numbers"),
              _versions_of(nomination_versions.c.created_at).label("version_times"))
    .select_from(nominations
                 .outerjoin(organisations, organisations.c.id == nominations.c.organisation_id)
                 .outerjoin(campaign_stages, sa.and_(campaign_stages.c.campaign_id == nominations.c.campaign_id,
                                                     campaign_stages.c.stage == SUBMISSION_STAGE)))
    .where(nominations.c.id == sa.bindparam("nomination_id"))
)

_LAST_SNAPSHOT = (sa.select(nomination_versions.c.snapshot)
                  .where(nomination_versions.c.nomination_id == sa.bindparam("nomination_id"))
                  .order_by(nomination_versions.c.version.desc()).limit(1))


def read_view_rows(session: Session, intake: Intake, nomination_id: str, *, files: list | None = None) -> ViewRows:
    """`files`: the nomination's current files if the caller read them in this transaction."""
    row = session.execute(_NOMINATION, {"nomination_id": nomination_id}).first()
    if row is None:
        raise NotFound()
    closed = row.state in SENT_STATES and has_come(row.submission_closed_at, intake.clock())
    return ViewRows(
        row=row, files=current_uploads(session, nomination_id) if files is None else files, closed=closed,
        versions=[Version(*v) for v in zip(row.version_numbers or [], row.version_times or [])],
        organisation=Recommender(row.recommender_name, row.recommender_units)
        if row.recommender_name is not None else None,
        changed_from=_changed_from(session, row) if row.state == NominationState.RETURNED else {},
    )


def _changed_from(session: Session, row) -> dict[str, str]:
    """A returned nomination's fields as it was last sent (修改前), where they now differ."""
    sent = session.execute(_LAST_SNAPSHOT, {"nomination_id": row.id}).scalar()
    return previous_values(sent, row.data) if sent else {}
