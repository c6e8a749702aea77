"""The per-campaign data keys: made when a campaign's first personal data is sealed, destroyed at purge."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters import crypto
from services.archive.adapters.orm import campaign_keys
from services.archive.service_layer.purged import purged_fields


def data_key(session: Session, kek: bytes, campaign_id: str) -> tuple[str, bytes]:
    """The campaign's key id and key, made now if it has none; KeyUnavailable once the campaign was purged
    (a new key would seal again what the purge shredded)."""
    if purged_fields(session, campaign_id) is not None:
        raise crypto.KeyUnavailable(f"campaign {campaign_id}: personal data purged, no new key")
    session.execute(pg_insert(campaign_keys).values(
        key_id=uuid.uuid4(), campaign_id=campaign_id,
        wrapped_key=crypto.wrap(kek, crypto.new_data_key(), campaign_id),
    ).on_conflict_do_nothing(index_elements=[campaign_keys.c.campaign_id]))
    row = session.execute(sa.select(campaign_keys).where(campaign_keys.c.campaign_id == campaign_id)).one()
    return str(row.key_id), crypto.unwrap(kek, row.wrapped_key, campaign_id)


def existing_key(session: Session, kek: bytes, key_id: str, campaign_id: str) -> bytes:
    """The key `key_id`, or KeyUnavailable once it was destroyed."""
    wrapped = session.execute(sa.select(campaign_keys.c.wrapped_key).where(
        campaign_keys.c.key_id == uuid.UUID(key_id))).scalar()
    if wrapped is None:
        raise crypto.KeyUnavailable(f"campaign {campaign_id}: key {key_id} destroyed")
    return crypto.unwrap(kek, wrapped, campaign_id)


def destroy_key(session: Session, campaign_id: str) -> bool:
    """Crypto-shredding: without the key, the sealed copies in the locked segments cannot be read."""
    return session.execute(sa.delete(campaign_keys).where(campaign_keys.c.campaign_id == campaign_id)).rowcount > 0
