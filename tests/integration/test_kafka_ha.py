"""Durability on three real brokers (the devstack's optional kafka-ha1..3, one KRaft cluster): topics made by
the project's setup from its settings have 3 replicas and min.insync.replicas 2, and so have the brokers'
internal topics; the broker leading a partition is killed (SIGKILL) while the real relay publishes a stream
of events, and every event arrives once, in order per key. (The killed broker stays down: the module's
end stops the other two.)"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from devstack.servers import kafka_ha
from shared.config import Settings
from shared.events.topics import PARTITIONS
from shared.messaging.admin import Durability, ensure_topics, topic_configs
from tests.integration.messaging_harness import effects_by_key, scratch, total_effects, unique_keys, write_events  # noqa: F401
from tests.integration.test_graceful_stops import sent_rows
from tests.stack import PROFILE, REPO, devstack, kill_server, wait_until

pytestmark = pytest.mark.integration
NODES = [kafka_ha.name_of(node) for node in kafka_ha.NODES]
KEYS, PER_KEY = 20, 100


@pytest.fixture(scope="module")
def brokers(stack):
    devstack("up", *NODES)
    env = {**stack, **kafka_ha.env(PROFILE)}
    admin = AdminClient({"bootstrap.servers": env["TUIJU_KAFKA_BOOTSTRAP"]})
    wait_until(lambda: len(admin.list_topics(timeout=5).brokers) == 3, 60, what="three brokers in the cluster")
    yield env
    devstack("stop", *NODES)


def harness_process(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.integration.messaging_harness", *args], cwd=REPO,
                            env={**os.environ, **env})


def replicas_of(bootstrap: str, topic: str) -> set[int]:
    partitions = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10).topics[topic].partitions
    return {len(partition.replicas) for partition in partitions.values()}


def leader_of(bootstrap: str, topic: str, partition: int) -> int:
    return AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10).topics[topic].partitions[partition].leader


def test_setup_makes_every_topic_with_the_configured_replicas_and_min_insync(brokers):
    settings = Settings.from_env("archive", brokers)
    durability = Durability.from_settings(settings)
    assert durability == Durability(3, 2)
    ensure_topics(settings.kafka_bootstrap, durability=durability)
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    described = {}  # every broker's metadata cache learns of new topics a moment after the controller
    wait_until(lambda: described.update(_described(admin)) or described, 30, what="the topics' configs")
    for topic, configs in described.items():
        assert configs["min.insync.replicas"] == "2", topic
        assert replicas_of(settings.kafka_bootstrap, topic) == {3}, topic


def _described(admin: AdminClient) -> dict:
    try:
        return topic_configs(admin, list(PARTITIONS))
    except KafkaException:
        return {}


def test_a_broker_killed_under_load_through_the_relay_loses_no_event(brokers, scratch):
    url, engine, _ = scratch
    bootstrap = brokers["TUIJU_KAFKA_BOOTSTRAP"]
    topic = f"test-ha-{uuid.uuid4().hex[:8]}"
    ensure_topics(bootstrap, {topic: 6}, durability=Durability(3, 2))
    keys = unique_keys(KEYS)
    group = f"g-{keys[0]}"
    relay = harness_process(brokers, "--relay", url)
    consumer = harness_process(brokers, group, url, "0", topic)
    broker_down = threading.Event()
    writer = threading.Thread(target=write_slowly, args=(engine, keys, topic, broker_down), daemon=True)
    killed = None
    try:
        writer.start()
        wait_until(lambda: total_effects(engine, keys) >= KEYS * PER_KEY // 4, 120, what="a quarter consumed")
        killed = leader_of(bootstrap, topic, 0)
        kill_server(kafka_ha.name_of(killed))
        broker_down.set()  # the second half of the outbox is written while the broker is away
        assert "__consumer_offsets" in AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10).topics
        writer.join(180)
        wait_until(lambda: sent_rows(engine) == KEYS * PER_KEY, 180, interval=0.5, what="the relay to send all")
        wait_until(lambda: total_effects(engine, keys) >= KEYS * PER_KEY, 180, interval=0.5, what="every event")
        assert leader_of(bootstrap, topic, 0) not in (killed, -1)
        assert relay.poll() is None and consumer.poll() is None
    finally:
        for process in (relay, consumer):
            process.kill()
            process.wait(10)
    assert effects_by_key(engine, keys) == {key: list(range(PER_KEY)) for key in keys}
    assert replicas_of(bootstrap, "__consumer_offsets") == {3}


def write_slowly(engine, keys: list[str], topic: str, broker_down: threading.Event) -> None:
    """The outbox grows while the relay runs: 50 rounds of 2 events per key, 0.3 s apart, the second 25 only
    once a broker is down (however slowly the first were consumed on a busy machine)."""
    for first in range(0, PER_KEY, 2):
        if first == PER_KEY // 2:
            broker_down.wait(300)
        write_events(engine, keys, per_key=2, topic=topic, first=first)
        time.sleep(0.3)
