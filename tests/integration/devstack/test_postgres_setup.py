"""The devstack's role and databases script run by several starts at once on the real PostgreSQL (postgres's
own start and Keycloak's ask for their databases together), each time as on a fresh cluster: each one succeeds
and makes its database; none waits for ever on the advisory lock they take in turn. Two first GRANTs of the
same role at once once collided in PostgreSQL's catalogue and stopped a CI run's `make chaos` at its start
(rare: it could not be made to happen here, so this test shows the turn-taking works, not the collision)."""
from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from devstack.base import layout_for
from devstack.processes import CommandFailed
from devstack.servers import postgres

pytestmark = pytest.mark.integration
AT_ONCE = 6
ROUNDS = 3


def test_the_setup_script_run_by_several_starts_at_once_always_succeeds(stack):
    profile, engine = os.environ["TUIJU_DEVSTACK_PROFILE"], sa.create_engine(stack["TUIJU_POSTGRES_URL"] + "/postgres")
    names = [f"tuiju_setup_race_{uuid.uuid4().hex[:8]}_{n}" for n in range(AT_ONCE * ROUNDS)]
    try:
        for round_ in range(ROUNDS):
            batch = names[round_ * AT_ONCE:(round_ + 1) * AT_ONCE]
            _as_on_a_fresh_cluster(profile)
            with ThreadPoolExecutor(AT_ONCE) as pool:
                failures = [f for f in pool.map(_ensure, [profile] * AT_ONCE, batch) if f]
            assert failures == []
        with engine.connect() as conn:
            made = conn.execute(sa.text("SELECT count(*) FROM pg_database WHERE datname = ANY(:names)"),
                                {"names": names}).scalar()
        assert made == len(names)
    finally:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _as_on_a_fresh_cluster(profile: str) -> None:
    """The grant the script makes, taken back: only the first grant of a membership can collide."""
    postgres.run_psql_as_superuser(profile, layout_for(profile), "test: revoke", "REVOKE pg_signal_backend FROM tuiju;")


def _ensure(profile: str, name: str) -> str:
    try:
        postgres.ensure_databases(profile, layout_for(profile), (name,))
        return ""
    except CommandFailed as failure:
        return f"{name}: {failure}"
