"""The consumer runner every service uses.

For each message: read and validate the event (what cannot be read goes to the dead-letter topic
with the reason); in one database transaction, record its event_id in the inbox and apply the
handler's effect (a redelivered event finds its id there and changes nothing); only then store the
offset. Transient faults (database, storage, network away) are retried with backoff until they pass;
a handler that keeps failing for another reason sends the message to the dead-letter topic."""
from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
import urllib3
from confluent_kafka import Consumer, KafkaError, Message
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, sessionmaker

from shared.db import inbox_table
from shared.events import Event, InvalidEvent, parse_event
from shared.events.topics import DEADLETTER
from shared.logs import correlated, log_fields
from shared.messaging.producer import make_producer, produce_and_wait

log = logging.getLogger(__name__)
INBOX = inbox_table(sa.MetaData())

Handler = Callable[[Session, Event], None]
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    sa.exc.OperationalError, sa.exc.InterfaceError, ConnectionError, TimeoutError, urllib3.exceptions.HTTPError,
)


class PermanentFailure(Exception):
    """A handler raises this for an event it can never apply: it goes to the dead-letter topic at once."""


@dataclass(frozen=True)
class SourcePosition:
    topic: str
    partition: int
    offset: int


def source_position(session: Session) -> SourcePosition | None:
    """Where the event being handled was read (for a handler that keeps it, like the archive)."""
    return session.info.get("source_position")


@dataclass
class ConsumerRunner:
    group: str
    topics: list[str]
    handlers: dict[str, Handler]
    sessions: sessionmaker
    bootstrap: str
    stop: threading.Event = field(default_factory=threading.Event)
    max_attempts: int = 3
    max_backoff: float = 10.0
    extra_config: dict = field(default_factory=dict)

    def run(self) -> None:
        consumer = Consumer({
            "bootstrap.servers": self.bootstrap,
            "group.id": self.group,
            "enable.auto.commit": True,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 10_000,
            **self.extra_config,
        })
        self._dlq = make_producer(self.bootstrap, client_id=f"{self.group}-dlq")
        consumer.subscribe(self.topics)
        log.info("consumer started", extra=log_fields(group=self.group, topics=self.topics))
        try:
            while not self.stop.is_set():
                message = consumer.poll(0.5)
                if message is None:
                    continue
                if message.error():
                    if message.error().code() != KafkaError._PARTITION_EOF:
                        log.warning("kafka error", extra=log_fields(error=str(message.error())))
                    continue
                if self.handle(message):
                    consumer.store_offsets(message)
        finally:
            consumer.close()
            self._dlq.flush(10)

    def handle(self, message: Message) -> bool:
        """Apply one message. Returns False only when stopping before it was applied."""
        try:
            event = parse_event(message.value())
        except InvalidEvent as error:
            self.dead_letter(message, str(error))
            return True
        handler = self.handlers.get(event.type)
        if handler is None:
            return True
        with correlated(event.correlation_id):
            return self._apply_with_retries(message, event, handler)

    def _apply_with_retries(self, message: Message, event: Event, handler: Handler) -> bool:
        failures = 0
        while True:
            try:
                self.apply(event, handler, message)
                return True
            except PermanentFailure as error:
                self.dead_letter(message, f"{event.type}: {error}")
                return True
            except TRANSIENT_ERRORS as error:
                delay = min(self.max_backoff, 0.2 * 2 ** min(failures, 8))
                log.warning("transient fault, retrying", extra=log_fields(event_id=event.event_id, error=str(error)[:300], delay=delay))
            except Exception as error:  # noqa: BLE001 - a handler bug must not stop the consumer
                failures += 1
                if failures >= self.max_attempts:
                    log.exception("handler failed, dead-lettering", extra=log_fields(event_id=event.event_id))
                    self.dead_letter(message, f"{event.type}: {type(error).__name__}: {error}")
                    return True
                delay = 0.2 * 2 ** failures
            if self.stop.wait(delay):
                return False

    def apply(self, event: Event, handler: Handler, message: Message | None = None) -> bool:
        """One transaction: the inbox row and the handler's effect. False if already handled."""
        with self.sessions.begin() as session:
            if message is not None:
                session.info["source_position"] = SourcePosition(message.topic(), message.partition(), message.offset())
            claimed = session.execute(
                pg_insert(INBOX)
                .values(consumer_group=self.group, event_id=event.event_id, event_type=event.type)
                .on_conflict_do_nothing()
                .returning(INBOX.c.event_id)
            ).first()
            if claimed is None:
                return False
            handler(session, event)
            return True

    def dead_letter(self, message: Message, reason: str) -> None:
        log.error("dead-lettered", extra=log_fields(reason=reason, topic=message.topic(), offset=message.offset()))
        headers = [
            ("reason", reason.encode()[:4000]),
            ("source_topic", message.topic().encode()),
            ("source_partition", str(message.partition()).encode()),
            ("source_offset", str(message.offset()).encode()),
            ("consumer_group", self.group.encode()),
        ]
        produce_and_wait(self._dlq, DEADLETTER, message.value() or b"", key=message.key(), headers=headers)


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT finish the message in hand, then stop the loop."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

