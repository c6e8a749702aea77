"""The archive on the test servers, each test with its own database and its own object-locked bucket
(a test that tampers with a segment must not break the chain another test verifies)."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.archive.bootstrap import bootstrap
from shared.config import Settings
from shared.db import migrate


@pytest.fixture()
def archive_env(stack):
    name = f"tuiju_archive_{uuid.uuid4().hex[:8]}"
    admin_url = Settings.from_env("archive", stack).database_url
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    migrate("archive", url)
    yield {**stack, "TUIJU_DATABASE_URL": url, "TUIJU_ARCHIVE_BUCKET": f"archive-test-{uuid.uuid4().hex[:10]}"}
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture()
def archive(archive_env):
    container = bootstrap(Settings.from_env("archive", archive_env))
    container.store.ensure_bucket(object_lock=True)
    yield container
    container.engine.dispose()
