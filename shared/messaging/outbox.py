"""The transactional outbox: a service writes its events into its own database in the same
transaction as the state change, and the relay (relay.py) publishes them to Kafka afterwards.

A row is pending until the broker confirms it (sent_at). A row the broker refuses for good (too
large, invalid, its topic unknown) is parked (failed_at, failure): the relay goes on with the rows
after it, and the operator sees it in /readyz and the metrics, and can send it again once the cause
is fixed (`python -m shared.messaging.parked`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.db import outbox_table
from shared.events import Event
from shared.messaging.wakeup import notify_relay
from shared.tracing import current_trace_context

_metadata = sa.MetaData()
OUTBOX = outbox_table(_metadata)
PENDING = sa.and_(OUTBOX.c.sent_at.is_(None), OUTBOX.c.failed_at.is_(None))
FAILURE_MAX_CHARS = 2000


def add_to_outbox(session: Session, *events: Event) -> None:
    """The events, in the caller's transaction, each with the trace context in hand; the relay is woken
    when it commits (wakeup.py)."""
    if not events:
        return
    trace_context = current_trace_context()
    session.execute(sa.insert(OUTBOX), [dict(event_id=event.event_id, topic=event.topic, key=event.key,
                                              event_type=event.type, envelope=event.as_dict(),
                                              trace_context=trace_context) for event in events])
    notify_relay(session)


def pending_rows(engine: sa.Engine, limit: int) -> list:
    # begin(), not connect(): a read that ends in ROLLBACK makes psycopg forget its prepared statements
    with engine.begin() as conn:
        query = sa.select(OUTBOX).where(PENDING).order_by(OUTBOX.c.id).limit(limit)
        return conn.execute(query).all()


def mark_sent(engine: sa.Engine, row_ids: list[int]) -> None:
    if not row_ids:
        return
    with engine.begin() as conn:
        conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id.in_(row_ids))
                     .values(sent_at=datetime.now(timezone.utc)))


def park(engine: sa.Engine, failures: dict[int, str]) -> None:
    """Set rows aside that the broker refused for good, with its reason."""
    if not failures:
        return
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        for row_id, reason in failures.items():
            conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id == row_id)
                         .values(failed_at=now, failure=reason[:FAILURE_MAX_CHARS]))


def parked_rows(engine: sa.Engine, limit: int = 100) -> list:
    with engine.begin() as conn:
        query = (sa.select(OUTBOX.c.id, OUTBOX.c.event_id, OUTBOX.c.event_type, OUTBOX.c.topic, OUTBOX.c.key,
                           OUTBOX.c.created_at, OUTBOX.c.failed_at, OUTBOX.c.failure)
                 .where(OUTBOX.c.failed_at.is_not(None)).order_by(OUTBOX.c.id).limit(limit))
        return conn.execute(query).all()


def unpark(engine: sa.Engine, row_ids: list[int] | None = None) -> int:
    """Put parked rows back in the queue (all of them when row_ids is None). Returns how many."""
    query = sa.update(OUTBOX).where(OUTBOX.c.failed_at.is_not(None)).values(failed_at=None, failure=None)
    if row_ids is not None:
        query = query.where(OUTBOX.c.id.in_(row_ids))
    with engine.begin() as conn:
        return conn.execute(query).rowcount


@dataclass(frozen=True)
class OutboxState:
    pending: int
    parked: int
    oldest_pending_seconds: float


def outbox_state(engine: sa.Engine) -> OutboxState:
    query = sa.select(
        sa.func.count().filter(PENDING),
        sa.func.count().filter(OUTBOX.c.failed_at.is_not(None)),
        sa.func.extract("epoch", sa.func.now() - sa.func.min(OUTBOX.c.created_at).filter(PENDING)),
    ).where(OUTBOX.c.sent_at.is_(None))
    with engine.begin() as conn:
        n_pending, n_parked, oldest = conn.execute(query).one()
    return OutboxState(n_pending, n_parked, float(oldest or 0.0))
