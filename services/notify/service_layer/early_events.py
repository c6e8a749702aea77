"""Keeping an event that came before its nomination's submission, and handing it back when the submission
comes (services/notify/domain/early_events.py says why)."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import early_events
from services.notify.domain.early_events import KEPT_FOR
from shared.events import Event
from shared.logs import log_fields

log = logging.getLogger(__name__)


def keep_until_submitted(session: Session, event: Event) -> None:
    """Kept (once, whatever redelivers it); those kept longer than KEPT_FOR are dropped meanwhile."""
    now = datetime.now(timezone.utc)
    session.execute(sa.delete(early_events).where(early_events.c.received_at < now - KEPT_FOR))
    session.execute(pg_insert(early_events).values(
        event_id=str(event.event_id), nomination_id=event.payload["nomination_id"], event=_stored(event),
        received_at=now).on_conflict_do_nothing(index_elements=[early_events.c.event_id]))
    log.info("event kept until its nomination's submission arrives", extra=log_fields(
        event_id=str(event.event_id), event_type=event.type, nomination_id=event.payload["nomination_id"]))


def take_kept(session: Session, nomination_id: str) -> list[Event]:
    """The events kept for this nomination, oldest first, no longer kept."""
    rows = session.execute(sa.delete(early_events).where(early_events.c.nomination_id == nomination_id)
                           .returning(early_events.c.event, early_events.c.received_at)).all()
    return [Event(**row.event) for row in sorted(rows, key=lambda row: row.received_at)]


def _stored(event: Event) -> dict:
    """The envelope as it came over Kafka, to be made an Event again as it was."""
    return json.loads(event.to_json())
