"""Scanning one upload: what the Celery worker does with an upload id. Idempotent: an upload is
scanned and its event published once, however often the task runs (a worker killed mid-scan, a
sweeper re-queueing a pending file)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from minio.error import S3Error

from services.intake.adapters.orm import nominations, uploads
from services.intake.bootstrap import Intake
from services.intake.domain.deadlines import format_local
from services.intake.domain.flagged_files import NEEDS_REPLACING, SENT_STATES, replaceable_until
from shared.i18n import message
from shared.scans.findings import Refusal, ScanFindings
from shared.scans.limits import ScanLimits
from shared.scans.pipeline import scan_upload
from services.intake.service_layer.duplicates import band_columns, find_duplicates, flag_duplicates
from services.intake.service_layer.replacements import refresh_refused_flag
from services.intake.service_layer.snapshots import reference_for
from shared.campaign.parts import ONE_SECOND
from shared.db import reading
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

# An upload queues its own scan right after its commit; the sweeper leaves it that long to do so.
QUEUE_GRACE = timedelta(seconds=30)
# A file that kills its worker (a decoder crash) is redelivered by acks_late; after this many starts
# it is refused as unreadable instead of taking the worker down again and again.
MAX_DECODE_STARTS = 3


def derivative_key(upload) -> str:
    return f"derived/{upload.nomination_id}/{upload.id}"


def scan(intake: Intake, upload_id: str) -> str | None:
    """Returns the verdict, or None when the upload is gone or was already scanned."""
    upload = _pending_upload(intake, upload_id)
    if upload is None:
        return None
    requirement = intake.campaign.upload(upload.kind)
    limits = ScanLimits(max_bytes=requirement.max_bytes, max_pdf_pages=requirement.max_pages or ScanLimits.max_pdf_pages)
    try:
        data = intake.store.get_bytes(upload.object_key, max_size=limits.max_bytes + 1)
    except S3Error as error:
        if error.code not in ("NoSuchKey", "NoSuchObject"):
            raise
        return _record(intake, upload_id, _missing(upload), {})
    if _count_decode_start(intake, upload_id) > MAX_DECODE_STARTS:
        return _record(intake, upload_id, _unreadable(upload), {})
    result = scan_upload(data, upload.kind, upload.nomination_id, limits)
    derivatives = {
        d.name: intake.store.put_bytes(f"{derivative_key(upload)}/{d.name}", d.data, content_type=d.content_type).key
        for d in result.derivatives
    }
    return _record(intake, upload_id, result.findings, derivatives)


def _count_decode_start(intake: Intake, upload_id: str) -> int:
    with intake.sessions.begin() as session:
        return session.execute(sa.update(uploads).where(uploads.c.id == upload_id)
                               .values(scan_attempts=uploads.c.scan_attempts + 1)
                               .returning(uploads.c.scan_attempts)).scalar_one()


def _unreadable(upload) -> ScanFindings:
    findings = ScanFindings(kind=upload.kind, size=upload.size, sha256=upload.sha256)
    findings.refuse(Refusal("unreadable", message("scan.unreadable_retried")))
    return findings


def _missing(upload) -> ScanFindings:
    findings = ScanFindings(kind=upload.kind, size=upload.size, sha256=upload.sha256)
    findings.refuse(Refusal("file_missing", message("scan.file_missing")))
    return findings


def _pending_upload(intake: Intake, upload_id: str):
    with reading(intake.sessions) as session:
        upload = session.execute(sa.select(uploads).where(uploads.c.id == upload_id)).first()
    if upload is None or upload.status != "pending":
        return None
    return upload


def _record(intake: Intake, upload_id: str, findings, derivatives: dict) -> str | None:
    with intake.sessions.begin() as session:
        state, now = _nomination_state(session, upload_id), intake.clock()
        upload = session.execute(sa.select(uploads).where(uploads.c.id == upload_id).with_for_update()).first()
        if upload is None or upload.status != "pending":
            return None
        duplicates = find_duplicates(session, upload, findings.phash)
        report = findings.as_dict()
        session.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(
            status="scanned", verdict=findings.verdict, findings=report, phash=findings.phash,
            derivatives=derivatives, scanned_at=now, updated_at=sa.func.now(),
            **band_columns(upload.kind, findings.phash),
        ))
        if duplicates:
            flag_duplicates(session, upload, duplicates)
        payload = {
            "nomination_id": upload.nomination_id, "file_id": upload.id, "kind": upload.kind,
            "reference": reference_for(session, intake.campaign, upload.nomination_id),
            "filename": upload.filename, "verdict": findings.verdict, "reasons": findings.reasons,
            "findings": report, "duplicates": duplicates,
        }
        if state in SENT_STATES and findings.verdict in NEEDS_REPLACING:
            payload["replace_until"] = _replace_until(intake, now)
            if findings.verdict == "refused":
                refresh_refused_flag(session, upload.nomination_id)
        add_to_outbox(session, new_event("upload.scanned", upload.nomination_id, payload, producer="intake"))
        return findings.verdict


def _nomination_state(session, upload_id: str) -> str | None:
    """The state of the upload's nomination, its row share-locked first (the lock order of a submission:
    nomination, then files), so that a submission reading this file's verdict and this recording are one
    after the other: the event of whichever commits first is published first."""
    return session.execute(sa.select(nominations.c.state).join(uploads, uploads.c.nomination_id == nominations.c.id)
                           .where(uploads.c.id == upload_id).with_for_update(read=True, key_share=True, of=nominations)).scalar()


def _replace_until(intake: Intake, verdict_at) -> str:
    """A file flagged or refused after its nomination was sent: until when the applicant may replace it."""
    until = replaceable_until(intake.campaign, verdict_at) - ONE_SECOND
    return format_local(until, intake.campaign.time_zone)


def pending_upload_ids(intake: Intake, stored_before) -> list[str]:
    with reading(intake.sessions) as session:
        return list(session.execute(sa.select(uploads.c.id).where(
            uploads.c.status == "pending", uploads.c.created_at < stored_before)).scalars())


def still_pending(intake: Intake, upload_ids: list[str]) -> set[str]:
    if not upload_ids:
        return set()
    with reading(intake.sessions) as session:
        return set(session.execute(sa.select(uploads.c.id).where(
            uploads.c.id.in_(upload_ids), uploads.c.status == "pending")).scalars())


def requeue_unqueued(intake: Intake, now) -> list[str]:
    """Queue the pending uploads that have no task in the queue (their queueing failed, their task
    failed for good, or Redis lost its data): each once, however often this runs. An upload whose
    task is waiting or running is left alone. Only uploads still pending once claimed are published
    (a scan that ended between the two looks released its claim after recording)."""
    queue = intake.scan_queue
    claimed = queue.claim(pending_upload_ids(intake, now - QUEUE_GRACE))
    pending = still_pending(intake, claimed)
    queue.release(set(claimed) - pending)
    publish = [upload_id for upload_id in claimed if upload_id in pending]
    queue.publish_claimed(publish)
    return publish
