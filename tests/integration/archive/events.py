"""Events for the archive tests, and recording them as the archive's consumer does (with the place each
was read at), for the tests that are about segments rather than about Kafka."""
from __future__ import annotations

import itertools
import uuid

from services.archive.service_layer.handlers import record_event
from shared.events import Event, new_event
from shared.messaging.consumer import SourcePosition
from tests.unit.notify.builders import CAMPAIGN_ID, submission

_offsets = itertools.count()


def submitted(nomination_id: str | None = None, **changes) -> Event:
    nomination_id = nomination_id or str(uuid.uuid4())
    payload = submission(nomination_id=nomination_id, **changes)
    return new_event("nomination.submitted", nomination_id, payload, producer="intake")


def stage_opened(campaign_id: str = CAMPAIGN_ID) -> Event:
    return new_event("campaign.stage_opened", campaign_id, {
        "campaign_id": campaign_id, "stage": "review", "at_utc": "2023-03-01T00:00:00+00:00",
        "at_local": "2023-03-01 08:00:00"}, producer="intake")


def record(archive, *events: Event, partition: int = 0) -> None:
    for event in events:
        with archive.sessions.begin() as session:
            session.info["source_position"] = SourcePosition(event.topic, partition, next(_offsets))
            record_event(session, event, default_campaign=archive.campaign.id)
