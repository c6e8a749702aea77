"""Replaying dead letters: once the cause is fixed (a missing table, a bug), the messages a consumer group
dead-lettered go back to their source topic, where the group reads them again. Safe to repeat: the
group's inbox ignores what it already applied.

    python -m shared.messaging.replay GROUP [--type EVENT_TYPE] [--dry-run]
"""
from __future__ import annotations

import argparse
import uuid
from dataclasses import dataclass

from confluent_kafka import Consumer, TopicPartition

from shared.config import Settings
from shared.events.topics import DEADLETTER
from shared.messaging.producer import make_producer


@dataclass(frozen=True)
class DeadLetter:
    key: bytes | None
    value: bytes
    source_topic: str
    reason: str
    event_type: str | None


def dead_letters(bootstrap: str, group: str, event_type: str | None = None, timeout: float = 10.0) -> list[DeadLetter]:
    """Every message `group` dead-lettered (optionally only of one event type), oldest first."""
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"replay-{uuid.uuid4().hex}",
                       "enable.auto.commit": False})
    partitions = reader.list_topics(DEADLETTER, timeout=timeout).topics[DEADLETTER].partitions
    ends = {p: reader.get_watermark_offsets(TopicPartition(DEADLETTER, p), timeout=timeout)[1] for p in partitions}
    reader.assign([TopicPartition(DEADLETTER, p, 0) for p in partitions])
    found, remaining = [], {p for p, end in ends.items() if end > 0}
    while remaining:
        message = reader.poll(timeout)
        if message is None:
            break
        if message.error():
            continue
        if message.offset() >= ends[message.partition()] - 1:
            remaining.discard(message.partition())
        letter = _letter(message)
        if letter.source_topic and _header(message, "consumer_group") == group and \
                (event_type is None or letter.event_type == event_type):
            found.append(letter)
    reader.close()
    return found


def replay(bootstrap: str, letters: list[DeadLetter]) -> int:
    producer = make_producer(bootstrap, client_id="replay")
    for letter in letters:
        producer.produce(letter.source_topic, key=letter.key, value=letter.value)
    if producer.flush(30):
        raise RuntimeError("Kafka did not confirm every replayed message")
    return len(letters)


def _letter(message) -> DeadLetter:
    reason = _header(message, "reason") or ""
    return DeadLetter(key=message.key(), value=message.value() or b"", source_topic=_header(message, "source_topic"),
                      reason=reason, event_type=reason.split(":", 1)[0] if ":" in reason else None)


def _header(message, name: str) -> str | None:
    for key, value in message.headers() or []:
        if key == name:
            return value.decode(errors="replace")
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description="Send a consumer group's dead letters back to their topics.")
    parser.add_argument("group")
    parser.add_argument("--type", dest="event_type")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    bootstrap = Settings.from_env("archive").kafka_bootstrap
    letters = dead_letters(bootstrap, args.group, args.event_type)
    for letter in letters:
        print(f"{letter.source_topic}\t{letter.reason[:160]}")
    if not args.dry_run:
        print(f"replayed {replay(bootstrap, letters)} message(s)")


if __name__ == "__main__":
    main()
