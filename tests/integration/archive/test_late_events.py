"""Events of a campaign the archive has already purged, arriving later (a replay into a new consumer group,
a late message): recorded through Kafka as their public record only, sealed without a sealed copy, and no
new data key made for the campaign."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.archive.adapters.orm import campaign_keys, event_log, purges, segments
from services.archive.domain.segments import segment_lines
from services.archive.entrypoints.consumer import handlers
from services.archive.service_layer.sealing import seal_due
from shared.events import new_event
from shared.messaging.admin import ensure_topics
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.producer import make_producer
from tests.integration.archive.events import submitted
from tests.stack import wait_until

pytestmark = pytest.mark.integration
FIELDS = ["phone", "email", "address", "postcode", "ethnic_group", "political_status", "recipient"]


def purge_requested(campaign_id: str):
    return new_event("campaign.purge_requested", campaign_id, {
        "campaign_id": campaign_id, "fields": FIELDS, "keep_photos_of": [],
        "retention_rule": "test", "due_at": "2024-01-01T00:00:00+00:00"}, producer="archive")


def through_kafka(archive, events: list) -> None:
    """The events into a topic of their own, read by the archive's consumer in a consumer group of its own."""
    bootstrap = archive.settings.kafka_bootstrap
    topic = f"late-test-{uuid.uuid4().hex[:8]}"
    ensure_topics(bootstrap, {topic: 1})
    producer = make_producer(bootstrap)
    for event in events:
        producer.produce(topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0
    runner = ConsumerRunner(group=f"archive-late-{uuid.uuid4().hex[:6]}", topics=[topic],
                            handlers=handlers(archive), sessions=archive.sessions, bootstrap=bootstrap)
    threading.Thread(target=runner.run, daemon=True).start()
    try:
        wait_until(lambda: recorded(archive, events) == len(events), 90, what="the archive to record the events")
    finally:
        runner.stop.set()


def recorded(archive, events) -> int:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(event_log)
                            .where(event_log.c.event_id.in_([e.event_id for e in events]))).scalar()


def envelope_of(archive, event) -> dict:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(event_log.c.envelope).where(event_log.c.event_id == event.event_id)).scalar()


def test_event_of_a_purged_campaign_arriving_later_is_kept_redacted_and_sealed_without_a_key(archive):
    campaign_id = f"late-{uuid.uuid4().hex[:8]}"
    first = submitted(campaign_id=campaign_id)
    through_kafka(archive, [first, purge_requested(campaign_id)])
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(purges.c.purged_at).where(purges.c.campaign_id == campaign_id)).scalar()
    assert envelope_of(archive, first)["payload"]["person"]["phone"] == ""

    late = submitted(campaign_id=campaign_id)  # never read before: a replay under a new consumer group
    withdrawn = new_event("nomination.withdrawn", first.key, {  # names the campaign only through its nomination
        "nomination_id": first.key, "campaign_id": campaign_id, "by": "applicant", "reason": "个人原因"},
        producer="intake")
    assert late.payload["person"]["phone"] and late.payload["contact"]["email"]
    through_kafka(archive, [late, withdrawn])

    kept = envelope_of(archive, late)["payload"]
    assert kept["person"]["phone"] == kept["person"]["email"] == kept["person"]["address"] == ""
    assert kept["contact"]["email"] == kept["contact"]["phone"] == ""
    assert (kept["nominee_name"], kept["deeds"]) == (late.payload["nominee_name"], late.payload["deeds"])
    assert seal_due(archive, max_age=timedelta(0)) >= 1
    lines = [line for line in sealed_lines(archive) if line["event_id"] == late.event_id]
    assert len(lines) == 1 and lines[0]["sealed"] is None and lines[0]["public"]["payload"]["person"]["phone"] == ""
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(campaign_keys)
                            .where(campaign_keys.c.campaign_id == campaign_id)).scalar() == 0


def test_event_of_a_campaign_not_purged_is_kept_whole(archive):
    other = submitted(campaign_id=f"late-{uuid.uuid4().hex[:8]}")
    through_kafka(archive, [other, purge_requested(f"late-{uuid.uuid4().hex[:8]}")])
    assert envelope_of(archive, other)["payload"]["person"]["phone"] == other.payload["person"]["phone"]


def sealed_lines(archive) -> list[dict]:
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(segments)).all()
    return [line for row in rows for line in segment_lines(archive.store.get_version(row.segment_key, row.segment_version))]
