"""Scaling out on one machine, on the real Kafka and PostgreSQL: three consumers of one group share the
partitions, and when one is killed mid-batch the others take its partitions; two relays, one publishing
and one standing by, and the second takes over when the first is killed. Nothing lost, nothing doubled."""
from __future__ import annotations

import pytest

from shared.messaging.producer import make_producer
from shared.messaging.relay import relay_once
from tests.integration.messaging_harness import (effects_by_key, fresh_topic, scratch, total_effects,  # noqa: F401
                                                 unique_keys, write_events)
from tests.integration.test_backbone import consume_all
from tests.integration.test_graceful_stops import sent_rows, start
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def test_three_consumers_of_a_group_share_the_partitions_and_take_over_from_one_killed_mid_batch(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap, partitions=6)
    keys = unique_keys(12)
    write_events(engine, keys, per_key=50, topic=topic)
    assert relay_once(engine, make_producer(bootstrap), batch=1000) == 600
    group = f"g-{keys[0]}"
    members = [start(group, url, "0.02", topic) for _ in range(3)]
    try:
        wait_until(lambda: total_effects(engine, keys) >= 150, 90, what="the group to be mid-batch")
        members[0].kill()
        members[0].wait(10)
        assert total_effects(engine, keys) < 600
        wait_until(lambda: total_effects(engine, keys) >= 600, 120, interval=0.5, what="all 600 events")
        assert all(member.poll() is None for member in members[1:])
    finally:
        for member in members:
            member.kill()
    assert {key: sorted(seqs) for key, seqs in effects_by_key(engine, keys).items()} == \
        {key: list(range(50)) for key in keys}


# Enough rows that the first relay is still publishing when it is killed (2,000 it once sent all before the kill).
ROWS = 10_000


def test_two_relays_one_publishes_and_the_other_takes_over_when_it_is_killed(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    keys = unique_keys(10)
    write_events(engine, keys, per_key=ROWS // 10, topic=topic)
    first = start("--relay", url)
    second = None
    try:
        wait_until(lambda: sent_rows(engine) > 0, 60, what="the first relay to publish")
        second = start("--relay", url)
        wait_until(lambda: sent_rows(engine) >= 600, 60, what="more rows")
        first.kill()
        first.wait(10)
        assert sent_rows(engine) < ROWS
        wait_until(lambda: sent_rows(engine) == ROWS, 120, interval=0.5, what="the standby to send the rest")
    finally:
        first.kill()
        if second:
            second.kill()
    event_ids = [dict(message.headers())["event_id"] for message in consume_all(bootstrap, topic, timeout=60)]
    assert len(set(event_ids)) == ROWS  # nothing lost (a row sent just before the kill may be sent again)
    assert len(event_ids) - ROWS <= 100  # at most the batch in flight when the first was killed
