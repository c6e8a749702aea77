"""Most tests write events into a service's outbox and never start its relay, so their rows stay unsent. A test
that then starts a relay would first publish all of them, and wait behind what they call for (mails above
all). It sets them aside first: marked sent, never published (the rows are earlier tests' leftovers)."""
from __future__ import annotations

import sqlalchemy as sa

from shared.config import Settings
from shared.db import make_engine

SET_ASIDE = sa.text("UPDATE outbox SET sent_at = now(), failure = 'set aside by a test: an earlier test left it unsent' "
                    "WHERE sent_at IS NULL AND failed_at IS NULL")


def set_aside_unsent(engine: sa.Engine) -> int:
    with engine.begin() as conn:
        return conn.execute(SET_ASIDE).rowcount


def set_aside_unsent_of(env: dict, *services: str) -> None:
    for service in services:
        engine = make_engine(Settings.from_env(service, env).database_url)
        try:
            set_aside_unsent(engine)
        finally:
            engine.dispose()
