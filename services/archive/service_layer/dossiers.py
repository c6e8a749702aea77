"""Dossiers: built for each nomination once it is disqualified or its campaign announced, sealed (a ZIP with
its manifest, encrypted with the campaign's data key so the purge can shred it, written once under the
COMPLIANCE lock), and opened again for staff who download it. An honouree's dossier has a public-record part
besides, sealed in clear, which the purge leaves (service_layer/public_records.py)."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa

from services.archive.adapters import crypto
from services.archive.adapters.orm import dossiers, nominations
from services.archive.bootstrap import Archive
from services.archive.domain.dossier import dossier_of, final_files
from services.archive.service_layer.keys import data_key, existing_key
from services.archive.service_layer.packages import copy_file, events_of, zip_of
from services.archive.service_layer.public_records import build_due_public_records
from shared.db import reading
from shared.storage import ObjectStore


class DossierUnavailable(Exception):
    """No dossier yet, or its campaign's personal data was purged (its key destroyed)."""


def build_due_dossiers(archive: Archive, limit: int = 50) -> int:
    """The dossiers due, then the public records of honourees that have none; how many were sealed."""
    with archive.engine.connect() as conn:
        due = conn.execute(sa.select(nominations.c.nomination_id, nominations.c.campaign_id, nominations.c.stage)
                           .where(nominations.c.dossier_due).limit(limit)).all()
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    sealed = sum(seal_dossier(archive, uploads, row.nomination_id, row.campaign_id, row.stage) for row in due)
    return sealed + build_due_public_records(archive, uploads, limit)


def seal_dossier(archive: Archive, uploads: ObjectStore, nomination_id: str, campaign_id: str, stage: str) -> bool:
    """Build, seal and record one dossier (a later one replaces the index entry; the earlier stays locked).
    False when the campaign was purged before it was due: only its public record can still be made."""
    envelopes = events_of(archive, nomination_id)
    dossier = dossier_of(nomination_id, stage, envelopes)
    for ref in final_files(envelopes):
        dossier.add_file(ref, copy_file(uploads, ref["object_key"]))
    package = zip_of(dossier.entries, dossier.manifest(datetime.now(timezone.utc).isoformat()))
    with archive.sessions.begin() as session:
        done = sa.update(nominations).where(nominations.c.nomination_id == nomination_id).values(dossier_due=False)
        try:
            key_id, key = data_key(session, archive.kek, campaign_id)
        except crypto.KeyUnavailable:
            session.execute(done)
            return False
        sealed = crypto.seal(key, package, nomination_id).encode()
        object_key = f"dossiers/{campaign_id}/{nomination_id}/{hashlib.sha256(package).hexdigest()[:16]}.zip.sealed"
        stored = archive.store.put_locked(object_key, sealed, content_type="application/octet-stream",
                                          retain_until=archive.campaign.retention.lock_until(datetime.now(timezone.utc)))
        values = dict(campaign_id=campaign_id, object_key=object_key, version_id=stored.version_id,
                      sha256=hashlib.sha256(package).hexdigest(), key_id=key_id, reason=stage, sealed_at=sa.func.now())
        session.execute(sa.delete(dossiers).where(dossiers.c.nomination_id == nomination_id))
        session.execute(sa.insert(dossiers).values(nomination_id=nomination_id, **values))
        session.execute(done)
        return True


def open_dossier(archive: Archive, nomination_id: str) -> tuple[bytes, str]:
    """The ZIP and its SHA-256, checked against the index; DossierUnavailable says why not."""
    with reading(archive.sessions) as session:
        row = session.execute(sa.select(dossiers).where(dossiers.c.nomination_id == nomination_id)).first()
        if row is None:
            raise DossierUnavailable("该提名尚无档案（在取消资格或活动通报后生成） / no dossier yet")
        try:
            key = existing_key(session, archive.kek, row.key_id, row.campaign_id)
        except crypto.KeyUnavailable:
            raise DossierUnavailable("该活动的个人信息已按保存期限清除，完整档案无法再打开；获评者的公开档案仍可下载 / "
                                     "purged: the full dossier cannot be opened; an honouree's public record remains") from None
    package = crypto.open_sealed(key, archive.store.get_version(row.object_key, row.version_id).decode(), nomination_id)
    if hashlib.sha256(package).hexdigest() != row.sha256:
        raise DossierUnavailable("档案与登记的 SHA-256 不符 / dossier hash differs from the index")
    return package, row.sha256
