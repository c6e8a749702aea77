"""The public-record part of each honouree's dossier: sealed at the announcement in clear (it holds only
what the notice and the announcement show) under the COMPLIANCE lock, so that the PIPL purge, which
destroys the key of the full dossier, leaves it readable. Honourees without one get it at the next sealing
(also those announced before it existed, and those whose campaign was purged first)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa

from services.archive.adapters.orm import nominations, public_records
from services.archive.bootstrap import Archive
from services.archive.domain.public_record import photo_of, public_record_of
from services.archive.service_layer.packages import copy_file, events_of, zip_of
from shared.storage import ObjectStore


class PublicRecordUnavailable(Exception):
    """No public record: not an honouree, or not sealed yet."""


def build_due_public_records(archive: Archive, uploads: ObjectStore, limit: int = 50) -> int:
    with archive.engine.connect() as conn:
        due = conn.execute(
            sa.select(nominations.c.nomination_id, nominations.c.campaign_id)
            .select_from(nominations.outerjoin(public_records,
                                               public_records.c.nomination_id == nominations.c.nomination_id))
            .where(nominations.c.stage == "honouree", public_records.c.nomination_id.is_(None)).limit(limit)).all()
    return sum(seal_public_record(archive, uploads, row.nomination_id, row.campaign_id) for row in due)


def seal_public_record(archive: Archive, uploads: ObjectStore, nomination_id: str, campaign_id: str) -> bool:
    envelopes = events_of(archive, nomination_id)
    record = public_record_of(nomination_id, envelopes)
    if record is None:
        return False
    if (photo := photo_of(envelopes)) is not None:
        record.add_file(photo, copy_file(uploads, photo["object_key"]), folder="photo")
    package = zip_of(record.entries, record.manifest(datetime.now(timezone.utc).isoformat()))
    digest = hashlib.sha256(package).hexdigest()
    object_key = f"public/{campaign_id}/{nomination_id}/{digest[:16]}.zip"
    stored = archive.store.put_locked(object_key, package, content_type="application/zip",
                                      retain_until=archive.campaign.retention.lock_until(datetime.now(timezone.utc)))
    with archive.engine.begin() as conn:
        conn.execute(sa.delete(public_records).where(public_records.c.nomination_id == nomination_id))
        conn.execute(sa.insert(public_records).values(
            nomination_id=nomination_id, campaign_id=campaign_id, object_key=object_key,
            version_id=stored.version_id, sha256=digest,
            has_photo=any(path.startswith("photo/") for path in record.entries)))
    return True


def open_public_record(archive: Archive, nomination_id: str) -> tuple[bytes, str]:
    with archive.engine.connect() as conn:
        row = conn.execute(sa.select(public_records).where(public_records.c.nomination_id == nomination_id)).first()
    if row is None:
        raise PublicRecordUnavailable("该提名没有公开档案（仅获评者在通报时生成） / no public record")
    package = archive.store.get_version(row.object_key, row.version_id)
    if hashlib.sha256(package).hexdigest() != row.sha256:
        raise PublicRecordUnavailable("公开档案与登记的 SHA-256 不符 / public record hash differs from the index")
    return package, row.sha256
