"""Each service's migrations build, on an empty database, exactly the schema its models describe:
Alembic's compare_metadata finds no difference (tables, columns, types, nullability, indexes, unique
and foreign keys), so a model changed without its revision, or a revision that differs from its model,
fails here. (Server defaults and expression indexes are not compared: Alembic cannot read them back
reliably.)"""
from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.config import Settings
from shared.db import SERVICES, migrate
from tests.scratch_databases import scratch_database

pytestmark = pytest.mark.integration


@pytest.fixture()
def empty_database(stack):
    with scratch_database(Settings.from_env("archive", stack).database_url, "tuiju_migrations") as url:
        yield url


def schema_differences(url: str, metadata: sa.MetaData) -> list:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_upgrade_an_empty_database_to_the_schema_of_the_models(empty_database, service):
    migrate(service, empty_database)
    metadata = importlib.import_module(f"services.{service}.adapters.orm").metadata
    assert schema_differences(empty_database, metadata) == []
