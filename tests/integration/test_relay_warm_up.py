"""A relay that takes over the outbox connects to the broker before its first batch, so that the first
events after a start or a failover do not wait for the connection and the topics' metadata (the whole
p99 of the bench's end-to-end figures, 0.5 s, before); a broker it cannot reach does not hold it back."""
from __future__ import annotations

import threading

import pytest

from shared.messaging.producer import make_producer
from shared.messaging.relay import Relay
from tests.integration.messaging_harness import in_thread, scratch  # noqa: F401
from tests.integration.test_relay_wakeup import listening
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def started_relay(engine, bootstrap: str, made: list) -> threading.Event:
    def new_producer():
        made.append(make_producer(bootstrap, client_id="warm-up-relay"))
        return made[-1]

    stop = threading.Event()
    in_thread(lambda: Relay(engine, new_producer, idle=60.0).run(stop))
    return stop


def test_the_relay_is_connected_to_the_broker_before_any_row_is_written(scratch):
    _url, engine, bootstrap = scratch
    made: list = []
    stop = started_relay(engine, bootstrap, made)
    try:
        wait_until(lambda: listening(engine), 30, what="the relay listening")
        assert len(made) == 1, "the producer is made when the relay takes over, not at its first row"
        assert made[0].list_topics(timeout=1).brokers, "and it knows the broker already"
    finally:
        stop.set()


def test_a_broker_it_cannot_reach_does_not_hold_the_relay_back(scratch):
    _url, engine, _bootstrap = scratch
    stop = started_relay(engine, "127.0.0.1:1", [])  # nothing listens on port 1
    try:
        wait_until(lambda: listening(engine), 30, what="the relay listening, the broker unreached")
    finally:
        stop.set()
