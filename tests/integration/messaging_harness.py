"""A scratch service for testing the event backbone: its own database with an outbox, an inbox and
an effect that is NOT idempotent by itself (a counter), so only the inbox keeps it from doubling.
Run as a process so tests can kill -9 it: python -m tests.integration.messaging_harness GROUP DB_URL"""
from __future__ import annotations

import sys
import time
import uuid

import sqlalchemy as sa
from marshmallow import Schema, fields
from sqlalchemy.orm import Session

from shared.db import inbox_table, make_engine, make_session_factory, outbox_table
from shared.events import Event, new_event
from shared.events.registry import register
from shared.messaging.consumer import ConsumerRunner, PermanentFailure, stop_on_signals

TOPIC = "test-backbone"
metadata = sa.MetaData()
outbox_table(metadata)
inbox_table(metadata)
effects = sa.Table(
    "effects", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("key", sa.String(100), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
)
counters = sa.Table(
    "counters", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)


@register("test.counted", 1, TOPIC)
class Counted(Schema):
    seq = fields.Integer(required=True)
    poison = fields.Boolean(load_default=False)


def counted_event(key: str, seq: int, poison: bool = False) -> Event:
    return new_event("test.counted", key, {"seq": seq, "poison": poison}, producer="test")


def count(session: Session, event: Event) -> None:
    if event.payload.get("poison"):
        raise PermanentFailure("poison pill asked for by the test")
    delay = float(session.info.get("delay", 0))
    session.execute(sa.insert(effects).values(key=event.key, seq=event.payload["seq"]))
    updated = session.execute(sa.update(counters).where(counters.c.key == event.key).values(n=counters.c.n + 1))
    if updated.rowcount == 0:
        session.execute(sa.insert(counters).values(key=event.key, n=1))
    if delay:
        time.sleep(delay)


def create_scratch_database(admin_url: str) -> str:
    name = f"tuiju_scratch_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url


def runner(group: str, db_url: str, bootstrap: str, delay: float = 0.0) -> ConsumerRunner:
    sessions = make_session_factory(make_engine(db_url))
    if delay:
        sessions.configure(info={"delay": delay})
    return ConsumerRunner(group=group, topics=[TOPIC], handlers={"test.counted": count},
                          sessions=sessions, bootstrap=bootstrap)


if __name__ == "__main__":
    from shared.config import Settings

    group, db_url = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    consumer = runner(group, db_url, Settings.from_env("archive").kafka_bootstrap, delay)
    stop_on_signals(consumer.stop)
    consumer.run()
