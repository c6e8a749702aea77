"""Pooled connections are pinged only after standing idle (shared/db.py), on the real PostgreSQL."""
from __future__ import annotations

import socket
import time

import pytest
import sqlalchemy as sa

from shared.config import Settings
from shared.db import CONNECT_ARGS, make_engine

pytestmark = pytest.mark.integration


def backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()


def terminate(url: str, pid: int) -> None:
    """As a server restart does to a pooled connection."""
    killer = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with killer.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    killer.dispose()


def test_db_connection_idle_longer_than_the_ping_delay_is_replaced_before_use(stack):
    url = Settings.from_env("intake", stack).database_url
    engine = make_engine(url, ping_after_idle=0.2, pool_size=1, max_overflow=0)
    try:
        first = backend_pid(engine)
        terminate(url, first)
        time.sleep(0.4)
        assert backend_pid(engine) != first  # pinged, found dead, replaced: the caller saw nothing
    finally:
        engine.dispose()


def test_db_connection_in_steady_use_is_not_pinged(stack):
    url = Settings.from_env("intake", stack).database_url
    engine = make_engine(url, ping_after_idle=3600, pool_size=1, max_overflow=0)
    try:
        first = backend_pid(engine)
        terminate(url, first)
        with pytest.raises(sa.exc.OperationalError):  # no ping: the dead connection is found in use
            backend_pid(engine)
        assert backend_pid(engine) != first  # and the pool has connected anew
    finally:
        engine.dispose()


def test_db_connect_to_a_server_that_never_answers_fails_instead_of_waiting_forever():
    """A port that accepts and then says nothing (a server half up, a half-open socket): the connect gives
    up after its timeout, so a consumer's retry loop gets an error to log and retry instead of hanging."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever reads or writes
        port = silent.getsockname()[1]
        engine = make_engine(f"postgresql+psycopg://nobody:secret@127.0.0.1:{port}/nothing")
        started = time.monotonic()
        try:
            with pytest.raises(sa.exc.OperationalError, match="timeout"):
                engine.connect()
        finally:
            engine.dispose()
    assert time.monotonic() - started < 4 * CONNECT_ARGS["connect_timeout"]
