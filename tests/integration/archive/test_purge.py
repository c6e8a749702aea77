"""PIPL purge end to end, on the real servers with every service's consumer and relay running: a nomination
goes through intake, review, notify and the archive (sealed into a locked segment); the archive asks for the
campaign's purge; each service purges and confirms; afterwards no table of any service's database holds the
nomination's phone, e-mails or address, the segment's sealed copy cannot be opened, the photo of the
non-honoured nominee is gone from storage, and the archive's chain still verifies."""
from __future__ import annotations

import io
import threading
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.archive.adapters import crypto
from services.archive.adapters.orm import segments
from services.archive.domain.segments import segment_lines
from services.archive.entrypoints.consumer import TOPICS as ARCHIVE_TOPICS, handlers as archive_handlers
from services.archive.service_layer.keys import existing_key
from services.archive.service_layer.purge import purge_status, request_purge
from services.archive.service_layer.sealing import seal_due
from services.archive.service_layer.verification import verify_archive
from services.intake.adapters.orm import uploads
from services.intake.entrypoints.consumer import TOPICS as INTAKE_TOPICS, handlers as intake_handlers
from services.intake.service_layer import nominations, submission
from services.intake.service_layer.scans import scan
from services.intake.service_layer.uploads import add_upload
from services.notify.bootstrap import bootstrap as notify_bootstrap
from services.notify.entrypoints.consumer import TOPICS as NOTIFY_TOPICS
from services.notify.service_layer.handlers import make_handlers as notify_handlers
from services.notify.service_layer.purge import campaign_purge_requested as notify_purge
from services.review.bootstrap import bootstrap as review_bootstrap
from services.review.entrypoints.consumer import TOPICS as REVIEW_TOPICS
from services.review.service_layer.handlers import make_handlers as review_handlers
from services.review.service_layer.purge import campaign_purge_requested as review_purge
from shared.config import Settings
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.relay import run_relay
from shared.messaging.producer import make_producer
from tests.builders import form_data, open_intake, random_name, required_files
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def personal_values() -> dict[str, str]:
    tag = uuid.uuid4().int
    return {"phone": f"139{tag % 10**8:08d}", "email": f"nominee-{tag % 10**9}@example.org",
            "contact_email": f"contact-{tag % 10**9}@example.org", "address": f"示例市示例路{tag % 10**6}号"}


def submit_nomination(intake, values: dict) -> str:
    form = form_data(name=random_name("郑"), email=values["contact_email"])
    form["person"].update(phone=values["phone"], email=values["email"], address=values["address"])
    nomination_id = nominations.start_nomination(intake, channel="self", nominee_kind="person")
    nominations.save_draft(intake, nomination_id, form)
    for kind, name, data, content_type in required_files():
        scan(intake, add_upload(intake, nomination_id, kind, io.BytesIO(data), filename=name, content_type=content_type))
    submission.send(intake, nomination_id, "purge-test", seal_confirmed=True)
    return nomination_id


def rows_holding(engine: sa.Engine, value: str) -> list[str]:
    """Every table of the database with a row whose text contains `value`."""
    with engine.connect() as conn:
        tables = conn.execute(sa.text("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).scalars().all()
        return [table for table in tables if conn.execute(sa.text(
            f'SELECT count(*) FROM "{table}" AS t WHERE t::text LIKE :pattern'), {"pattern": f"%{value}%"}).scalar()]


class Services:
    """Consumers and relays of every service, in threads, each group new."""

    def __init__(self, bootstrap: str):
        self.bootstrap, self.stop, self.runners = bootstrap, threading.Event(), []

    def consumer(self, name: str, topics: list[str], handler_map: dict, sessions) -> None:
        runner = ConsumerRunner(group=f"{name}-purge-{uuid.uuid4().hex[:6]}", topics=topics, handlers=handler_map,
                                sessions=sessions, bootstrap=self.bootstrap)
        self.runners.append(runner)
        threading.Thread(target=runner.run, daemon=True).start()

    def relay(self, engine: sa.Engine) -> None:
        threading.Thread(target=run_relay, args=(engine, make_producer(self.bootstrap), self.stop), daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        for runner in self.runners:
            runner.stop.set()


def test_purge_leaves_no_personal_data_of_the_campaign_in_any_store(archive, stack):
    campaign_id = f"purge-test-{uuid.uuid4().hex[:8]}"
    intake = open_intake(stack)
    intake = replace(intake, campaign=replace(intake.campaign, id=campaign_id))
    review = review_bootstrap(Settings.from_env("review", stack))
    notify = notify_bootstrap({**stack, "TUIJU_NOTIFY_QUEUE": f"notify-purge-{uuid.uuid4().hex[:8]}"})
    values = personal_values()
    services = Services(archive.settings.kafka_bootstrap)
    services.consumer("archive", ARCHIVE_TOPICS, archive_handlers(archive), archive.sessions)
    services.consumer("intake", INTAKE_TOPICS, intake_handlers(intake), intake.sessions)
    services.consumer("review", REVIEW_TOPICS, {**review_handlers(review), "campaign.purge_requested": review_purge},
                      review.sessions)
    services.consumer("notify", NOTIFY_TOPICS, {**notify_handlers(notify), "campaign.purge_requested": notify_purge},
                      notify.sessions)
    for engine in (intake.engine, review.engine, notify.engine, archive.engine):
        services.relay(engine)
    databases = {"intake": intake.engine, "review": review.engine, "notify": notify.engine, "archive": archive.engine}
    try:
        nomination_id = submit_nomination(intake, values)
        wait_until(lambda: all(rows_holding(engine, values["phone"]) for engine in databases.values()), 120,
                   what="every service to hold the nomination")
        assert seal_due(archive, max_age=timedelta(0)) >= 1
        assert request_purge(archive, campaign_id)
        wait_until(lambda: not (purge_status(archive, campaign_id) or {"waiting_for": [1]})["waiting_for"], 120,
                   what="every service to confirm the purge")
    finally:
        services.close()
    for value in values.values():
        assert {name: rows_holding(engine, value) for name, engine in databases.items()} == \
            {name: [] for name in databases}, value
    assert_segments_hold_no_readable_personal_data(archive, campaign_id, values)
    assert_photo_gone_and_certificates_kept(intake, nomination_id)
    assert verify_archive(archive).ok


def assert_segments_hold_no_readable_personal_data(archive, campaign_id: str, values: dict) -> None:
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(segments)).all()
    lines = [line for row in rows for line in segment_lines(archive.store.get_version(row.segment_key, row.segment_version))
             if line["campaign_id"] == campaign_id]
    sealed = [line for line in lines if line["sealed"]]
    assert sealed, "the nomination's events were sealed before the purge"
    for value in values.values():
        assert not any(value in str(line["public"]) for line in lines)
    with archive.sessions() as session, pytest.raises(crypto.KeyUnavailable):
        existing_key(session, archive.kek, sealed[0]["key_id"], campaign_id)


def assert_photo_gone_and_certificates_kept(intake, nomination_id: str) -> None:
    with intake.engine.connect() as conn:
        files = conn.execute(sa.select(uploads.c.kind, uploads.c.object_key, uploads.c.status)
                             .where(uploads.c.nomination_id == nomination_id)).all()
    for kind, key, status in files:
        assert intake.store.exists(key) == (kind != "photo"), (kind, status)
