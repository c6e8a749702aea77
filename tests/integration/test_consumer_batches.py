"""A consumer behind its topic applies what it has fetched in small batches (one transaction each), on the
real Kafka and PostgreSQL: every event once, in order per key; a poison pill or an unreadable message in a
batch undoes that batch, whose messages are then handled one by one (the pill dead-lettered, the rest
applied once)."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from shared.messaging.consumer import BATCH
from shared.messaging.producer import make_producer
from tests.integration import messaging_harness as harness
from tests.integration.messaging_harness import (counted_event, effects_by_key, fresh_topic, in_thread, scratch,  # noqa: F401
                                                 unique_keys)
from tests.integration.test_backbone import dead_letter_reasons
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def backlog(bootstrap: str, topic: str, keys: list[str], per_key: int, poison: tuple[str, int] | None = None,
            garbage_after: int | None = None) -> None:
    producer = make_producer(bootstrap)
    for seq in range(per_key):
        for key in keys:
            event = counted_event(key, seq, poison=(key, seq) == poison)
            producer.produce(topic, key=key, value=event.to_json())
        if seq == garbage_after:
            producer.produce(topic, key=keys[0], value=b"{not json")
    assert producer.flush(10) == 0


def transactions(engine, group: str) -> int:
    """Distinct transaction start times of the group's inbox rows: one per transaction that applied events."""
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(DISTINCT handled_at) FROM inbox WHERE consumer_group = :g"),
                            {"g": group}).scalar()


def repeats(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(harness.repeats)).scalar()


def consume(url: str, bootstrap: str, topic: str):
    group = f"g-{uuid.uuid4().hex[:6]}"
    consumer = harness.runner(group, url, bootstrap, topics=(topic,))
    in_thread(consumer.run)
    return group, consumer


def test_a_backlog_is_applied_in_batches_once_and_in_order(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    keys = unique_keys(4)
    backlog(bootstrap, topic, keys, per_key=50)
    group, consumer = consume(url, bootstrap, topic)
    try:
        wait_until(lambda: sum(map(len, effects_by_key(engine, keys).values())) == 200, 60, what="the backlog")
    finally:
        consumer.stop.set()
    assert effects_by_key(engine, keys) == {key: list(range(50)) for key in keys}
    assert 200 // BATCH <= transactions(engine, group) < 200 // 2  # batches, not one transaction per event
    assert repeats(engine) == 0


def test_a_poison_pill_in_a_batch_is_dead_lettered_and_the_rest_applied_once(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap, partitions=1)
    keys = unique_keys(2)
    backlog(bootstrap, topic, keys, per_key=10, poison=(keys[1], 4), garbage_after=6)
    group, consumer = consume(url, bootstrap, topic)
    try:
        wait_until(lambda: effects_by_key(engine, keys) == {keys[0]: list(range(10)),
                                                           keys[1]: [s for s in range(10) if s != 4]}, 60,
                   what="every event but the pill")
        wait_until(lambda: len(dead_letter_reasons(bootstrap, keys[1])) == 1, 30, what="the pill's dead letter")
    finally:
        consumer.stop.set()
    assert "poison pill" in dead_letter_reasons(bootstrap, keys[1])[0]
    assert len(dead_letter_reasons(bootstrap, keys[0])) == 1  # the unreadable message, under its key
    assert repeats(engine) == 0
