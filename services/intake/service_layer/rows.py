"""Reading the rows the use cases work on: a nomination locked for a change, its current files, its
recommending organisation (the status view reads its own in view_rows.py)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.intake.adapters.orm import nominations, organisations, uploads
from services.intake.service_layer.errors import NotFound


_CURRENT_UPLOADS = (sa.select(uploads).where(uploads.c.nomination_id == sa.bindparam("nomination_id"),
                                             uploads.c.replaced.is_(False))
                    .order_by(uploads.c.created_at))  # built once: every status view and every send reads it


def current_uploads(session: Session, nomination_id: str) -> list:
    return session.execute(_CURRENT_UPLOADS, {"nomination_id": nomination_id}).all()


def locked(session: Session, nomination_id: str):
    row = session.execute(sa.select(nominations).where(nominations.c.id == nomination_id).with_for_update()).first()
    if row is None:
        raise NotFound()
    return row


def organisation_of(session: Session, organisation_id: str | None):
    if organisation_id is None:
        return None
    return session.execute(sa.select(organisations).where(organisations.c.id == organisation_id)).first()


def scan_lag_seconds(session: Session, now) -> float:
    """How long the oldest file still waiting for its scan has waited (0 when none waits): the scans' lag
    behind the uploads, one look-up in the index of pending uploads."""
    oldest = session.execute(sa.select(sa.func.min(uploads.c.created_at)).where(uploads.c.status == "pending")).scalar()
    return max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
