"""Waking the relay when outbox rows commit, instead of letting them wait for its next poll.

The transaction that writes outbox rows also calls pg_notify(CHANNEL) (add_to_outbox does): PostgreSQL
delivers the notification only when that transaction commits, once however many rows it wrote, and never
for a transaction rolled back. The relay LISTENs on a connection of its own and starts its next batch as
soon as one arrives. A notification can be lost (the listening connection broken, a row written by other
means), so the relay still looks at the outbox every `fallback` seconds whatever it hears."""
from __future__ import annotations

import logging
import threading
import time

import psycopg
import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.db import CONNECT_ARGS
from shared.logs import log_fields

log = logging.getLogger(__name__)

CHANNEL = "tuiju_outbox"
STOP_CHECK = 0.5  # seconds between looks at the stop event while waiting
RECONNECT = 5.0


def notify_relay(session: Session) -> None:
    """In the writer's transaction: wake the relay once it commits."""
    session.execute(sa.text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class OutboxListener:
    """A LISTEN connection to the service's database, opened before the relay's first look at the outbox
    and again after a failure (at most every RECONNECT seconds; meanwhile the relay polls)."""

    def __init__(self, url: sa.URL):
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: psycopg.Connection | None = None
        self._retry_at = 0.0

    def listening(self) -> bool:
        if self._conn is not None and not self._conn.closed:
            return True
        if time.monotonic() < self._retry_at:
            return False
        try:
            self._conn = psycopg.connect(self._conninfo, autocommit=True, **CONNECT_ARGS)
            self._conn.execute(f"LISTEN {CHANNEL}")
            return True
        except psycopg.Error as error:
            self._lost(error)
            return False

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Wait up to `seconds` for a commit to the outbox; True when one came, or when the listener is
        back after a failure (what committed meanwhile went unheard). Without a listening connection (the
        database away), it only waits."""
        deadline = time.monotonic() + seconds
        while not stop.is_set() and (remaining := deadline - time.monotonic()) > 0:
            step = min(STOP_CHECK, remaining)
            was_listening = self._conn is not None
            if not self.listening():
                stop.wait(step)
            elif not was_listening or self._heard(step):
                return True  # heard a commit, or listening again after a while deaf: look at the outbox
        return False

    def _heard(self, seconds: float) -> bool:
        try:
            # Each generator run to its end: a suspended one holds the connection's lock.
            if not list(self._conn.notifies(timeout=seconds, stop_after=1)):
                return False
            list(self._conn.notifies(timeout=0))  # those that came meanwhile: the next batch serves them too
            return True
        except psycopg.Error as error:
            self._lost(error)
            return False

    def _lost(self, error: psycopg.Error) -> None:
        log.warning("outbox listener unavailable; polling until it is back", extra=log_fields(error=str(error)[:300]))
        self.close()
        self._retry_at = time.monotonic() + RECONNECT

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
            self._conn = None
