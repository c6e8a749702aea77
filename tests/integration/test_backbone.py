"""The event backbone on the real Kafka and PostgreSQL: outbox -> relay -> Kafka -> consumer + inbox,
through broker crashes, consumer crashes and relay crashes."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from confluent_kafka import Consumer

from shared.config import Settings
from shared.db import make_engine
from shared.events.topics import DEADLETTER
from shared.messaging.outbox import add_to_outbox, pending_rows
from shared.messaging.relay import publish, relay_once, run_relay
from shared.messaging.producer import make_producer
from tests.integration import messaging_harness as harness
from tests.integration.messaging_harness import (effects_by_key, in_thread, scratch, total_effects,  # noqa: F401
                                                 unique_keys, write_events)
from tests.stack import REPO, kill_server, start_server, wait_until

pytestmark = pytest.mark.integration


def test_event_written_to_one_outbox_is_handled_by_another_services_consumer(stack):
    from services.archive.bootstrap import bootstrap as archive_bootstrap
    from services.archive.entrypoints.consumer import TOPICS, handlers
    from services.archive.service_layer.handlers import events_for_key
    from shared.db import make_session_factory
    from shared.events import new_event
    from shared.messaging.consumer import ConsumerRunner
    from sqlalchemy.orm import Session

    intake = Settings.from_env("intake", stack)
    archive = Settings.from_env("archive", stack)
    nomination_id = str(uuid.uuid4())
    event = new_event("nomination.withdrawn", nomination_id,
                      {"nomination_id": nomination_id, "campaign_id": "c-test", "by": "applicant", "reason": "test"},
                      producer="intake")
    intake_engine = make_engine(intake.database_url)
    with Session(intake_engine) as session, session.begin():
        add_to_outbox(session, event)
    relay_stop = threading.Event()
    in_thread(lambda: run_relay(intake_engine, make_producer(intake.kafka_bootstrap), relay_stop))
    archive_sessions = make_session_factory(make_engine(archive.database_url))
    consumer = ConsumerRunner(group=f"archive-test-{uuid.uuid4().hex[:6]}", topics=TOPICS,
                              handlers=handlers(archive_bootstrap(archive)), sessions=archive_sessions, bootstrap=archive.kafka_bootstrap)
    in_thread(consumer.run)
    try:
        def recorded():
            with archive_sessions() as session:
                return events_for_key(session, nomination_id)
        wait_until(lambda: recorded(), 60, what="the archive to record the event")
        assert [e["event_id"] for e in recorded()] == [event.event_id]
        assert recorded()[0]["payload"]["reason"] == "test"
    finally:
        relay_stop.set()
        consumer.stop.set()


def test_broker_killed_while_relaying_500_events_each_is_handled_once_in_order(scratch):
    url, engine, bootstrap = scratch
    keys = unique_keys(10)
    write_events(engine, keys, per_key=50)
    relay_stop = threading.Event()
    in_thread(lambda: run_relay(engine, make_producer(bootstrap, client_id="test-relay"), relay_stop))
    consumer = harness.runner(f"g-{keys[0]}", url, bootstrap, delay=0.002)
    in_thread(consumer.run)
    try:
        wait_until(lambda: total_effects(engine, keys) >= 60, 60, what="the first events to be handled")
        kill_server("kafka")
        start_server("kafka")
        wait_until(lambda: total_effects(engine, keys) >= 500, 180, interval=0.5, what="all 500 events")
        assert not pending_rows(engine, 1)
    finally:
        relay_stop.set()
        consumer.stop.set()
    seen = effects_by_key(engine, keys)
    assert {key: len(seqs) for key, seqs in seen.items()} == {key: 50 for key in keys}
    assert all(seqs == list(range(50)) for seqs in seen.values())


def test_consumer_killed_mid_batch_loses_nothing_and_doubles_nothing(scratch):
    url, engine, bootstrap = scratch
    keys = unique_keys(5)
    write_events(engine, keys, per_key=100)
    assert relay_once(engine, make_producer(bootstrap), batch=1000) == 500
    group = f"g-{keys[0]}"
    command = [sys.executable, "-m", "tests.integration.messaging_harness", group, url, "0.01"]
    first = subprocess.Popen(command, cwd=REPO)
    try:
        wait_until(lambda: total_effects(engine, keys) >= 100, 60, what="the consumer to be mid-batch")
        first.kill()
        first.wait(10)
        done_before_restart = total_effects(engine, keys)
        assert 100 <= done_before_restart < 500
        second = subprocess.Popen(command[:-1], cwd=REPO)
        wait_until(lambda: total_effects(engine, keys) >= 500, 120, interval=0.5, what="all 500 events")
    finally:
        first.kill()
    second.terminate()
    second.wait(20)
    seen = effects_by_key(engine, keys)
    assert {key: sorted(seqs) for key, seqs in seen.items()} == {key: list(range(100)) for key in keys}


def test_relay_killed_between_publishing_and_marking_sent_duplicate_is_absorbed(scratch):
    url, engine, bootstrap = scratch
    keys = unique_keys(4)
    write_events(engine, keys, per_key=5)
    producer = make_producer(bootstrap)
    published_but_not_marked = publish(producer, pending_rows(engine, 100)).delivered
    assert len(published_but_not_marked) == 20
    assert relay_once(engine, producer) == 20  # the restarted relay sends them all again
    consumer = harness.runner(f"g-{keys[0]}", url, bootstrap)
    in_thread(consumer.run)
    try:
        wait_until(lambda: total_effects(engine, keys) >= 20, 60, what="the events")
        assert count_messages(bootstrap, harness.TOPIC, set(keys)) == 40
    finally:
        consumer.stop.set()
    with engine.connect() as conn:
        counts = dict(conn.execute(sa.select(harness.counters.c.key, harness.counters.c.n)
                                   .where(harness.counters.c.key.in_(keys))).all())
    assert counts == {key: 5 for key in keys}


def test_malformed_message_goes_to_dead_letter_with_reason_and_consumer_goes_on(scratch):
    url, engine, bootstrap = scratch
    keys = unique_keys(1)
    producer = make_producer(bootstrap)
    producer.produce(harness.TOPIC, key=keys[0], value=b"{not json")
    producer.produce(harness.TOPIC, key=keys[0], value=harness.counted_event(keys[0], 7, poison=True).to_json())
    producer.produce(harness.TOPIC, key=keys[0], value=harness.counted_event(keys[0], 1).to_json())
    producer.flush(10)
    consumer = harness.runner(f"g-{keys[0]}", url, bootstrap)
    in_thread(consumer.run)
    try:
        wait_until(lambda: total_effects(engine, keys) == 1, 60, what="the good event after the bad ones")
    finally:
        consumer.stop.set()
    reasons = dead_letter_reasons(bootstrap, keys[0])
    assert len(reasons) == 2
    assert any(reason.startswith("not JSON") for reason in reasons)
    assert any("poison pill" in reason for reason in reasons)


def consume_all(bootstrap: str, topic: str, timeout: float = 15.0) -> list:
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{uuid.uuid4().hex}",
                       "auto.offset.reset": "earliest", "enable.auto.commit": False, "enable.partition.eof": True})
    reader.subscribe([topic])
    messages, idle_since = [], None
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        message = reader.poll(0.5)
        if message is None:
            if messages and idle_since and time.monotonic() - idle_since > 2:
                break
            idle_since = idle_since or time.monotonic()
            continue
        if message.error():
            continue
        idle_since = None
        messages.append(message)
    reader.close()
    return messages


def count_messages(bootstrap: str, topic: str, keys: set[str]) -> int:
    return sum(1 for m in consume_all(bootstrap, topic) if m.key() and m.key().decode() in keys)


def dead_letter_reasons(bootstrap: str, key: str) -> list[str]:
    reasons = []
    for message in consume_all(bootstrap, DEADLETTER):
        if message.key() and message.key().decode() == key:
            reasons.append(dict(message.headers())["reason"].decode())
    return reasons


def test_dead_letters_of_a_group_are_replayed_once_the_cause_is_fixed(scratch):
    from shared.messaging.consumer import ConsumerRunner
    from shared.messaging.replay import dead_letters, replay

    url, engine, bootstrap = scratch
    keys = unique_keys(1)
    group = f"g-{keys[0]}"
    producer = make_producer(bootstrap)
    producer.produce(harness.TOPIC, key=keys[0], value=harness.counted_event(keys[0], 3).to_json())
    producer.flush(10)

    def broken(session, event):  # the group also reads earlier tests' events: only ours fails
        if event.key in keys:
            raise RuntimeError("table missing (a deployment mistake)")

    failing = ConsumerRunner(group=group, topics=[harness.TOPIC], handlers={"test.counted": broken},
                             sessions=harness.runner(group, url, bootstrap).sessions, bootstrap=bootstrap)
    in_thread(failing.run)

    def ours(timeout: float = 10.0):  # the group also dead-letters earlier tests' malformed messages
        return [letter for letter in dead_letters(bootstrap, group, timeout=timeout) if letter.key == keys[0].encode()]

    try:
        wait_until(lambda: len(ours(timeout=2)) == 1, 60, what="the dead letter")
    finally:
        failing.stop.set()
    letters = ours()
    assert letters[0].event_type == "test.counted" and "table missing" in letters[0].reason
    fixed = harness.runner(group, url, bootstrap)
    in_thread(fixed.run)
    try:
        assert replay(bootstrap, letters) == 1
        wait_until(lambda: total_effects(engine, keys) == 1, 60, what="the replayed event to be applied")
        assert replay(bootstrap, ours()) == 1  # replaying again changes nothing
        time.sleep(2)
        assert total_effects(engine, keys) == 1
    finally:
        fixed.stop.set()
