"""What the review consumer does with each event it reads, in the consumer's transaction (with the inbox
row that makes a redelivered event a no-op).

The read model (nominations, nomination_versions, scan_findings, file_replacements) is written from the events alone, with
the events' own times, so that rebuilding it from offset 0 gives the same rows. Review's own record of a
nomination (its state and reviewer, in `reviews`) changes only for a version it has not seen yet, so a
rebuild never reopens what was decided."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.review.adapters.orm import (file_replacements, nomination_versions, nominations, purged_campaigns, reviews,
                                          scan_findings)
from services.review.domain.conflicts import NomineeTies
from services.review.domain.search import search_terms, search_text
from services.review.domain.states import State
from services.review.domain.transitions import after_resubmission, after_withdrawal
from services.review.domain.versions import changed_paths, scan_flag
from services.review.service_layer import audit
from services.review.service_layer.assignments import assign
from services.review.service_layer.candidates import fill_vacancy
from services.review.service_layer.conflict_index import index_nomination
from services.review.service_layer.stages import stage_changed
from shared.events import Event
from shared.purge import without_purged_fields

if TYPE_CHECKING:
    from services.review.bootstrap import Review

Handler = Callable[[Session, Event], None]


def nomination_received(review: "Review", session: Session, event: Event) -> None:
    """A submission or a resubmission:
    1. the newest snapshot becomes the nomination's row, with its files' scan flags (an older one arriving
       late changes nothing);
    2. the version is kept with what changed;
    3. a new nomination enters the material check and is assigned; a resubmission of a returned one goes
       back to its reviewer (or to another when they can no longer take it).
    A snapshot of a campaign already purged (PIPL) is kept without the purged fields."""
    snapshot = without_purged_fields(session, purged_campaigns, event.payload["campaign_id"], event.payload)
    row = _upsert_nomination(session, snapshot, "resubmitted" if event.type == "nomination.resubmitted" else "submitted",
                             event.occurred_at)
    _keep_version(session, snapshot, event)
    index_nomination(session, row.nomination_id, NomineeTies(row.unit, row.recommender_id, row.recommender_name))
    if not _review_effects(review, session, snapshot, datetime.fromisoformat(event.occurred_at), row):
        copy_to_queue(session, row.nomination_id, row)


def _upsert_nomination(session: Session, snapshot: dict, status: str, occurred_at: str) -> sa.Row:
    """The nomination's row as it stands after the snapshot (its own when it was older)."""
    ties = NomineeTies.of_snapshot(snapshot)
    nomination_id = snapshot["nomination_id"]
    row = dict(nomination_id=nomination_id, campaign_id=snapshot["campaign_id"],
               nominee_name=snapshot["nominee_name"][:200], domain=snapshot["domain"][:50],
               channel=snapshot["channel"], status=status, version=snapshot["version"],
               media_priority=snapshot["media_priority"], snapshot=snapshot, updated_at=occurred_at,
               nominee_kind=snapshot["nominee_kind"], unit=ties.unit[:400], recommender_id=ties.recommender_id[:64],
               recommender_name=ties.recommender_name[:200], media_honours=len(snapshot.get("media_honours") or []),
               submitted_at=snapshot["submitted_at"][:40],
               scan_flags=_flags_of(nomination_id, [f["file_id"] for f in snapshot.get("files") or []]))
    statement = pg_insert(nominations).values(**row)
    stored = session.execute(statement.on_conflict_do_update(
        index_elements=[nominations.c.nomination_id],
        set_={key: statement.excluded[key] for key in row if key != "nomination_id"},
        where=nominations.c.version < statement.excluded.version).returning(*nominations.c)).first()
    return stored or session.execute(sa.select(nominations).where(nominations.c.nomination_id == nomination_id)).one()


def _flags_of(nomination_id: str, file_ids: list[str]) -> sa.ColumnElement:
    """The scan flags of the nomination's files (a replaced file's go), distinct and sorted, as SQL."""
    flags = (sa.select(sa.func.jsonb_agg(aggregate_order_by(sa.distinct(scan_findings.c.flag), scan_findings.c.flag)))
             .where(scan_findings.c.nomination_id == nomination_id, scan_findings.c.file_id.in_(file_ids),
                    scan_findings.c.flag.is_not(None)).scalar_subquery())
    return sa.func.coalesce(flags, sa.cast(sa.literal("[]"), JSONB))


def _refresh_flags(session: Session, nomination_id: str) -> sa.Row | None:
    """The nomination's scan flags: those of the files its newest version holds. Returns its row."""
    snapshot = session.execute(sa.select(nominations.c.snapshot)
                               .where(nominations.c.nomination_id == nomination_id)).scalar()
    if snapshot is None:
        return None
    file_ids = [f["file_id"] for f in snapshot.get("files") or []]
    return session.execute(sa.update(nominations).where(nominations.c.nomination_id == nomination_id)
                           .values(scan_flags=_flags_of(nomination_id, file_ids)).returning(*nominations.c)).first()


def _queue_copy(row: sa.Row) -> dict:
    """The queue's copy of what it filters, sorts and searches on, from the nomination's newest version."""
    return dict(domain=row.domain, channel=row.channel, nominee_name=row.nominee_name, submitted_at=row.submitted_at,
                media_priority=row.media_priority, media_honours=row.media_honours, flagged=bool(row.scan_flags),
                search_text=search_text(row.nominee_name, row.unit), search_terms=search_terms(row.nominee_name, row.unit))


def copy_to_queue(session: Session, nomination_id: str, row: sa.Row | None = None) -> None:
    """The queue's copy from the nomination's row (read when not given)."""
    if row is None:
        row = session.execute(sa.select(nominations).where(nominations.c.nomination_id == nomination_id)).first()
    if row is None:
        return
    session.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id).values(**_queue_copy(row)))


def _keep_version(session: Session, snapshot: dict, event: Event) -> None:
    changed = snapshot.get("changed_fields") or []
    if not changed and snapshot["version"] > 1:
        previous = session.execute(sa.select(nomination_versions.c.snapshot).where(
            nomination_versions.c.nomination_id == snapshot["nomination_id"],
            nomination_versions.c.version < snapshot["version"]).order_by(nomination_versions.c.version.desc()).limit(1)).scalar()
        changed = changed_paths(previous, snapshot) if previous else []
    session.execute(pg_insert(nomination_versions).values(
        nomination_id=snapshot["nomination_id"], version=snapshot["version"], event_type=event.type, snapshot=snapshot,
        changed_fields=changed, changed_files=snapshot.get("changed_files") or [], received_at=event.occurred_at,
    ).on_conflict_do_nothing())


def _review_effects(review: "Review", session: Session, snapshot: dict, at: datetime, row: sa.Row) -> bool:
    """Review's own record of the version; True when it was new (its queue copy written with it)."""
    nomination_id, version = snapshot["nomination_id"], snapshot["version"]
    created = session.execute(pg_insert(reviews).values(
        nomination_id=nomination_id, state=State.MATERIAL_CHECK, version_seen=version, updated_at=at, **_queue_copy(row),
    ).on_conflict_do_nothing().returning(reviews.c.nomination_id)).first()
    if created is not None:
        assign(session, review.campaign, nomination_id, at=at)
        return True
    current = session.execute(sa.select(reviews).where(reviews.c.nomination_id == nomination_id).with_for_update()).one()
    if version <= current.version_seen:
        return False
    reopened = after_resubmission(State(current.state))
    session.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id)
                    .values(version_seen=version, state=reopened or current.state, updated_at=at))
    if reopened is None:
        return False
    audit.record(session, actor=audit.SYSTEM, actor_role=audit.SYSTEM, action="resubmitted", target=nomination_id,
                 details={"version": version, "changed_fields": snapshot.get("changed_fields") or []}, at=at)
    if current.assigned_to is None or not _still_eligible(session, nomination_id, current.assigned_to):
        assign(session, review.campaign, nomination_id, at=at, why="resubmitted")
    return False


def _still_eligible(session: Session, nomination_id: str, subject: str) -> bool:
    from services.review.domain.assignment import eligible_reviewers
    from services.review.service_layer.assignments import working_group
    from services.review.service_layer.facts import assignment_facts

    item = assignment_facts(session, nomination_id)
    return any(member.subject == subject for member in eligible_reviewers(item, working_group(session)))


def nomination_withdrawn(review: "Review", session: Session, event: Event) -> None:
    nomination_id = event.payload["nomination_id"]
    session.execute(sa.update(nominations).where(nominations.c.nomination_id == nomination_id)
                    .values(status="withdrawn", updated_at=event.occurred_at))
    row = session.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == nomination_id).with_for_update()).first()
    ended = after_withdrawal(State(row.state)) if row else None
    if ended is None:
        return
    at = datetime.fromisoformat(event.occurred_at)
    session.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id).values(state=ended, updated_at=at))
    audit.record(session, actor=audit.SYSTEM, actor_role=audit.SYSTEM, action="withdrawn", target=nomination_id,
                 details={"by": event.payload.get("by", ""), "from_state": row.state}, at=at)
    if row.state == State.CANDIDATE:
        fill_vacancy(session, review, nomination_id, by=None, at=at, why="withdrawn")


def upload_scanned(session: Session, event: Event) -> None:
    p = event.payload
    row = dict(file_id=p["file_id"], nomination_id=p["nomination_id"], kind=p["kind"], verdict=p["verdict"],
               reasons=p.get("reasons", []), findings=p["findings"], duplicates=p.get("duplicates", []),
               filename=(p.get("filename") or "")[:300], flag=scan_flag(p["kind"], p["findings"], p.get("duplicates", [])))
    statement = pg_insert(scan_findings).values(**row)
    session.execute(statement.on_conflict_do_update(
        index_elements=[scan_findings.c.nomination_id, scan_findings.c.file_id],
        set_={k: statement.excluded[k] for k in row if k not in ("nomination_id", "file_id")}))
    if (nomination := _refresh_flags(session, p["nomination_id"])) is not None:
        copy_to_queue(session, p["nomination_id"], nomination)


def file_replaced(session: Session, event: Event) -> None:
    """A flagged file the applicant replaced after submission: the replacement is kept for the nomination's
    history, and the newest version's files hold the new file in its place (its scan follows as
    upload.scanned; the replaced file's flags leave the lists)."""
    p = event.payload
    row = session.execute(sa.select(nominations.c.snapshot).where(nominations.c.nomination_id == p["nomination_id"])
                          .with_for_update()).first()
    old = next((f for f in (row.snapshot.get("files") or []) if f.get("file_id") == p["replaced_file_id"]), None) if row else None
    session.execute(pg_insert(file_replacements).values(
        nomination_id=p["nomination_id"], replaced_file_id=p["replaced_file_id"], kind=p["file"]["kind"],
        replaced_filename=((old or {}).get("filename") or "")[:300], file=p["file"], at=event.occurred_at,
    ).on_conflict_do_nothing())
    if old is None:
        return
    files = [p["file"] if f is old else f for f in row.snapshot["files"]]
    session.execute(sa.update(nominations).where(nominations.c.nomination_id == p["nomination_id"])
                    .values(snapshot={**row.snapshot, "files": files}))
    if (nomination := _refresh_flags(session, p["nomination_id"])) is not None:
        copy_to_queue(session, p["nomination_id"], nomination)


def make_handlers(review: "Review") -> dict[str, Handler]:
    def received(session: Session, event: Event) -> None:
        nomination_received(review, session, event)

    def stage(session: Session, event: Event) -> None:
        stage_changed(review, session, event)

    return {
        "nomination.submitted": received,
        "nomination.resubmitted": received,
        "nomination.withdrawn": lambda session, event: nomination_withdrawn(review, session, event),
        "upload.scanned": upload_scanned,
        "nomination.file_replaced": file_replaced,
        "campaign.stage_opened": stage,
        "campaign.stage_closed": stage,
    }


READ_MODEL_TYPES = ("nomination.submitted", "nomination.resubmitted", "nomination.withdrawn", "upload.scanned",
                    "nomination.file_replaced")
