"""Uploads: streamed to S3 under a server-chosen name in a private prefix, recorded as pending, and
queued for scanning once the record is committed. A file never exists without its record for long:
the sweeper removes objects whose record was never written."""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.intake.adapters.orm import campaign_stages, nominations, uploads
from services.intake.bootstrap import Intake
from services.intake.domain import deadlines
from services.intake.domain.file_names import shown_file_name
from services.intake.domain.flagged_files import NEEDS_REPLACING, SENT_STATES, check_may_replace_flagged
from services.intake.domain.nomination import LAPSED_REFUSAL, NominationState
from services.intake.domain.upload_rules import UploadRefused, check_has_bytes, check_upload_allowed
from services.intake.service_layer.replacements import replace_flagged
from services.intake.service_layer.rows import locked
from services.intake.service_layer.errors import NotFound
from services.intake.service_layer.views import FileView, file_view_of
from shared.campaign.codes import SUBMISSION_STAGE
from shared.campaign_stages import closed_by_announcement
from shared.db import on_commit, reading
from shared.storage import StoredObject

log = logging.getLogger(__name__)

QUARANTINE = "quarantine"
ORPHAN_AGE = timedelta(hours=1)


def original_key(nomination_id: str, upload_id: str) -> str:
    return f"{QUARANTINE}/{nomination_id}/{upload_id}"


def add_upload(intake: Intake, nomination_id: str, kind: str, stream: BinaryIO, *, filename: str,
               content_type: str, declared_size: int = 0) -> str:
    """store_upload for a caller that needs the new file's id only (the form pages)."""
    return store_upload(intake, nomination_id, kind, stream, filename=filename, content_type=content_type,
                        declared_size=declared_size).id


def store_upload(intake: Intake, nomination_id: str, kind: str, stream: BinaryIO, *, filename: str,
                 content_type: str, declared_size: int = 0) -> FileView:
    """The file stored and on record as pending its scan; the answer is the file as the API shows it."""
    requirement = check_may_upload(intake, nomination_id, kind, content_type, declared_size)
    upload_id = str(uuid.uuid4())
    key = original_key(nomination_id, upload_id)
    stored = intake.store.put_stream(key, stream, content_type=content_type, max_size=requirement.max_bytes)
    return record_stored(intake, nomination_id, kind, upload_id, stored, filename)


def record_stored(intake: Intake, nomination_id: str, kind: str, upload_id: str, stored: StoredObject,
                  filename: str, *, retry_may_repeat: bool = False) -> FileView:
    """The stored object on record as a pending upload, checked again under the nomination's lock, then queued
    for its scan; refused, the object is removed. With `retry_may_repeat` (a client's retry of a direct
    upload's confirmation), an upload already on record is the answer, and its object stays. The file's view
    is read in the same transaction (the row the insert returns)."""
    try:
        with intake.sessions.begin() as session:
            nomination = _nomination_with_held(session, nomination_id, kind, lock=True)
            known = _on_record(session, nomination_id, upload_id) if retry_may_repeat else None
            if known is not None:
                return file_view_of(intake, known, nomination.nominee_kind)
            requirement = _check_allowed(session, intake, nomination, kind, stored.content_type, stored.size)
            check_has_bytes(requirement, stored.size)
            values = dict(id=upload_id, nomination_id=nomination_id, kind=kind, filename=shown_file_name(filename),
                          object_key=stored.key, content_type=stored.content_type, size=stored.size,
                          sha256=stored.sha256)
            row = session.execute(sa.insert(uploads).values(**values).returning(*uploads.c)).one()
            if _replaces_flagged(nomination):
                replace_flagged(session, intake, nomination, kind, values)
    except BaseException:
        intake.store.remove(stored.key)
        raise
    _queue_scan(intake, upload_id)
    return file_view_of(intake, row, nomination.nominee_kind)


def _on_record(session: Session, nomination_id: str, upload_id: str):
    return session.execute(sa.select(uploads).where(
        uploads.c.id == upload_id, uploads.c.nomination_id == nomination_id)).first()


def _queue_scan(intake: Intake, upload_id: str) -> None:
    """After the commit, and never undoing it: with the queue away the upload stays pending, and the
    sweeper queues it once the queue is back."""
    try:
        intake.queue_scan(upload_id)
    except Exception as error:  # noqa: BLE001 - whatever the broker raises, the recorded file stays
        log.warning("upload %s recorded; its scan could not be queued (the sweeper will): %s", upload_id, error)


def remove_upload(intake: Intake, nomination_id: str, upload_id: str) -> None:
    """A draft's file is deleted; a returned nomination's file is kept on record as replaced."""
    with intake.sessions.begin() as session:
        nomination = locked(session, nomination_id)
        row = session.execute(sa.select(uploads).where(uploads.c.id == upload_id,
                                                       uploads.c.nomination_id == nomination_id)).first()
        if row is None or row.replaced:
            raise NotFound("file")
        if nomination.state == NominationState.LAPSED:
            raise UploadRefused(LAPSED_REFUSAL)
        if nomination.state not in (NominationState.DRAFT, NominationState.RETURNED):
            raise UploadRefused("intake.sent_replace_not_delete")
        _check_editable_files(session, intake, nomination, row.kind)
        if nomination.state == NominationState.DRAFT:
            session.execute(sa.delete(uploads).where(uploads.c.id == upload_id))
            on_commit(session, lambda: _remove_objects(intake, row))
        else:
            session.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(replaced=True))


def _remove_objects(intake: Intake, row) -> None:
    for key in [row.object_key, *(row.derivatives or {}).values()]:
        intake.store.remove(key)


def check_may_upload(intake: Intake, nomination_id: str, kind: str, content_type: str, size: int):
    """Before the file is stored: refused early, without a lock (the insert checks again, locked)."""
    with reading(intake.sessions) as session:
        nomination = _nomination_with_held(session, nomination_id, kind, lock=False)
        return _check_allowed(session, intake, nomination, kind, content_type, size)


def _with_held_query() -> sa.Select:
    """The nomination's row, how many files of the kind it holds, how many of them were flagged or refused
    by their scan and when the latest of those verdicts came, in one round trip. Built once (building it
    and its cache key took 2 ms, twice per upload); the nomination and the kind are bound at each use."""
    of_kind = (uploads.c.nomination_id == nominations.c.id, uploads.c.kind == sa.bindparam("kind"),
               uploads.c.replaced.is_(False))
    held = sa.select(sa.func.count()).select_from(uploads).where(*of_kind).scalar_subquery()
    flagged = (*of_kind, uploads.c.verdict.in_(NEEDS_REPLACING))
    count = sa.select(sa.func.count()).select_from(uploads).where(*flagged).scalar_subquery()
    latest = sa.select(sa.func.max(uploads.c.scanned_at)).where(*flagged).scalar_subquery()
    return sa.select(nominations, held.label("held"), count.label("flagged"), latest.label("flagged_at")).where(
        nominations.c.id == sa.bindparam("nomination_id"))


WITH_HELD = _with_held_query()
WITH_HELD_LOCKED = WITH_HELD.with_for_update(of=nominations)


def _nomination_with_held(session, nomination_id: str, kind: str, *, lock: bool):
    query = WITH_HELD_LOCKED if lock else WITH_HELD
    row = session.execute(query, {"nomination_id": nomination_id, "kind": kind}).first()
    if row is None:
        raise NotFound()
    return row


def _check_allowed(session: Session, intake: Intake, nomination, kind: str, content_type: str, size: int):
    _check_editable_files(session, intake, nomination, kind)
    held = nomination.held - (1 if _replaces_flagged(nomination) else 0)
    return check_upload_allowed(intake.campaign, nomination.nominee_kind, kind, content_type, size, held)


def _replaces_flagged(nomination) -> bool:
    return nomination.state in SENT_STATES


def _check_editable_files(session: Session, intake: Intake, nomination, kind: str) -> None:
    now = intake.clock()
    if nomination.state in SENT_STATES and getattr(nomination, "flagged", 0):
        check_may_replace_flagged(intake.campaign, now, nomination.flagged_at,
                                  _submission_closed(session, nomination.campaign_id, now), nomination.review_stage)
    elif nomination.state == NominationState.DRAFT:
        deadlines.ensure_submission_open(intake.campaign, now)
    elif nomination.state == NominationState.RETURNED:
        deadlines.ensure_correction_open(nomination.correction_deadline, now, intake.campaign.time_zone)
        if kind not in nomination.open_files:
            raise UploadRefused("intake.upload_not_reopened")
    elif nomination.state == NominationState.LAPSED:
        raise UploadRefused(LAPSED_REFUSAL)
    else:
        raise UploadRefused("intake.files_locked")


def _submission_closed(session: Session, campaign_id: str, now) -> bool:
    return closed_by_announcement(session, campaign_stages, campaign_id, SUBMISSION_STAGE, now)


def sweep_orphans(intake: Intake, now) -> list[str]:
    """Objects under the quarantine prefix whose record never got written (a crash between the two)."""
    removed = []
    for key in intake.store.keys(f"{QUARANTINE}/"):
        upload_id = key.rsplit("/", 1)[-1]
        with reading(intake.sessions) as session:
            known = session.execute(sa.select(uploads.c.id).where(uploads.c.id == upload_id)).first()
        if known is None and _older_than(intake, key, now, ORPHAN_AGE):
            intake.store.remove(key)
            removed.append(key)
    return removed


def _older_than(intake: Intake, key: str, now, age: timedelta) -> bool:
    stat = intake.store.client.stat_object(intake.store.bucket, key)
    return stat.last_modified is not None and now - stat.last_modified > age
