"""The transactional outbox: a service writes its events into its own database in the same
transaction as the state change, and the relay publishes them to Kafka afterwards."""
from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.db import outbox_table
from shared.events import Event
from shared.logs import log_fields

log = logging.getLogger(__name__)
_metadata = sa.MetaData()
OUTBOX = outbox_table(_metadata)

# One relay publishes at a time (the others stand by), so events leave in the order they were written.
RELAY_LOCK_ID = 7_420_001


def add_to_outbox(session: Session, *events: Event) -> None:
    for event in events:
        session.execute(sa.insert(OUTBOX).values(
            event_id=event.event_id, topic=event.topic, key=event.key,
            event_type=event.type, envelope=event.as_dict(),
        ))


def pending_rows(engine: sa.Engine, limit: int) -> list:
    with engine.connect() as conn:
        query = sa.select(OUTBOX).where(OUTBOX.c.sent_at.is_(None)).order_by(OUTBOX.c.id).limit(limit)
        return conn.execute(query).all()


def publish(producer, rows: list, stop: threading.Event | None = None) -> list[int]:
    """Send rows and wait for their delivery reports; returns the ids the broker confirmed."""
    delivered: list[int] = []

    def on_delivery(row_id: int, error, _message) -> None:
        if error is None:
            delivered.append(row_id)
        else:
            log.warning("delivery failed", extra=log_fields(outbox_id=row_id, error=str(error)))

    for row in rows:
        _produce(producer, row, lambda err, msg, row_id=row.id: on_delivery(row_id, err, msg))
    while producer.flush(5) > 0:
        if stop is not None and stop.is_set():
            break
        log.warning("waiting for Kafka to confirm deliveries")
    return delivered


def _produce(producer, row, callback) -> None:
    value = json.dumps(row.envelope, ensure_ascii=False, separators=(",", ":")).encode()
    headers = [("event_type", row.event_type.encode()), ("event_id", str(row.event_id).encode())]
    while True:
        try:
            producer.produce(row.topic, key=row.key.encode(), value=value, headers=headers, on_delivery=callback)
            return
        except BufferError:
            producer.poll(0.5)


def mark_sent(engine: sa.Engine, row_ids: list[int]) -> None:
    if not row_ids:
        return
    with engine.begin() as conn:
        conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id.in_(row_ids))
                     .values(sent_at=datetime.now(timezone.utc)))


def relay_once(engine: sa.Engine, producer, batch: int = 500, stop: threading.Event | None = None) -> int:
    rows = pending_rows(engine, batch)
    if not rows:
        return 0
    delivered = publish(producer, rows, stop)
    mark_sent(engine, delivered)
    return len(delivered)


def run_relay(engine: sa.Engine, producer, stop: threading.Event, batch: int = 500, idle: float = 0.1) -> None:
    """Publish the outbox until `stop` is set. Holds a PostgreSQL advisory lock while publishing."""
    lock_engine = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
    while not stop.is_set():
        try:
            with lock_engine.connect() as lock_conn:
                got_lock = lock_conn.execute(sa.select(sa.func.pg_try_advisory_lock(RELAY_LOCK_ID))).scalar()
                lock_conn.commit()
                if not got_lock:
                    stop.wait(2)
                    continue
                log.info("relay is publishing the outbox")
                while not stop.is_set():
                    if relay_once(engine, producer, batch, stop) == 0:
                        stop.wait(idle)
                    lock_conn.execute(sa.select(1))  # the lock lives as long as this connection
                    lock_conn.commit()
        except sa.exc.OperationalError as error:
            log.warning("database away, relay retries", extra=log_fields(error=str(error).splitlines()[0]))
            time.sleep(1)
    producer.flush(10)
