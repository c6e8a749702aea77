"""Which campaigns the archive has purged, and of what: once a campaign's purge is recorded, anything of it
that arrives later (a replay into a new consumer group, a late event) is kept without those fields, and
no new data key is made for it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import purges


def purged_fields(session: Session, campaign_id: str | None) -> tuple[str, ...] | None:
    """The fields the campaign's purge removed, or None when the archive has not purged it."""
    if not campaign_id:
        return None
    fields = session.execute(sa.select(purges.c.fields).where(
        purges.c.campaign_id == campaign_id, purges.c.purged_at.is_not(None))).scalar()
    return tuple(fields) if fields is not None else None


def record_purged(session: Session, campaign_id: str, request_event_id, fields: list[str], at: datetime) -> None:
    """The archive purged the campaign now (the request may have come from another archive's database)."""
    statement = pg_insert(purges).values(campaign_id=campaign_id, request_event_id=request_event_id,
                                         fields=list(fields), purged_at=at)
    session.execute(statement.on_conflict_do_update(
        index_elements=[purges.c.campaign_id],
        set_={"purged_at": sa.func.coalesce(purges.c.purged_at, statement.excluded.purged_at),
              "fields": statement.excluded.fields}))
