"""Throw-away databases beside a service's own on the test server: created, then dropped even while
something (a pooled connection, an autovacuum worker) is still connected to them."""
from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import sqlalchemy as sa


def scratch_url(admin_url: str, prefix: str) -> str:
    """A new empty database named `<prefix>_<random>`, on the server of `admin_url`."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return str(sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False))


def drop_database(url: str, admin_database: str, attempts: int = 5) -> None:
    """Drops the database of `url`, connected to `admin_database`. WITH (FORCE) ends the sessions in it;
    the devstack's role may signal them (pg_signal_backend), and a refusal is tried again a few times."""
    name = sa.engine.make_url(url).database
    admin_url = sa.engine.make_url(url).set(database=admin_database)
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        for attempt in range(attempts):
            try:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except (sa.exc.OperationalError, sa.exc.ProgrammingError):
                if attempt == attempts - 1:
                    raise
                time.sleep(1 + attempt)
    finally:
        admin.dispose()


@contextmanager
def scratch_database(admin_url: str, prefix: str) -> Iterator[str]:
    url = scratch_url(admin_url, prefix)
    try:
        yield url
    finally:
        drop_database(url, sa.engine.make_url(admin_url).database)
