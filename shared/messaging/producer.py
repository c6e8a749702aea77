"""The Kafka producer settings every service uses: idempotent, acks=all, ordered per key."""
from __future__ import annotations

from confluent_kafka import Producer


def make_producer(bootstrap: str, **overrides) -> Producer:
    config = {
        "bootstrap.servers": bootstrap,
        "acks": "all",
        "enable.idempotence": True,
        "linger.ms": 5,
        # Keep retrying through a broker restart rather than failing a delivery.
        "message.timeout.ms": 300_000,
        "client.id": overrides.pop("client_id", "tuiju"),
    }
    config.update(overrides)
    return Producer(config)

