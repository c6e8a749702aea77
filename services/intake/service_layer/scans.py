"""Scanning one upload: what the Celery worker does with an upload id. Idempotent: an upload is
scanned and its event published once, however often the task runs (a worker killed mid-scan, a
sweeper re-queueing a pending file)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from minio.error import S3Error

from services.intake.adapters.orm import flags, uploads
from services.intake.bootstrap import Intake
from services.intake.domain.scans.findings import Refusal, ScanFindings
from services.intake.domain.scans.limits import ScanLimits
from services.intake.domain.scans.phash import near_duplicates
from services.intake.domain.scans.pipeline import scan_upload
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

PHASH_KINDS = ("certificate", "media_proof")
PENDING_TOO_LONG = timedelta(minutes=2)
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
    findings.refuse(Refusal("unreadable", "文件无法读取（多次检查均失败），请重新导出或扫描后上传"))
    return findings


def _missing(upload) -> ScanFindings:
    findings = ScanFindings(kind=upload.kind, size=upload.size, sha256=upload.sha256)
    findings.refuse(Refusal("file_missing", "文件未能保存，请重新上传"))
    return findings


def _pending_upload(intake: Intake, upload_id: str):
    with intake.sessions() as session:
        upload = session.execute(sa.select(uploads).where(uploads.c.id == upload_id)).first()
    if upload is None or upload.status != "pending":
        return None
    return upload


def _record(intake: Intake, upload_id: str, findings, derivatives: dict) -> str | None:
    with intake.sessions.begin() as session:
        upload = session.execute(sa.select(uploads).where(uploads.c.id == upload_id).with_for_update()).first()
        if upload is None or upload.status != "pending":
            return None
        duplicates = _duplicates(session, upload, findings.phash)
        report = findings.as_dict()
        session.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(
            status="scanned", verdict=findings.verdict, findings=report, phash=findings.phash,
            derivatives=derivatives, scanned_at=sa.func.now(), updated_at=sa.func.now(),
        ))
        if duplicates:
            _flag_duplicates(session, upload, duplicates)
        add_to_outbox(session, new_event("upload.scanned", upload.nomination_id, {
            "nomination_id": upload.nomination_id, "file_id": upload.id, "kind": upload.kind,
            "filename": upload.filename, "verdict": findings.verdict, "reasons": findings.reasons,
            "findings": report, "duplicates": duplicates,
        }, producer="intake"))
        return findings.verdict


def _duplicates(session, upload, phash: str | None) -> list[dict]:
    """The same file (SHA-256) or the same certificate re-scanned (perceptual hash) in another nomination."""
    others = session.execute(sa.select(uploads.c.id, uploads.c.nomination_id, uploads.c.sha256, uploads.c.phash)
                             .where(uploads.c.nomination_id != upload.nomination_id,
                                    uploads.c.kind.in_(PHASH_KINDS + ("photo",)))).all()
    found = [{"file_id": o.id, "nomination_id": o.nomination_id, "match": "identical", "distance": 0}
             for o in others if o.sha256 == upload.sha256]
    if phash and upload.kind in PHASH_KINDS:
        by_id = {o.id: o for o in others if o.sha256 != upload.sha256}
        for file_id, distance in near_duplicates(phash, [(o.id, o.phash) for o in by_id.values()]):
            found.append({"file_id": file_id, "nomination_id": by_id[file_id].nomination_id,
                          "match": "perceptual", "distance": distance})
    return found


def _flag_duplicates(session, upload, duplicates: list[dict]) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    for nomination_id in {upload.nomination_id, *(d["nomination_id"] for d in duplicates)}:
        session.execute(pg_insert(flags).values(
            nomination_id=nomination_id, kind="file_used_by_another_nomination",
            detail={"upload_id": upload.id, "duplicates": duplicates},
        ).on_conflict_do_nothing())


def pending_upload_ids(intake: Intake, now) -> list[str]:
    """Uploads still pending well after they were stored: their task was lost; the sweeper re-queues them."""
    with intake.sessions() as session:
        return list(session.execute(sa.select(uploads.c.id).where(
            uploads.c.status == "pending", uploads.c.created_at < now - PENDING_TOO_LONG)).scalars())
