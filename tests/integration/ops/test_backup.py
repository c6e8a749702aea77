"""A backup taken from the running servers restores into new databases and buckets with every nomination,
every uploaded file (its bytes checked against the hash intake recorded) and an archive whose own
verification passes (its segments' new version ids pointed at)."""
from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from ops.backup import bucket_suffix, dump, restore
from services.archive.bootstrap import bootstrap as archive_bootstrap
from services.archive.service_layer.handlers import record_event
from services.archive.service_layer.sealing import seal_due
from services.archive.service_layer.verification import verify_archive
from services.intake.adapters.orm import nominations, uploads
from services.intake.bootstrap import bootstrap as intake_bootstrap, utc_now
from services.intake.service_layer.nominations import start_nomination
from services.intake.service_layer.uploads import add_upload
from shared.campaign.demo import demo_copy
from shared.campaign.loading import load_campaign
from shared.config import Settings
from shared.messaging.consumer import SourcePosition
from shared.storage import ObjectStore
from tests.fixtures import scanfiles
from tests.integration.archive.events import submitted
from tests.scratch_databases import drop_database

pytestmark = pytest.mark.integration


def rows(url: str, table: sa.Table, *columns, where=sa.true()) -> set[tuple]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        found = set(conn.execute(sa.select(*[table.c[name] for name in columns]).where(where)).all())
    engine.dispose()
    return found


def record_far_ahead(archive, event) -> None:
    """Recorded as the archive's consumer does, at an offset no real message of the shared test topic has."""
    with archive.sessions.begin() as session:
        session.info["source_position"] = SourcePosition(event.topic, 0, 10**15 + uuid.uuid4().int % 10**9)
        record_event(session, event, default_campaign=archive.campaign.id)


def drop_databases(urls: dict[str, str], suffix: str) -> None:
    for url in urls.values():
        drop_database(url, sa.engine.make_url(url).database.removesuffix(suffix))


def test_backup_restores_every_nomination_and_file_and_an_archive_that_verifies(stack, tmp_path):
    settings = Settings.from_env("intake", stack)
    intake = intake_bootstrap(settings, campaign=demo_copy(load_campaign(settings.campaign_file), utc_now()))
    nomination_id = start_nomination(intake, channel="self", nominee_kind="person")
    add_upload(intake, nomination_id, "photo", io.BytesIO(scanfiles.portrait_photo_jpeg()),
               filename="photo.jpg", content_type="image/jpeg")
    archive = archive_bootstrap(Settings.from_env("archive", stack))
    record_far_ahead(archive, submitted())
    assert seal_due(archive, max_age=timedelta(0)) >= 1  # the archive bucket holds a locked segment

    dump(tmp_path / "backup", stack)
    suffix = f"_r{uuid.uuid4().hex[:6]}"
    urls = restore(tmp_path / "backup", stack, suffix=suffix)
    try:
        source = {service: Settings.from_env(service, stack).database_url for service in urls}
        assert rows(urls["intake"], nominations, "id", "reference_number", "state") == \
            rows(source["intake"], nominations, "id", "reference_number", "state")
        stored = uploads.c.status != "purged"  # a purged file's object is gone on purpose (PIPL)
        files = rows(urls["intake"], uploads, "object_key", "sha256", where=stored)
        assert files == rows(source["intake"], uploads, "object_key", "sha256", where=stored) and files
        restored_uploads = ObjectStore.from_settings(settings, settings.uploads_bucket + bucket_suffix(suffix))
        for key, sha256 in files:
            assert hashlib.sha256(restored_uploads.get_version(key, None)).hexdigest() == sha256, key

        restored = archive_bootstrap(replace(Settings.from_env("archive", stack), database_url=urls["archive"]),
                                    bucket=Settings.from_env("archive", stack).archive_bucket + bucket_suffix(suffix))
        report = verify_archive(restored)
        assert report.problems == [] and report.segments > 0
    finally:
        drop_databases(urls, suffix)

