"""The archive on the test servers, each test with its own database and its own object-locked bucket
(a test that tampers with a segment must not break the chain another test verifies)."""
from __future__ import annotations

import uuid

import pytest

from services.archive.bootstrap import bootstrap
from shared.config import Settings
from shared.db import migrate
from tests.scratch_databases import scratch_database


@pytest.fixture()
def archive_env(stack):
    with scratch_database(Settings.from_env("archive", stack).database_url, "tuiju_archive") as url:
        migrate("archive", url)
        yield {**stack, "TUIJU_DATABASE_URL": url, "TUIJU_ARCHIVE_BUCKET": f"archive-test-{uuid.uuid4().hex[:10]}"}


@pytest.fixture()
def archive(archive_env):
    container = bootstrap(Settings.from_env("archive", archive_env))
    container.store.ensure_bucket(object_lock=True)
    yield container
    container.engine.dispose()
