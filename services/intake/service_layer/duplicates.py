"""The duplicate search of one scanned upload: the same file (SHA-256) or the same certificate re-scanned
(perceptual hash within 8 bits) in another nomination. Both are index look-ups, so a search costs the
same with a hundred or a hundred thousand stored uploads; a shared file flags each nomination once."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert as pg_insert

from services.intake.adapters.orm import flags, uploads
from shared.scans.phash import BANDS, band_probes, bands, near_duplicates

PHASH_KINDS = ("certificate", "media_proof")
DUPLICATE_KINDS = PHASH_KINDS + ("photo",)
# A file shared by hundreds of nominations (a fraud ring's certificate, a template photo) lists the
# first ones: enough for the reviewer, and a scan's cost does not grow with the group.
MAX_LISTED = 50
FLAG = "file_used_by_another_nomination"
PROBES = ARRAY(sa.Integer)


def band_columns(kind: str, phash: str | None) -> dict:
    """What the upload's row stores for the near-duplicate index (certificates and proofs only)."""
    values = bands(phash) if phash and kind in PHASH_KINDS else (None,) * BANDS
    return {f"phash_band{index}": value for index, value in enumerate(values)}


def find_duplicates(session, upload, phash: str | None) -> list[dict]:
    found = [{"file_id": row.id, "nomination_id": row.nomination_id, "match": "identical", "distance": 0}
             for row in _identical(session, upload)]
    if phash and upload.kind in PHASH_KINDS:
        found += _perceptual(session, upload, phash)[: MAX_LISTED - len(found)]
    return found


def _identical(session, upload) -> list:
    return session.execute(
        sa.select(uploads.c.id, uploads.c.nomination_id)
        .where(uploads.c.sha256 == upload.sha256, uploads.c.nomination_id != upload.nomination_id,
               uploads.c.kind.in_(DUPLICATE_KINDS))
        .order_by(uploads.c.created_at).limit(MAX_LISTED)).all()


def _perceptual(session, upload, phash: str) -> list[dict]:
    # Each band's 137 probes go as one array: as 548 bound values the statement took PostgreSQL 4-8 ms
    # to parse and plan, twice per nomination, at the database's priority and not the niced worker's.
    near_band = sa.or_(*(uploads.c[f"phash_band{index}"] == sa.any_(sa.literal(list(values), PROBES))
                         for index, values in enumerate(band_probes(phash))))
    candidates = {row.id: row for row in session.execute(
        sa.select(uploads.c.id, uploads.c.nomination_id, uploads.c.phash)
        .where(near_band, uploads.c.nomination_id != upload.nomination_id, uploads.c.sha256 != upload.sha256,
               uploads.c.kind.in_(PHASH_KINDS)))}
    return [{"file_id": file_id, "nomination_id": candidates[file_id].nomination_id, "match": "perceptual",
             "distance": distance}
            for file_id, distance in near_duplicates(phash, [(row.id, row.phash) for row in candidates.values()])]


def flag_duplicates(session, upload, duplicates: list[dict]) -> None:
    """One flag per nomination, written once: the scanned file's nomination and those it lists. The
    members of a group not listed were flagged when the group's second file was scanned."""
    nomination_ids = sorted({upload.nomination_id, *(d["nomination_id"] for d in duplicates)})
    detail = {"upload_id": upload.id, "sha256": upload.sha256, "duplicates": duplicates}
    session.execute(pg_insert(flags).values([
        {"nomination_id": nomination_id, "kind": FLAG, "detail": detail} for nomination_id in nomination_ids
    ]).on_conflict_do_nothing())
