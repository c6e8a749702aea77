"""The consumer runner every service uses.

For each message: read and validate the event (what cannot be read goes to the dead-letter topic
with the reason); in one database transaction, record its event_id in the inbox and apply the
handler's effect (a redelivered event finds its id there and changes nothing); only then store the
offset. When the consumer is behind, the messages already fetched (at most `batch`) are applied in one
transaction, each with its inbox row, and their offsets stored after its commit; if any of them cannot be
read or fails, nothing of the batch is kept and each is handled alone as below. Transient faults (database, storage, network away) are retried with backoff until they pass;
a handler that keeps failing for another reason sends the message to the dead-letter topic.

Nothing that happens to one message ends the process. While it waits (a retry's pause, a dead letter
the broker has not confirmed yet) the runner pauses its partitions and keeps polling, so the group does
not take them away however long the fault lasts (`max.poll.interval.ms`); an offset it can no longer
store (its partition went to another member) is left to that member, whose inbox absorbs the repeat."""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
import urllib3
from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition
from opentelemetry.trace import SpanKind
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, sessionmaker

from shared.db import inbox_table
from shared.events import Event, parse_event
from shared.events.topics import DEADLETTER
from shared.logs import correlated, log_fields
from shared.messaging.producer import make_producer
from shared.metrics import CONSUMED, HANDLING, record_lag
from shared.tracing import continued_span, traceparent_of

log = logging.getLogger(__name__)
INBOX = inbox_table(sa.MetaData())

Handler = Callable[[Session, Event], None]
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, ConnectionError, TimeoutError,
    urllib3.exceptions.HTTPError,
)
POLL_STEP = 0.5
BATCH = 20  # messages already fetched applied in one transaction when the consumer is behind


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
    batch: int = BATCH
    extra_config: dict = field(default_factory=dict)
    _held: deque = field(default_factory=deque)
    _paused: set = field(default_factory=set)

    def run(self) -> None:
        self._consumer = Consumer({
            "bootstrap.servers": self.bootstrap,
            "group.id": self.group,
            "enable.auto.commit": True,
            "enable.auto.offset.store": False,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 10_000,
            "statistics.interval.ms": 15_000,  # each partition's lag, for tuiju_consumer_lag
            "stats_cb": lambda stats: record_lag(self.group, stats),
            **self.extra_config,
        })
        self._dlq = make_producer(self.bootstrap, client_id=f"{self.group}-dlq")
        self._consumer.subscribe(self.topics)
        log.info("consumer started", extra=log_fields(group=self.group, topics=self.topics))
        try:
            while not self.stop.is_set():
                messages = self._next_messages()
                if len(messages) > 1 and self.apply_batch(messages):
                    continue
                for message in messages:  # one by one: alone, or a batch that failed as a whole
                    if not self.handle(message):
                        break  # stopping: neither it nor those after it are marked as read
                    self._store_offset(message)
        finally:
            self._consumer.close()
            self._dlq.flush(10)

    def _next_messages(self) -> list[Message]:
        """A message held back while waiting comes first (alone); else the next one Kafka has, with those
        already fetched behind it (at most `batch`): a backlog is applied in small batches."""
        if self._held:
            return [self._held.popleft()]
        message = self._consumer.poll(POLL_STEP)
        if message is None:
            return []
        more = self._consumer.consume(self.batch - 1, timeout=0) if self.batch > 1 else []
        return [m for m in (message, *more) if self._readable(m)]

    @staticmethod
    def _readable(message: Message) -> bool:
        if message.error():
            if message.error().code() != KafkaError._PARTITION_EOF:
                log.warning("kafka error", extra=log_fields(error=str(message.error())))
            return False
        return True

    def apply_batch(self, messages: list[Message]) -> bool:
        """The messages in one transaction (one commit for all: what the consumer saves when behind), their
        offsets stored after it. False, with nothing applied, when any of them cannot be read or fails: they
        are then handled one by one, with the retries and dead letters of a single message."""
        started = time.monotonic()
        try:
            events = [parse_event(message.value()) for message in messages]
            with self.sessions.begin() as session:
                applied = [self._claim_and_apply(session, event, self.handlers[event.type], message)
                           if event.type in self.handlers else None for message, event in zip(messages, events)]
        except Exception as error:  # noqa: BLE001 - whatever it was, the single-message path deals with it
            log.info("batch not applied; one by one", extra=log_fields(size=len(messages), error=str(error)[:300]))
            return False
        share = (time.monotonic() - started) / len(messages)
        for message, event, outcome in zip(messages, events, applied):
            CONSUMED.labels(self.group, message.topic(), {True: "applied", False: "repeated", None: "ignored"}[outcome]).inc()
            if outcome is not None:
                HANDLING.labels(self.group, event.type).observe(share)
            self._store_offset(message)
        return True

    def _store_offset(self, message: Message) -> None:
        try:
            self._consumer.store_offsets(message)
        except KafkaException as error:
            log.warning("offset not stored: the partition is no longer ours; its new owner reads it again "
                        "and its inbox absorbs the repeat",
                        extra=log_fields(topic=message.topic(), partition=message.partition(),
                                         offset=message.offset(), error=str(error)))

    def handle(self, message: Message) -> bool:
        """Apply one message. Returns False only when stopping before it was applied."""
        try:
            event = parse_event(message.value())
        except Exception as error:  # noqa: BLE001 - whatever makes it unreadable, it is one bad message
            return self.dead_letter(message, str(error) or type(error).__name__)
        handler = self.handlers.get(event.type)
        if handler is None:
            CONSUMED.labels(self.group, message.topic(), "ignored").inc()
            return True
        started = time.monotonic()
        with correlated(event.correlation_id):
            done = self._apply_with_retries(message, event, handler)
        HANDLING.labels(self.group, event.type).observe(time.monotonic() - started)
        return done

    def _apply_with_retries(self, message: Message, event: Event, handler: Handler) -> bool:
        failures = faults = 0
        while True:
            try:
                applied = self.apply(event, handler, message)
                CONSUMED.labels(self.group, message.topic(), "applied" if applied else "repeated").inc()
                return True
            except PermanentFailure as error:
                return self.dead_letter(message, f"{event.type}: {error}")
            except TRANSIENT_ERRORS as error:
                faults += 1
                delay = min(self.max_backoff, 0.2 * 2 ** min(faults, 8))
                log.warning("transient fault, retrying", extra=log_fields(event_id=event.event_id, error=str(error)[:300], delay=delay))
            except Exception as error:  # noqa: BLE001 - a handler bug must not stop the consumer
                failures += 1
                if failures >= self.max_attempts:
                    log.exception("handler failed, dead-lettering", extra=log_fields(event_id=event.event_id))
                    return self.dead_letter(message, f"{event.type}: {type(error).__name__}: {error}")
                delay = 0.2 * 2 ** failures
                log.warning("handler failed, retrying", extra=log_fields(event_id=event.event_id, error=str(error)[:300], delay=delay))
            if self.wait(delay):
                return False

    def apply(self, event: Event, handler: Handler, message: Message | None = None) -> bool:
        """One transaction: the inbox row and the handler's effect. False if already handled."""
        with self.sessions.begin() as session:
            return self._claim_and_apply(session, event, handler, message)

    def _claim_and_apply(self, session: Session, event: Event, handler: Handler, message: Message | None) -> bool:
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
        with correlated(event.correlation_id), self._span(event, message):
            handler(session, event)
        return True

    def _span(self, event: Event, message: Message | None):
        """The handler's span, continuing the trace the message's headers carry (alone or in a batch)."""
        return continued_span(
            f"consume {event.type}", traceparent_of(message.headers()) if message is not None else None,
            kind=SpanKind.CONSUMER, **{"messaging.consumer.group.name": self.group, "tuiju.event_type": event.type,
                                       "tuiju.key": event.key, "tuiju.event_id": event.event_id,
                                       "tuiju.reference": event.payload.get("reference")})

    def dead_letter(self, message: Message, reason: str) -> bool:
        """Send the message to the dead-letter topic and wait until the broker has it, however long it
        is away. Returns False only when stopping first (the message is then read again at restart)."""
        log.error("dead-lettered", extra=log_fields(reason=reason, topic=message.topic(), offset=message.offset()))
        headers = [
            ("reason", reason.encode()[:4000]),
            ("source_topic", message.topic().encode()),
            ("source_partition", str(message.partition()).encode()),
            ("source_offset", str(message.offset()).encode()),
            ("consumer_group", self.group.encode()),
        ]
        CONSUMED.labels(self.group, message.topic(), "dead_lettered").inc()
        while True:
            outcome: dict = {}
            self._dlq.produce(DEADLETTER, value=message.value() or b"", key=message.key(), headers=headers,
                              on_delivery=lambda err, _msg: outcome.setdefault("error", err))
            while "error" not in outcome:  # the producer retries until its message.timeout.ms
                if self.wait(POLL_STEP, poll=self._dlq.poll):
                    return False
            if outcome["error"] is None:
                return True
            log.warning("dead letter refused, sending it again", extra=log_fields(error=str(outcome["error"])))
            if self.wait(1.0):
                return False

    def wait(self, seconds: float, poll: Callable[[float], object] | None = None) -> bool:
        """Wait without losing the group: pause the partitions and keep polling the consumer.
        Returns True when asked to stop."""
        self._pause(self._consumer.assignment())
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                if self.stop.is_set():
                    return True
                if poll is not None:
                    poll(0)
                self._poll_while_paused(min(POLL_STEP, max(0.0, deadline - time.monotonic())))
            return self.stop.is_set()
        finally:
            self._resume_all()

    def _poll_while_paused(self, timeout: float) -> None:
        message = self._consumer.poll(timeout)
        if message is None or message.error():
            return
        # A partition assigned during the wait is not paused yet: keep its message for later and pause it.
        self._held.append(message)
        self._pause(self._consumer.assignment())

    def _pause(self, partitions: list) -> None:
        try:
            self._consumer.pause(partitions)
            self._paused.update((p.topic, p.partition) for p in partitions)
        except KafkaException as error:
            log.warning("could not pause partitions", extra=log_fields(error=str(error)))

    def _resume_all(self) -> None:
        """Resume what was paused even if the group took it away meanwhile: librdkafka keeps a partition
        paused through a rebalance, and one assigned back to us must not stay silent."""
        paused = {(p.topic, p.partition) for p in self._consumer.assignment()} | self._paused
        try:
            self._consumer.resume([TopicPartition(topic, partition) for topic, partition in paused])
            self._paused.clear()
        except KafkaException as error:
            log.warning("could not resume partitions", extra=log_fields(error=str(error)))

def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT finish the message in hand, then stop the loop."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
