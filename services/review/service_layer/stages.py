"""The campaign's stage changes: the scheduler publishes `campaign.stage_opened` / `stage_closed` exactly
once per change (the announcement's primary key and the event are written in one transaction, so a second
scheduler running at the same moment writes nothing); the consumer records each change it reads and, when
the review stage opens, assigns whatever still waits for a reviewer."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.review.adapters.orm import campaign_stages, stage_announcements
from services.review.domain.stage_calendar import StageChange, due_changes
from services.review.service_layer import audit
from services.review.service_layer.assignments import assign_waiting
from shared.campaign.codes import REVIEW_STAGE
from shared.events import Event, new_event
from shared.messaging.outbox import add_to_outbox

if TYPE_CHECKING:
    from services.review.bootstrap import Review


def announce_due_stages(review: "Review", now: datetime | None = None) -> list[str]:
    """Publish every stage change that is due and not yet announced, earliest first; returns them as
    `stage:kind`. Safe to run from two schedulers at once."""
    now = now or review.clock()
    campaign = review.campaign
    with review.sessions.begin() as session:
        announced = {(row.stage, row.kind) for row in session.execute(
            sa.select(stage_announcements.c.stage, stage_announcements.c.kind)
            .where(stage_announcements.c.campaign_id == campaign.id))}
    published = []
    for change in due_changes(campaign, now, announced):
        with review.sessions.begin() as session:
            if _claim(session, campaign.id, change):
                add_to_outbox(session, _event(campaign, change))
                published.append(f"{change.stage}:{change.kind}")
    return published


def _claim(session: Session, campaign_id: str, change: StageChange) -> bool:
    claimed = session.execute(pg_insert(stage_announcements).values(
        campaign_id=campaign_id, stage=change.stage, kind=change.kind, at=change.at,
    ).on_conflict_do_nothing().returning(stage_announcements.c.stage)).first()
    return claimed is not None


def _event(campaign, change: StageChange) -> Event:
    local = change.at.astimezone(campaign.zone)
    return new_event(change.event_type, campaign.id, {
        "campaign_id": campaign.id, "stage": change.stage, "at_utc": change.at.astimezone(timezone.utc).isoformat(),
        "at_local": local.strftime("%Y-%m-%d %H:%M:%S"),
    }, producer="review")


def stage_changed(review: "Review", session: Session, event: Event) -> None:
    """Record the change; when the review stage opens, hand out what waits for a reviewer."""
    p = event.payload
    at = datetime.fromisoformat(p["at_utc"])
    column = "opened_at" if event.type == "campaign.stage_opened" else "closed_at"
    statement = pg_insert(campaign_stages).values(campaign_id=p["campaign_id"], stage=p["stage"], **{column: at})
    session.execute(statement.on_conflict_do_update(
        index_elements=[campaign_stages.c.campaign_id, campaign_stages.c.stage], set_={column: at}))
    audit.record(session, actor=audit.SYSTEM, actor_role=audit.SYSTEM, action=event.type, target=p["campaign_id"],
                 details={"stage": p["stage"], "at_local": p["at_local"]}, at=at)
    if event.type == "campaign.stage_opened" and p["stage"] == REVIEW_STAGE and p["campaign_id"] == review.campaign.id:
        assign_waiting(session, review.campaign, at)


def stages_seen(session: Session, campaign_id: str) -> dict[str, dict]:
    rows = session.execute(sa.select(campaign_stages).where(campaign_stages.c.campaign_id == campaign_id)).all()
    return {row.stage: {"opened_at": row.opened_at, "closed_at": row.closed_at} for row in rows}
