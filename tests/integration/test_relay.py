"""The relay on the real Kafka and PostgreSQL never stops on one row: what the broker refuses for good is
parked with its reason, shown in /readyz and /metrics, and the rows after it flow on in order."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from confluent_kafka.admin import AdminClient, NewTopic
from flask import Flask

from shared.messaging.outbox import parked_rows, pending_rows, unpark
from shared.messaging.producer import make_producer
from shared.messaging.relay import run_relay
from shared.web import register_ops
from tests.integration import messaging_harness as harness
from tests.integration.messaging_harness import (counted_event, effects_by_key, in_thread, scratch,  # noqa: F401
                                                 unique_keys, write_outbox)
from tests.stack import wait_until

pytestmark = pytest.mark.integration
MEGABYTE = 1024 * 1024


def start_relay(engine, bootstrap: str, **producer_options) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    producer = make_producer(bootstrap, client_id="test-relay", **producer_options)
    return in_thread(lambda: run_relay(engine, producer, stop)), stop


def create_small_topic(bootstrap: str) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    if harness.SMALL_TOPIC in admin.list_topics(timeout=10).topics:
        return
    futures = admin.create_topics([NewTopic(harness.SMALL_TOPIC, num_partitions=1, replication_factor=1,
                                            config={"max.message.bytes": "2000"})])
    futures[harness.SMALL_TOPIC].result(30)


def ops_app(engine) -> Flask:
    app = Flask("services.scratch")
    register_ops(app, {}, outbox=engine)
    return app


def test_relay_parks_an_event_too_large_for_kafka_and_the_rows_after_it_arrive(scratch):
    url, engine, bootstrap = scratch
    [key] = unique_keys(1)
    huge = counted_event(key, 99, note="长" * (MEGABYTE // 3 + 50_000))  # 1.1 MB of UTF-8
    write_outbox(engine, counted_event(key, 0), huge, *[counted_event(key, seq) for seq in (1, 2, 3)])
    relay, stop = start_relay(engine, bootstrap)
    consumer = harness.runner(f"g-{key}", url, bootstrap)
    in_thread(consumer.run)
    try:
        wait_until(lambda: effects_by_key(engine, [key])[key] == [0, 1, 2, 3], 60, what="the rows after the huge one")
        assert relay.is_alive()
    finally:
        stop.set()
        consumer.stop.set()
    [parked] = parked_rows(engine)
    assert str(parked.event_id) == huge.event_id
    assert parked.failure.startswith("MSG_SIZE_TOO_LARGE")
    assert not pending_rows(engine, 10)


def test_relay_parks_what_the_broker_refuses_and_an_unknown_topic_and_goes_on(scratch):
    url, engine, bootstrap = scratch
    create_small_topic(bootstrap)
    [key] = unique_keys(1)
    refused = counted_event(key, 98, note="x" * 5000, type="test.limited")
    lost = counted_event(key, 97, type="test.lost")
    write_outbox(engine, counted_event(key, 0, type="test.limited"), refused, lost,
                 counted_event(key, 1, type="test.limited"))
    relay, stop = start_relay(engine, bootstrap, **{"topic.metadata.propagation.max.ms": 3000})
    consumer = harness.runner(f"g-{key}", url, bootstrap, topics=(harness.SMALL_TOPIC,))
    in_thread(consumer.run)
    try:
        wait_until(lambda: effects_by_key(engine, [key])[key] == [0, 1], 180, what="the good rows")
        wait_until(lambda: len(parked_rows(engine)) == 2, 30, what="both bad rows to be parked")
        assert relay.is_alive()
    finally:
        stop.set()
        consumer.stop.set()
    reasons = {str(row.event_id): row.failure for row in parked_rows(engine)}
    assert reasons[refused.event_id].startswith("MSG_SIZE_TOO_LARGE")
    assert "UNKNOWN_TOPIC" in reasons[lost.event_id]


def test_parked_rows_show_in_readyz_and_metrics_and_go_out_once_unparked(scratch):
    url, engine, bootstrap = scratch
    [key] = unique_keys(1)
    huge = counted_event(key, 99, note="x" * (MEGABYTE + 100_000))
    write_outbox(engine, huge, counted_event(key, 0))
    relay, stop = start_relay(engine, bootstrap)
    try:
        wait_until(lambda: len(parked_rows(engine)) == 1 and not pending_rows(engine, 1), 60, what="the parked row")
        client = ops_app(engine).test_client()
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json["status"] == "degraded"
        assert ready.json["dependencies"]["outbox"]["parked"] == 1
        assert "tuiju_outbox_parked 1.0" in client.get("/metrics").text
        with engine.begin() as conn:  # the operator shortens the note, then sends the row again
            conn.execute(sa.text("UPDATE outbox SET envelope = jsonb_set(envelope, '{payload,note}', '\"ok\"')"))
        assert unpark(engine) == 1
        wait_until(lambda: not parked_rows(engine) and not pending_rows(engine, 1), 30, what="the row to go out")
        assert client.get("/readyz").json["status"] == "ready"
        assert "tuiju_outbox_parked 0.0" in client.get("/metrics").text
    finally:
        stop.set()
