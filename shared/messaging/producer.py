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


def produce_and_wait(producer: Producer, topic: str, value: bytes, key: str | None = None,
                     headers: list | None = None, timeout: float = 30.0) -> None:
    """Produce one message and block until the broker confirmed it (for the dead-letter topic)."""
    outcome: dict = {}
    producer.produce(topic, value=value, key=key, headers=headers,
                     on_delivery=lambda err, msg: outcome.setdefault("error", err))
    remaining = producer.flush(timeout)
    if remaining or outcome.get("error") is not None:
        raise RuntimeError(f"delivery to {topic} not confirmed: {outcome.get('error') or 'timeout'}")
