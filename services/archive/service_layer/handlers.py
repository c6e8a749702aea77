"""What the archive does with each event it reads."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import event_log
from shared.events import Event


def record_event(session: Session, event: Event) -> None:
    """Keep the event exactly as it was published, once, whichever consumer group reads it again."""
    session.execute(pg_insert(event_log).values(
        event_id=event.event_id, event_type=event.type, key=event.key,
        occurred_at=event.occurred_at, envelope=event.as_dict(),
    ).on_conflict_do_nothing(index_elements=[event_log.c.event_id]))


def events_for_key(session: Session, key: str) -> list[dict]:
    rows = session.execute(sa.select(event_log.c.envelope).where(event_log.c.key == key).order_by(event_log.c.seq))
    return [row.envelope for row in rows]
