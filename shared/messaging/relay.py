"""The relay: publishes a service's outbox to Kafka in the order the rows were written, and marks a row
sent only once the broker confirmed it. One relay publishes at a time (a PostgreSQL advisory lock);
the others stand by and take over when it stops.

It never stops on one row: a row the broker refuses for good is parked with the broker's reason and
the rows after it go on; a transient fault (the broker away, a timeout) leaves the rows pending and
the relay tries again with a growing pause."""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
from confluent_kafka import KafkaError, KafkaException, Producer
from prometheus_client import Counter

from opentelemetry.trace import SpanKind

from shared.db import CONNECT_ARGS
from shared.logs import log_fields
from shared.tracing import continued_span, kafka_headers
from shared.messaging.outbox import mark_sent, park, pending_rows
from shared.messaging.wakeup import OutboxListener

log = logging.getLogger(__name__)

STOP_GRACE = 20.0  # seconds a stopping relay still waits for the broker's answers
WARM_UP_TIMEOUT = 5.0  # seconds a relay that took over waits for the broker's metadata before its first batch
# One relay publishes at a time (the others stand by), so events leave in the order they were written.
RELAY_LOCK_ID = 7_420_001

# What the broker (or the client, before sending) refuses whatever the number of attempts.
PERMANENT_ERRORS = frozenset({
    KafkaError.MSG_SIZE_TOO_LARGE, KafkaError.RECORD_LIST_TOO_LARGE, KafkaError.INVALID_RECORD,
    KafkaError.INVALID_TIMESTAMP, KafkaError.TOPIC_EXCEPTION, KafkaError.POLICY_VIOLATION,
    KafkaError.UNSUPPORTED_FOR_MESSAGE_FORMAT, KafkaError._UNKNOWN_TOPIC, KafkaError.UNKNOWN_TOPIC_OR_PART,
    KafkaError._UNKNOWN_PARTITION, KafkaError._INVALID_ARG,
})

PUBLISHED = Counter("tuiju_relay_published_total", "Outbox rows the broker confirmed", ["service"])
PARKED = Counter("tuiju_relay_parked_total", "Outbox rows the broker refused for good (parked)", ["service"])
RETRIED = Counter("tuiju_relay_transient_errors_total", "Relay batches that met a transient fault", ["service"])


@dataclass
class BatchOutcome:
    delivered: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)
    transient: str | None = None
    fatal: bool = False


def is_permanent(error: KafkaError) -> bool:
    return error.code() in PERMANENT_ERRORS and not error.fatal()


def publish(producer: Producer, rows: list, stop: threading.Event | None = None) -> BatchOutcome:
    """Send rows and wait for their delivery reports."""
    outcome = BatchOutcome()

    def on_delivery(row_id: int, error: KafkaError | None) -> None:
        if error is None:
            outcome.delivered.append(row_id)
        else:
            _note_failure(outcome, row_id, error)

    for row in rows:
        error = _produce(producer, row, lambda err, _msg, row_id=row.id: on_delivery(row_id, err))
        if error is not None:
            _note_failure(outcome, row.id, error)
            if not is_permanent(error):
                break  # the rows after it wait, so that they do not overtake it
    _await_reports(producer, stop)
    return outcome


def _await_reports(producer: Producer, stop: threading.Event | None) -> None:
    """Wait for the broker's answer on every row sent. Asked to stop, the relay still waits up to
    STOP_GRACE for them, so that what it sent is marked sent and the next relay sends it no second time."""
    stopping_since, waited = None, 0
    while producer.flush(1) > 0:
        waited += 1
        if stop is not None and stop.is_set():
            stopping_since = stopping_since or time.monotonic()
            if time.monotonic() - stopping_since > STOP_GRACE:
                log.warning("stopping with deliveries unconfirmed: the next relay sends them again")
                return
        elif waited % 10 == 0:
            log.warning("waiting for Kafka to confirm deliveries", extra=log_fields(seconds=waited))


def _note_failure(outcome: BatchOutcome, row_id: int, error: KafkaError) -> None:
    reason = f"{error.name()}: {error.str()}"
    if is_permanent(error):
        outcome.refused[row_id] = reason
    else:
        outcome.transient = outcome.transient or reason
        outcome.fatal = outcome.fatal or error.fatal()
    log.warning("delivery failed", extra=log_fields(outbox_id=row_id, error=reason, parked=is_permanent(error)))


def _produce(producer: Producer, row, callback) -> KafkaError | None:
    value = json.dumps(row.envelope, ensure_ascii=False, separators=(",", ":")).encode()
    with continued_span(f"publish {row.topic}", row.trace_context, kind=SpanKind.PRODUCER,
                        **{"messaging.destination.name": row.topic, "tuiju.event_type": row.event_type,
                           "tuiju.key": row.key, "tuiju.event_id": str(row.event_id)}):
        headers = [("event_type", row.event_type.encode()), ("event_id", str(row.event_id).encode()),
                   *kafka_headers()]
        return _send(producer, row, value, headers, callback)


def _send(producer: Producer, row, value: bytes, headers: list, callback) -> KafkaError | None:
    while True:
        try:
            producer.produce(row.topic, key=row.key.encode(), value=value, headers=headers, on_delivery=callback)
            return None
        except BufferError:
            producer.poll(0.5)
        except KafkaException as error:
            return error.args[0]


@dataclass
class Relay:
    engine: sa.Engine
    new_producer: Callable[[], Producer]
    service: str = "tuiju"
    batch: int = 500
    idle: float = 2.0  # the poll that remains when idle: a commit to the outbox wakes the relay at once
    max_backoff: float = 30.0
    listen: bool = True
    _producer: Producer | None = None
    _faults: int = 0

    @property
    def producer(self) -> Producer:
        if self._producer is None:
            self._producer = self.new_producer()
        return self._producer

    def step(self, stop: threading.Event | None = None) -> BatchOutcome:
        """One batch: publish the pending rows, mark what was confirmed, park what was refused."""
        rows = pending_rows(self.engine, self.batch)
        if not rows:
            return BatchOutcome()
        outcome = publish(self.producer, rows, stop)
        if outcome.refused:
            outcome = self._send_refused_alone(rows, outcome, stop)
        mark_sent(self.engine, outcome.delivered)
        park(self.engine, outcome.refused)
        self._count(outcome)
        return outcome

    def _send_refused_alone(self, rows: list, outcome: BatchOutcome, stop: threading.Event | None) -> BatchOutcome:
        """The broker refuses a whole batch for one bad message in it: send each refused row again on
        its own, so that only a row refused by itself is parked. (Its innocent neighbours may then arrive
        after rows written later: the one case where the relay gives up order, rather than a row.)"""
        by_id = {row.id: row for row in rows}
        suspects, outcome.refused = sorted(outcome.refused), {}
        for row_id in suspects:
            alone = publish(self.producer, [by_id[row_id]], stop)
            outcome.delivered += alone.delivered
            outcome.refused.update(alone.refused)
            if alone.transient:
                outcome.transient, outcome.fatal = alone.transient, alone.fatal
                break
        return outcome

    def _count(self, outcome: BatchOutcome) -> None:
        PUBLISHED.labels(self.service).inc(len(outcome.delivered))
        PARKED.labels(self.service).inc(len(outcome.refused))
        for row_id, reason in outcome.refused.items():
            log.error("outbox row parked: the broker refuses it", extra=log_fields(outbox_id=row_id, reason=reason))
        if outcome.transient:
            RETRIED.labels(self.service).inc()
        if outcome.fatal:
            log.error("producer failed for good; a new one takes over", extra=log_fields(error=outcome.transient))
            self._producer = None

    def pause_after(self, outcome: BatchOutcome) -> float:
        """How long to wait before the next batch: a growing pause after a transient fault."""
        if outcome.transient:
            self._faults += 1
            return min(self.max_backoff, 0.5 * 2 ** min(self._faults - 1, 8))
        self._faults = 0
        busy = outcome.delivered or outcome.refused
        return 0.0 if busy else self.idle

    def run(self, stop: threading.Event) -> None:
        """Publish the outbox until `stop` is set. Holds a PostgreSQL advisory lock while publishing."""
        lock_engine = sa.create_engine(self.engine.url, poolclass=sa.pool.NullPool, connect_args=CONNECT_ARGS)
        while not stop.is_set():
            try:
                self._publish_while_holding_lock(lock_engine, stop)
            except sa.exc.OperationalError as error:
                log.warning("database away, relay retries", extra=log_fields(error=str(error).splitlines()[0]))
                stop.wait(1)
        if self._producer is not None:
            self._producer.flush(10)

    def _publish_while_holding_lock(self, lock_engine: sa.Engine, stop: threading.Event) -> None:
        with lock_engine.connect() as lock_conn:
            got_lock = lock_conn.execute(sa.select(sa.func.pg_try_advisory_lock(RELAY_LOCK_ID))).scalar()
            lock_conn.commit()
            if not got_lock:
                stop.wait(2)
                return
            log.info("relay is publishing the outbox")
            self._warm_up()
            listener = OutboxListener(self.engine.url) if self.listen else None
            try:
                if listener is not None:
                    listener.listening()  # before the first look, so that no commit after it goes unheard
                while not stop.is_set():
                    self._wait(self.pause_after(self.step(stop)), listener, stop)
                    lock_conn.execute(sa.select(1))  # the lock lives as long as this connection
                    lock_conn.commit()
            finally:
                if listener is not None:
                    listener.close()

    def _warm_up(self) -> None:
        """Connect to the broker before the first batch: otherwise the first events after a start or a
        takeover wait for the producer's connection and the topics' metadata (0.5 s measured, the whole
        p99 of the bench's end-to-end figures). A broker away is no reason to wait: the batches retry."""
        try:
            self.producer.list_topics(timeout=WARM_UP_TIMEOUT)
        except KafkaException as error:
            log.warning("broker not reached before the first batch", extra=log_fields(error=str(error)))

    def _wait(self, pause: float, listener: OutboxListener | None, stop: threading.Event) -> None:
        """Idle: until a commit to the outbox (or the fallback poll); after a fault: the whole pause."""
        if pause and pause == self.idle and not self._faults and listener is not None:
            listener.wait(pause, stop)
        elif pause:
            stop.wait(pause)


def relay_once(engine: sa.Engine, producer: Producer, batch: int = 500, stop: threading.Event | None = None) -> int:
    """One batch with the given producer; returns how many rows the broker confirmed."""
    return len(Relay(engine, lambda: producer, batch=batch).step(stop).delivered)


def run_relay(engine: sa.Engine, producer: Producer, stop: threading.Event, batch: int = 500, idle: float = 2.0) -> None:
    Relay(engine, lambda: producer, batch=batch, idle=idle).run(stop)
