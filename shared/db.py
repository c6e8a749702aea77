"""Database helpers every service uses: engines, sessions, on-commit hooks, the outbox and inbox
tables, and the Alembic runner (each service keeps its own migrations folder and database)."""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import sqlalchemy as sa
from opentelemetry import context as otel_context
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, sessionmaker

from shared.config import REPO_ROOT

SERVICES = ("intake", "review", "notify", "archive")
OUTBOX_PENDING = "sent_at IS NULL AND failed_at IS NULL"


# A pooled connection left unused this long is pinged before its next use (the server may have restarted
# meanwhile); one in steady use is not, as a ping is one more round trip for every transaction (measured:
# three to five per upload request). A connection that breaks while in use invalidates the pool.
PING_AFTER_IDLE_SECONDS = 10.0

# No connection waits forever on a server that went away: a connect gives up after 5 s, and a socket
# whose peer stopped answering is declared dead by TCP keepalives (10 + 3 × 5 s) or by unacknowledged
# writes (30 s). Without them a consumer that met a restarting PostgreSQL could wait on a half-open
# socket with nothing logged; with them it gets an OperationalError and retries.
CONNECT_ARGS = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                "keepalives_count": 3, "tcp_user_timeout": 30_000}


def make_engine(url: str, **options) -> sa.Engine:
    ping_after_idle = options.pop("ping_after_idle", PING_AFTER_IDLE_SECONDS)
    options.setdefault("pool_size", 5)
    options.setdefault("max_overflow", 10)
    options["connect_args"] = {**CONNECT_ARGS, **options.get("connect_args", {})}
    engine = sa.create_engine(url, **options)
    if not options.get("pool_pre_ping"):
        _ping_when_idle(engine, ping_after_idle)
    return engine


def _ping_when_idle(engine: sa.Engine, seconds: float) -> None:
    @sa_event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @sa_event.listens_for(engine, "checkout")
    def _ping_if_idle_long(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001 - whatever the driver raises, the pool connects anew
            raise sa.exc.DisconnectionError(str(error)) from error
        if not alive:
            raise sa.exc.DisconnectionError("ping failed")


def make_session_factory(engine: sa.Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    return factory


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work that only reads. It ends with COMMIT where closing a session sends ROLLBACK: psycopg
    forgets the connection's prepared statements at every rollback, so with each read ending in one, no
    statement was ever prepared and PostgreSQL parsed and planned every statement anew. In the bench's
    nominations planning took more of its time than running them (4.6 s against 2.9 s)."""
    with sessions.begin() as session:
        yield session


def on_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` after the session's transaction commits (never if it rolls back):
    queue a Celery task only once the rows it reads exist. The action runs in the trace context in hand
    now (the task continues the span that asked for it, not whatever is current at the commit)."""
    session.info.setdefault("on_commit", []).append((otel_context.get_current(), action))


def transaction_memo(session: Session) -> dict:
    """What a use case keeps for the rest of the session's transaction (an advisory lock it holds, the
    last row it appended under that lock): a consumer's batch of events then asks once. Dropped when the
    transaction ends, however it ends."""
    return session.info.setdefault("transaction_memo", {})


def advisory_xact_lock(session: Session, lock_id: int) -> None:
    """PostgreSQL's transaction-level advisory lock, asked for once per transaction (it is held to the end)."""
    held = transaction_memo(session).setdefault("advisory_locks", set())
    if lock_id not in held:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_id)))
        held.add(lock_id)


@sa_event.listens_for(Session, "after_commit")
def _run_on_commit_actions(session: Session) -> None:
    actions = session.info.pop("on_commit", [])
    for trace_context, action in actions:
        token = otel_context.attach(trace_context)
        try:
            action()
        finally:
            otel_context.detach(token)


@sa_event.listens_for(Session, "after_rollback")
def _drop_on_commit_actions(session: Session) -> None:
    session.info.pop("on_commit", None)


@sa_event.listens_for(Session, "after_transaction_end")
def _drop_transaction_memo(session: Session, transaction) -> None:
    if transaction.parent is None:  # the transaction itself ended (committed, rolled back or closed)
        session.info.pop("transaction_memo", None)


def outbox_table(metadata: sa.MetaData) -> sa.Table:
    """A row is pending until the broker confirms it (sent_at), or parked when the broker refuses it for
    good (failed_at, with the broker's reason in failure): parked rows wait for the operator."""
    return sa.Table(
        "outbox",
        metadata,
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("envelope", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("failed_at", sa.DateTime(timezone=True)),
        sa.Column("failure", sa.Text),
        sa.Column("trace_context", sa.String(100)),  # the W3C traceparent of the span that wrote the row
        sa.Index("outbox_pending", "id", postgresql_where=sa.text(OUTBOX_PENDING)),
    )


def inbox_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "inbox",
        metadata,
        sa.Column("consumer_group", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def create_messaging_tables(op) -> None:
    """For a service's first Alembic migration: the outbox and inbox as they were at revision 0001.
    Frozen on purpose: later changes are revisions of their own (parked outbox rows: 0002)."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("envelope", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("outbox_pending", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL"))
    op.create_table(
        "inbox",
        sa.Column("consumer_group", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def park_outbox_rows(op) -> None:
    """Revision 0002 of every service: outbox rows the broker refuses for good are parked, not retried."""
    op.add_column("outbox", sa.Column("failed_at", sa.DateTime(timezone=True)))
    op.add_column("outbox", sa.Column("failure", sa.Text))
    op.drop_index("outbox_pending", table_name="outbox")
    op.create_index("outbox_pending", "outbox", ["id"], postgresql_where=sa.text(OUTBOX_PENDING))


def unpark_outbox_rows(op) -> None:
    op.drop_index("outbox_pending", table_name="outbox")
    op.create_index("outbox_pending", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_column("outbox", "failure")
    op.drop_column("outbox", "failed_at")


def migrations_dir(service: str) -> Path:
    return REPO_ROOT / "services" / service / "migrations"


def alembic_config(service: str, url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir(service)))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(service: str, url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(service, url), "head")


def run_alembic_env(target_metadata: sa.MetaData) -> None:
    """The body of every service's migrations/env.py."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
