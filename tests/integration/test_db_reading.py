"""A read-only unit of work keeps its connection's prepared statements (shared/db.py `reading`), on the
real PostgreSQL: psycopg prepares a statement on its sixth run in a connection and forgets them all at a
rollback, which is how closing a session ends its transaction."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.config import Settings
from shared.db import make_engine, make_session_factory, reading

pytestmark = pytest.mark.integration

QUERY = sa.text("SELECT count(*) FROM pg_class WHERE relpages >= :pages")
PREPARED = sa.text("SELECT statement FROM pg_prepared_statements")


@pytest.fixture
def sessions(stack):
    engine = make_engine(Settings.from_env("intake", stack).database_url, pool_size=1, max_overflow=0)
    yield make_session_factory(engine)
    engine.dispose()


def prepared_after_eight_reads(open_session) -> list[str]:
    for pages in range(8):
        with open_session() as session:
            session.execute(QUERY, {"pages": pages}).scalar()
    with open_session() as session:
        return [text for text in session.execute(PREPARED).scalars() if "relpages" in text]


def test_reads_through_reading_keep_the_statement_prepared(sessions):
    assert prepared_after_eight_reads(lambda: reading(sessions)) == ["SELECT count(*) FROM pg_class WHERE relpages >= $1"]


def test_reads_in_a_closed_session_lose_it_at_each_rollback(sessions):
    assert prepared_after_eight_reads(sessions) == []


def test_a_read_that_fails_rolls_back_and_the_connection_goes_on(sessions):
    with pytest.raises(sa.exc.DataError):
        with reading(sessions) as session:
            session.execute(sa.text("SELECT 1 / 0"))
    with reading(sessions) as session:
        assert session.execute(QUERY, {"pages": 0}).scalar() > 0
