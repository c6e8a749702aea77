"""A scratch service for testing the event backbone: its own database with an outbox, an inbox and
an effect that is NOT idempotent by itself (a counter), so only the inbox keeps it from doubling.
Run as a process so tests can kill -9 it: python -m tests.integration.messaging_harness GROUP DB_URL [DELAY [TOPIC…]],
or its relay: python -m tests.integration.messaging_harness --relay DB_URL"""
from __future__ import annotations

import sys
import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from marshmallow import Schema, fields
from sqlalchemy.orm import Session

from shared.config import Settings

from shared.db import inbox_table, make_engine, make_session_factory, outbox_table
from shared.events import Event, new_event
from shared.events.registry import register
from shared.messaging.admin import ensure_topics
from shared.messaging.consumer import ConsumerRunner, PermanentFailure, stop_on_signals
from shared.messaging.outbox import add_to_outbox
from tests.scratch_databases import scratch_url

TOPIC = "test-backbone"
SMALL_TOPIC = "test-backbone-small"  # the broker refuses messages over 2,000 bytes here
MISSING_TOPIC = "test-backbone-never-created"
metadata = sa.MetaData()
outbox_table(metadata)
inbox_table(metadata)
effects = sa.Table(
    "effects", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("key", sa.String(100), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
)
# Events a consumer received again after their effect was in (the inbox absorbed them): a clean stop
# commits its offsets, so the next member of the group reads none of them twice.
repeats = sa.Table(
    "repeats", metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("key", sa.String(100), nullable=False),
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
    note = fields.String(load_default="")


@register("test.limited", 1, SMALL_TOPIC)
class Limited(Counted):
    pass


@register("test.lost", 1, MISSING_TOPIC)
class Lost(Counted):
    pass


def counted_event(key: str, seq: int, poison: bool = False, note: str = "", type: str = "test.counted") -> Event:
    return new_event(type, key, {"seq": seq, "poison": poison, "note": note}, producer="test")


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
    url = scratch_url(admin_url, "tuiju_scratch")
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url


class CountingRunner(ConsumerRunner):
    """The runner, noting each event it was handed again after its effect was in."""

    def _claim_and_apply(self, session, event: Event, handler, message) -> bool:
        applied = super()._claim_and_apply(session, event, handler, message)
        if not applied:
            session.execute(sa.insert(repeats).values(key=event.key))
        return applied


def runner(group: str, db_url: str, bootstrap: str, delay: float = 0.0, topics: tuple[str, ...] = (TOPIC,),
           **options) -> ConsumerRunner:
    sessions = make_session_factory(make_engine(db_url))
    if delay:
        sessions.configure(info={"delay": delay})
    return CountingRunner(group=group, topics=list(topics), handlers={"test.counted": count, "test.limited": count},
                          sessions=sessions, bootstrap=bootstrap, **options)


@pytest.fixture()
def scratch(stack):
    """A fresh scratch database with its outbox, inbox and effects; (url, engine, Kafka bootstrap)."""
    settings = Settings.from_env("archive", stack)
    ensure_topics(settings.kafka_bootstrap, {TOPIC: 6})
    url = create_scratch_database(settings.database_url)
    engine = make_engine(url)
    yield url, engine, settings.kafka_bootstrap
    engine.dispose()


def write_events(engine, keys: list[str], per_key: int, topic: str | None = None, first: int = 0) -> None:
    for seq in range(first, first + per_key):
        write_outbox(engine, *[counted_event(key, seq) for key in keys], topic=topic)


def write_outbox(engine, *events: Event, topic: str | None = None) -> None:
    """Events into the scratch outbox; `topic`: sent there instead of the type's topic (a fresh one)."""
    with Session(engine) as session, session.begin():
        add_to_outbox(session, *events)
        if topic:
            session.execute(sa.text("UPDATE outbox SET topic = :topic WHERE event_id = ANY(:ids)"),
                            {"topic": topic, "ids": [uuid.UUID(event.event_id) for event in events]})


def fresh_topic(bootstrap: str, partitions: int = 6) -> str:
    """A topic of this test alone, so that a new group does not first read every earlier test's events."""
    name = f"test-fresh-{uuid.uuid4().hex[:8]}"
    ensure_topics(bootstrap, {name: partitions})
    return name


def total_effects(engine, keys) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(effects).where(effects.c.key.in_(keys))).scalar()


def effects_by_key(engine, keys) -> dict[str, list[int]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(effects.c.key, effects.c.seq)
                            .where(effects.c.key.in_(keys)).order_by(effects.c.id)).all()
    result: dict[str, list[int]] = {key: [] for key in keys}
    for key, seq in rows:
        result[key].append(seq)
    return result


def in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def unique_keys(n: int) -> list[str]:
    tag = uuid.uuid4().hex[:6]
    return [f"nom-{tag}-{i}" for i in range(n)]


def run_relay_process(db_url: str) -> None:
    from shared.messaging.producer import make_producer
    from shared.messaging.relay import Relay

    stop = threading.Event()
    stop_on_signals(stop)
    bootstrap = Settings.from_env("archive").kafka_bootstrap
    Relay(make_engine(db_url), lambda: make_producer(bootstrap, client_id="harness-relay"), batch=100).run(stop)


if __name__ == "__main__":
    if sys.argv[1] == "--relay":
        run_relay_process(sys.argv[2])
        sys.exit(0)
    group, db_url = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    topics = tuple(sys.argv[4:]) or (TOPIC,)
    consumer = runner(group, db_url, Settings.from_env("archive").kafka_bootstrap, delay, topics=topics)
    stop_on_signals(consumer.stop)
    consumer.run()
