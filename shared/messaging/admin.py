"""Creating the project's topics with their partition counts, replicas and min.insync.replicas (never by
auto-creation), and telling what an existing topic lacks."""
from __future__ import annotations

import time
from dataclasses import dataclass

from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewTopic,
                                   ResourceType)

from shared.events.topics import PARTITIONS

MIN_INSYNC = "min.insync.replicas"


@dataclass(frozen=True)
class Durability:
    """How many brokers hold each partition, and how many must have a write before the producer's acks=all
    is answered (a broker down then costs neither a write nor an acknowledged event)."""
    replication_factor: int = 1
    min_insync_replicas: int = 1

    @classmethod
    def from_settings(cls, settings) -> "Durability":
        return cls(settings.kafka_replication_factor, settings.kafka_min_insync_replicas)


def ensure_topics(bootstrap: str, partitions: dict[str, int] | None = None, durability: Durability = Durability(),
                  timeout: float = 30) -> list[str]:
    """Create the missing topics; give existing ones the configured min.insync.replicas. Returns those created."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    wanted = partitions or PARTITIONS
    existing = set(admin.list_topics(timeout=timeout).topics)
    config = {MIN_INSYNC: str(durability.min_insync_replicas)}
    missing = [NewTopic(name, num_partitions=n, replication_factor=durability.replication_factor, config=config)
               for name, n in wanted.items() if name not in existing]
    for name, future in (admin.create_topics(missing, operation_timeout=timeout).items() if missing else ()):
        try:
            future.result()
        except Exception as error:  # created meanwhile by another process
            if "TOPIC_ALREADY_EXISTS" not in str(error):
                raise
    _await_leaders(admin, [topic.topic for topic in missing], timeout)
    _align_min_insync(admin, [name for name in wanted if name in existing], durability, timeout)
    return [topic.topic for topic in missing]


def _await_leaders(admin: AdminClient, topics: list[str], timeout: float) -> None:
    """A created topic is usable once every partition has a leader in the cluster's metadata (creation is
    answered by the controller before the brokers learn of it)."""
    deadline = time.monotonic() + timeout
    while topics and time.monotonic() < deadline:
        known = admin.list_topics(timeout=timeout).topics
        if all(name in known and known[name].partitions and not known[name].error
               and all(p.leader >= 0 for p in known[name].partitions.values()) for name in topics):
            return
        time.sleep(0.2)


def _align_min_insync(admin: AdminClient, topics: list[str], durability: Durability, timeout: float) -> None:
    value = str(durability.min_insync_replicas)
    stale = [name for name, configs in topic_configs(admin, topics, timeout).items()
             if configs.get(MIN_INSYNC) != value]
    if not stale:
        return
    resources = [ConfigResource(ResourceType.TOPIC, name, incremental_configs=[
        ConfigEntry(MIN_INSYNC, value, incremental_operation=AlterConfigOpType.SET)]) for name in stale]
    for future in admin.incremental_alter_configs(resources, request_timeout=timeout).values():
        future.result()


def topic_configs(admin: AdminClient, topics: list[str], timeout: float = 30) -> dict[str, dict[str, str]]:
    if not topics:
        return {}
    futures = admin.describe_configs([ConfigResource(ResourceType.TOPIC, name) for name in topics],
                                     request_timeout=timeout)
    return {resource.name: {key: entry.value for key, entry in future.result().items()}
            for resource, future in futures.items()}


def replication_shortfalls(bootstrap: str, durability: Durability, topics: list[str] | None = None,
                           timeout: float = 30) -> list[str]:
    """Topics with fewer replicas than configured (created before the setting changed: Kafka does not add
    replicas by itself; the runbook says how to reassign them)."""
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=timeout)
    names = topics or list(PARTITIONS)
    return [f"{name}: {len(partition.replicas)} replica(s), {durability.replication_factor} configured"
            for name in names if name in metadata.topics
            for partition in list(metadata.topics[name].partitions.values())[:1]
            if len(partition.replicas) < durability.replication_factor]


def kafka_answers(bootstrap: str, timeout: float = 3) -> bool:
    admin = AdminClient({"bootstrap.servers": bootstrap, "socket.connection.setup.timeout.ms": int(timeout * 1000)})
    admin.list_topics(timeout=timeout)
    return True
