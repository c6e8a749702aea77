"""What the archive does with each event it reads: keep it, with where it was read and whose it is."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import event_log, nomination_campaigns
from services.archive.domain.ownership import campaign_named_by, nomination_named_by
from services.archive.domain.personal_data import redact
from services.archive.service_layer.purged import purged_fields
from shared.events import Event
from shared.messaging.consumer import PermanentFailure, source_position


def record_event(session: Session, event: Event, default_campaign: str) -> None:
    """Keep the event exactly as it was published, once, whichever consumer group reads it again,
    with its topic, partition and offset (its place in a segment) and the campaign it belongs to. An event
    of a campaign whose personal data the archive already purged is kept as its public record only."""
    position = source_position(session)
    if position is None:
        raise PermanentFailure("the archive records only events read from Kafka")
    campaign_id = _campaign_of(session, event) or default_campaign
    envelope = event.as_dict()
    if (fields := purged_fields(session, campaign_id)) is not None:
        envelope = redact(envelope, fields)
    session.execute(pg_insert(event_log).values(
        event_id=event.event_id, event_type=event.type, key=event.key,
        occurred_at=event.occurred_at, envelope=envelope, campaign_id=campaign_id,
        topic=position.topic, partition=position.partition, offset=position.offset,
    ).on_conflict_do_nothing(index_elements=[event_log.c.event_id]))


def _campaign_of(session: Session, event: Event) -> str | None:
    named = campaign_named_by(event.type, event.key, event.payload)
    nomination = nomination_named_by(event.payload)
    if named and nomination:
        session.execute(pg_insert(nomination_campaigns).values(nomination_id=nomination, campaign_id=named)
                        .on_conflict_do_nothing())
    if named or not nomination:
        return named
    return session.execute(sa.select(nomination_campaigns.c.campaign_id)
                           .where(nomination_campaigns.c.nomination_id == nomination)).scalar()


def events_for_key(session: Session, key: str) -> list[dict]:
    rows = session.execute(sa.select(event_log.c.envelope).where(event_log.c.key == key).order_by(event_log.c.seq))
    return [row.envelope for row in rows]
