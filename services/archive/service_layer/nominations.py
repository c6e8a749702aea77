"""The archive's view of every nomination, kept from the events in the consumer's transaction: the newest
snapshot, where the nomination stands, and when its dossier is due (disqualified, or its campaign announced)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import nominations
from services.archive.domain.nominations import STAGE_OF_EVENT, row_of_snapshot
from shared.events import Event


def snapshot_received(session: Session, event: Event) -> None:
    """The newest version wins; an older one arriving late changes nothing."""
    row = {**row_of_snapshot(event.payload), "stage": "submitted"}
    statement = pg_insert(nominations).values(**row)
    session.execute(statement.on_conflict_do_update(
        index_elements=[nominations.c.nomination_id],
        set_={key: statement.excluded[key] for key in row if key != "nomination_id"},
        where=nominations.c.version < statement.excluded.version))


def stage_changed(session: Session, event: Event) -> None:
    stage = STAGE_OF_EVENT.get(event.type) or event.payload.get("to_stage", "advanced")[:30]
    _set(session, [event.payload["nomination_id"]], stage=stage, dossier_due=event.type == "nomination.disqualified")


def candidates_published(session: Session, event: Event) -> None:
    _set(session, [c["nomination_id"] for c in event.payload["candidates"]], stage="candidate")


def honourees_confirmed(session: Session, event: Event) -> None:
    """The announcement: the honourees are marked, and every nomination of the campaign gets its dossier."""
    _set(session, [h["nomination_id"] for h in event.payload["honourees"]], stage="honouree")
    session.execute(sa.update(nominations).where(nominations.c.campaign_id == event.payload["campaign_id"],
                                                 nominations.c.stage != "withdrawn").values(dossier_due=True))


def _set(session: Session, nomination_ids: list[str], **values) -> None:
    session.execute(sa.update(nominations).where(nominations.c.nomination_id.in_(nomination_ids)).values(**values))


EFFECTS = {
    "nomination.submitted": snapshot_received,
    "nomination.resubmitted": snapshot_received,
    "nomination.withdrawn": stage_changed,
    "nomination.returned": stage_changed,
    "nomination.advanced": stage_changed,
    "nomination.disqualified": stage_changed,
    "candidates.published": candidates_published,
}
