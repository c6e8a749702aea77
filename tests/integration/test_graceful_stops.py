"""SIGTERM under load, on the real Kafka and PostgreSQL: a consumer finishes the message in hand and commits,
so the member after it reads nothing twice; a relay finishes its batch and marks it sent, so the relay after
it publishes nothing twice. Nothing lost, nothing doubled."""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from shared.messaging.relay import relay_once
from shared.messaging.producer import make_producer
from tests.integration import messaging_harness as harness
from tests.integration.messaging_harness import (effects_by_key, fresh_topic, scratch, total_effects,  # noqa: F401
                                                 unique_keys, write_events)
from tests.integration.test_backbone import consume_all
from tests.stack import REPO, wait_until

pytestmark = pytest.mark.integration


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.integration.messaging_harness", *args], cwd=REPO)


def terminate(process: subprocess.Popen, timeout: float = 30) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout)


def repeats(engine, keys) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(harness.repeats)
                            .where(harness.repeats.c.key.in_(keys))).scalar()


def sent_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")).scalar()


def test_consumer_stopped_by_sigterm_mid_batch_commits_and_the_next_member_reads_nothing_twice(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    keys = unique_keys(5)
    write_events(engine, keys, per_key=60, topic=topic)
    assert relay_once(engine, make_producer(bootstrap), batch=1000) == 300
    group = f"g-{keys[0]}"
    first = start(group, url, "0.02", topic)
    try:
        wait_until(lambda: total_effects(engine, keys) >= 60, 60, what="the consumer to be mid-batch")
        assert terminate(first) == 0
    finally:
        first.kill()
    assert 60 <= total_effects(engine, keys) < 300
    second = start(group, url, "0", topic)
    try:
        wait_until(lambda: total_effects(engine, keys) >= 300, 120, interval=0.5, what="all 300 events")
        assert terminate(second) == 0
    finally:
        second.kill()
    assert {key: sorted(seqs) for key, seqs in effects_by_key(engine, keys).items()} == {key: list(range(60)) for key in keys}
    assert repeats(engine, keys) == 0


def test_relay_stopped_by_sigterm_mid_stream_marks_what_it_sent_and_the_next_relay_sends_nothing_twice(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    keys = unique_keys(10)
    write_events(engine, keys, per_key=300, topic=topic)
    first = start("--relay", url)
    try:
        wait_until(lambda: sent_rows(engine) >= 300, 60, what="the relay to be publishing")
        assert terminate(first) == 0
    finally:
        first.kill()
    marked = sent_rows(engine)
    assert 300 <= marked < 3000
    assert len(consume_all(bootstrap, topic)) == marked  # everything it published is marked sent
    second = start("--relay", url)
    try:
        wait_until(lambda: sent_rows(engine) == 3000, 120, interval=0.5, what="every row to be sent")
        assert terminate(second) == 0
    finally:
        second.kill()
    published = [(m.key().decode(), m.headers()) for m in consume_all(bootstrap, topic, timeout=60)]
    assert len(published) == 3000
    assert len({dict(headers)["event_id"] for _, headers in published}) == 3000
