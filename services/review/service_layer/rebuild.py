"""Rebuilding the read model from the topics: empty the tables built from intake's events, read the
nominations topic from offset 0 to its current end and apply each event again (review's own records stay:
a version already seen changes nothing there). Run with the review consumer stopped."""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa
from confluent_kafka import Consumer, TopicPartition

from services.review.adapters.orm import file_replacements, nomination_versions, nominations, scan_findings
from services.review.service_layer.handlers import READ_MODEL_TYPES, make_handlers
from shared.events import InvalidEvent, parse_event
from shared.events.topics import NOMINATIONS
from shared.messaging.consumer import ConsumerRunner

if TYPE_CHECKING:
    from services.review.bootstrap import Review


def rebuild_read_model(review: "Review", timeout: float = 10.0) -> int:
    """Returns how many events were applied."""
    with review.sessions.begin() as session:
        session.execute(sa.text(f"TRUNCATE {nominations.name}, {nomination_versions.name}, {scan_findings.name}, "
                                f"{file_replacements.name}"))
    handlers = {name: handler for name, handler in make_handlers(review).items() if name in READ_MODEL_TYPES}
    runner = ConsumerRunner(group=f"review-rebuild-{uuid.uuid4().hex[:8]}", topics=[NOMINATIONS], handlers=handlers,
                            sessions=review.sessions, bootstrap=review.settings.kafka_bootstrap)
    reader = Consumer({"bootstrap.servers": review.settings.kafka_bootstrap, "group.id": runner.group,
                       "enable.auto.commit": False})
    try:
        return _replay(reader, runner, handlers, timeout)
    finally:
        reader.close()


def _replay(reader: Consumer, runner: ConsumerRunner, handlers: dict, timeout: float) -> int:
    partitions = reader.list_topics(NOMINATIONS, timeout=timeout).topics[NOMINATIONS].partitions
    ends = {p: reader.get_watermark_offsets(TopicPartition(NOMINATIONS, p), timeout=timeout)[1] for p in partitions}
    waiting = {p for p, end in ends.items() if end > 0}
    reader.assign([TopicPartition(NOMINATIONS, p, 0) for p in partitions])
    applied = 0
    while waiting:
        message = reader.poll(timeout)
        if message is None:
            raise TimeoutError(f"topic {NOMINATIONS} stopped answering before its end")
        if message.error():
            continue
        if message.offset() >= ends[message.partition()] - 1:
            waiting.discard(message.partition())
        if message.offset() < ends[message.partition()]:
            applied += _apply(runner, handlers, message.value())
    return applied


def _apply(runner: ConsumerRunner, handlers: dict, value: bytes | None) -> int:
    """Applies one message; what cannot be read was dead-lettered by the live consumer already."""
    try:
        event = parse_event(value)
    except InvalidEvent:
        return 0
    handler = handlers.get(event.type)
    return int(handler is not None and runner.apply(event, handler))
