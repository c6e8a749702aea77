"""The archive's view of every nomination, kept from the events in the consumer's transaction: the newest
snapshot (with a flagged file the applicant replaced after it in its place), where the nomination stands, its place
in the published candidate list, the objections to it and their outcomes, and when its dossier is due (disqualified, or
its campaign announced)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import nominations
from services.archive.domain.nominations import (
    OBJECTION_OUTCOMES, OBJECTION_PENDING, STAGE_OF_EVENT, row_of_snapshot, with_file_replaced,
)
from shared.events import Event

BEYOND_CANDIDATE = ("honouree", "disqualified", "withdrawn")  # a list published again does not undo these


def snapshot_received(session: Session, event: Event) -> None:
    """The newest version wins; an older one arriving late changes nothing."""
    row = {**row_of_snapshot(event.payload), "stage": "submitted"}
    statement = pg_insert(nominations).values(**row)
    session.execute(statement.on_conflict_do_update(
        index_elements=[nominations.c.nomination_id],
        set_={key: statement.excluded[key] for key in row if key != "nomination_id"},
        where=nominations.c.version < statement.excluded.version))


def file_replaced(session: Session, event: Event) -> None:
    """A flagged file replaced after submission: the view's files (the domain's ZIP, the dossier) hold the new
    one in its place; a later version's snapshot lists the files itself."""
    nomination_id = event.payload["nomination_id"]
    files = session.execute(sa.select(nominations.c.files).where(nominations.c.nomination_id == nomination_id)
                            .with_for_update()).scalar()
    if files is not None:
        _set(session, [nomination_id], files=with_file_replaced(files, event.payload))


def stage_changed(session: Session, event: Event) -> None:
    stage = STAGE_OF_EVENT.get(event.type) or event.payload.get("to_stage", "advanced")[:30]
    _set(session, [event.payload["nomination_id"]], stage=stage, dossier_due=event.type == "nomination.disqualified")


def candidates_published(session: Session, event: Event) -> None:
    """The public notice: each candidate with its place (a later list replaces an earlier one's places)."""
    candidates = event.payload["candidates"]
    if not candidates:
        return
    beyond = sa.or_(*(nominations.c.stage == sa.literal(stage) for stage in BEYOND_CANDIDATE))  # no IN: executemany
    stage = sa.case((beyond, nominations.c.stage), else_=sa.literal("candidate"))
    session.execute(sa.update(nominations).where(nominations.c.nomination_id == sa.bindparam("id"))
                    .values(stage=stage, rank=sa.bindparam("place")),
                    [{"id": c["nomination_id"], "place": c.get("rank")} for c in candidates])


def objection_filed(session: Session, event: Event) -> None:
    """Pending, unless its outcome arrived first (a replay in another order keeps the outcome)."""
    objection = str(event.payload["objection_id"])[:100]
    current = nominations.c.objections[objection].astext
    _record_objection(session, event.payload["nomination_id"], objection,
                      sa.func.coalesce(current, sa.literal(OBJECTION_PENDING)))


def objection_resolved(session: Session, event: Event) -> None:
    outcome = event.payload["outcome"] if event.payload["outcome"] in OBJECTION_OUTCOMES else OBJECTION_PENDING
    _record_objection(session, event.payload["nomination_id"], str(event.payload["objection_id"])[:100],
                      sa.literal(outcome))


def _record_objection(session: Session, nomination_id: str, objection: str, outcome) -> None:
    entry = sa.func.jsonb_build_object(sa.literal(objection), outcome)
    session.execute(sa.update(nominations).where(nominations.c.nomination_id == nomination_id)
                    .values(objections=nominations.c.objections.op("||")(entry)))


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
    "nomination.file_replaced": file_replaced,
    "nomination.withdrawn": stage_changed,
    "nomination.returned": stage_changed,
    "nomination.advanced": stage_changed,
    "nomination.disqualified": stage_changed,
    "candidates.published": candidates_published,
    "objection.filed": objection_filed,
    "objection.resolved": objection_resolved,
}
