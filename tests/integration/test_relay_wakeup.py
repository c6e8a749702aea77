"""The relay wakes when outbox rows commit (PostgreSQL LISTEN/NOTIFY) instead of waiting for its next
poll, keeps a slow poll for rows written without a notification, and listens again when its listening
connection is lost. Each relay here polls only every minute, so a row that arrives within seconds was
sent because the relay heard of its commit."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.messaging.outbox import OUTBOX, add_to_outbox
from shared.messaging.producer import make_producer
from shared.messaging.relay import Relay
from shared.messaging.wakeup import CHANNEL
from tests.integration import messaging_harness as harness
from tests.integration.messaging_harness import (counted_event, effects_by_key, fresh_topic, in_thread, scratch,  # noqa: F401
                                                 unique_keys, write_outbox)
from tests.stack import wait_until

pytestmark = pytest.mark.integration
SLOW_POLL = 60.0


@pytest.fixture()
def relayed(scratch):
    """The scratch service with a relay polling once a minute and a consumer of a topic of its own."""
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    relay_stop = threading.Event()
    relay = Relay(engine, lambda: make_producer(bootstrap, client_id="wakeup-relay"), idle=SLOW_POLL)
    in_thread(lambda: relay.run(relay_stop))
    consumer = harness.runner(f"g-{uuid.uuid4().hex[:6]}", url, bootstrap, topics=(topic,))
    in_thread(consumer.run)
    wait_until(lambda: listening(engine), 30, what="the relay listening")
    yield engine, topic
    relay_stop.set()
    consumer.stop.set()


def listening(engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE query = :q AND datname = current_database()"),
                                 {"q": f"LISTEN {CHANNEL}"}).scalar())


def test_a_commit_to_the_outbox_wakes_the_idle_relay(relayed):
    engine, topic = relayed
    keys = unique_keys(3)
    for seq in range(3):  # three commits, each heard
        write_outbox(engine, *[counted_event(key, seq) for key in keys], topic=topic)
        wait_until(lambda: all(len(v) == seq + 1 for v in effects_by_key(engine, keys).values()), 20,
                   what=f"commit {seq} relayed long before the relay's next poll")
    assert effects_by_key(engine, keys) == {key: [0, 1, 2] for key in keys}


def test_a_rolled_back_transaction_sends_nothing(relayed):
    engine, topic = relayed
    [key] = unique_keys(1)
    with pytest.raises(RuntimeError), Session(engine) as session, session.begin():
        add_to_outbox(session, counted_event(key, 0))
        raise RuntimeError("the use case failed")
    write_outbox(engine, counted_event(key, 1), topic=topic)
    wait_until(lambda: effects_by_key(engine, [key])[key] == [1], 20, what="the committed row only")


def test_the_relay_listens_again_after_its_connection_is_lost(relayed):
    engine, topic = relayed
    with engine.begin() as conn:
        killed = conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = :q AND datname = current_database()"),
                              {"q": f"LISTEN {CHANNEL}"}).scalars().all()
    assert killed == [True]
    [key] = unique_keys(1)
    write_outbox(engine, counted_event(key, 0), topic=topic)  # heard by no one
    wait_until(lambda: effects_by_key(engine, [key])[key] == [0], 30, what="the row, once the relay listens again")
    # The row may go out at a fallback poll a moment before the relay's new LISTEN is in place.
    wait_until(lambda: listening(engine), 30, what="the relay to listen again")
    write_outbox(engine, counted_event(key, 1), topic=topic)
    wait_until(lambda: effects_by_key(engine, [key])[key] == [0, 1], 20, what="the next row, heard")


def test_a_row_written_without_a_notification_goes_out_at_the_fallback_poll(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    [key] = unique_keys(1)
    with engine.begin() as conn:  # as a writer that bypasses add_to_outbox would
        event = counted_event(key, 0)
        conn.execute(OUTBOX.insert().values(
            event_id=event.event_id, topic=topic, key=event.key, event_type=event.type, envelope=event.as_dict()))
    stop = threading.Event()
    relay = Relay(engine, lambda: make_producer(bootstrap, client_id="polling-relay"), idle=1.0)
    in_thread(lambda: relay.run(stop))
    consumer = harness.runner(f"g-{key}", url, bootstrap, topics=(topic,))
    in_thread(consumer.run)
    try:
        wait_until(lambda: effects_by_key(engine, [key])[key] == [0], 30, what="the row at a poll")
    finally:
        stop.set()
        consumer.stop.set()
