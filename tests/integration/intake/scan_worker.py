"""Intake and a real Celery scan worker (prefork, two processes) for the scan worker's tests, and the steps they
share: upload a file, read its row and its upload.scanned events, wait for scans, store a file whose task was
never queued. The worker runs with a short visibility timeout and short retry backoff (WORKER_ENV)."""
from __future__ import annotations

import io
import uuid
from datetime import datetime

import pytest
import sqlalchemy as sa
from PIL import Image

from bench.worker_process import ScanWorker
from services.intake.adapters.orm import outbox, uploads
from services.intake.bootstrap import bootstrap, utc_now
from shared.campaign.demo import demo_copy
from shared.campaign.loading import load_campaign
from services.intake.service_layer.nominations import start_nomination
from services.intake.service_layer.uploads import add_upload, original_key
from shared.config import Settings
from tests.fixtures import scanfiles
from tests.stack import wait_until

# Above the longest scan here (the 38-megapixel form: about 2 s); the backoff maximum stays below it.
VISIBILITY_TIMEOUT = 10
WORKER_ENV = {"TUIJU_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "TUIJU_SCAN_RETRY_BACKOFF": "1",
              "TUIJU_SCAN_RETRY_BACKOFF_MAX": "3"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@pytest.fixture(scope="module")
def intake(stack):
    """Intake on the test servers, campaign open now, queue_scan the real Celery one."""
    settings = Settings.from_env("intake", stack)
    container = bootstrap(settings, campaign=demo_copy(load_campaign(settings.campaign_file), utc_now()))
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def worker(stack, tmp_path_factory):
    process = ScanWorker({**stack, "TUIJU_ENV": "test", **WORKER_ENV}, tmp_path_factory.mktemp("scan-worker"),
                         name="scans-test")
    process.start()
    yield process
    process.stop()


# ---------------------------------------------------------------- helpers

def new_nomination(intake) -> str:
    return start_nomination(intake, channel="self", nominee_kind="person")


def upload(intake, kind: str, filename: str, data: bytes, nomination_id: str | None = None) -> tuple[str, str]:
    nomination_id = nomination_id or new_nomination(intake)
    content_type = CONTENT_TYPES[filename.rsplit(".", 1)[-1]]
    upload_id = add_upload(intake, nomination_id, kind, io.BytesIO(data), filename=filename, content_type=content_type)
    return nomination_id, upload_id


def upload_row(intake, upload_id: str):
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(uploads).where(uploads.c.id == upload_id)).one()


def statuses(intake, upload_ids: list[str]) -> dict[str, str]:
    with intake.engine.connect() as conn:
        return dict(conn.execute(sa.select(uploads.c.id, uploads.c.status).where(uploads.c.id.in_(upload_ids))).all())


def all_scanned(intake, upload_ids: list[str]) -> bool:
    return set(statuses(intake, upload_ids).values()) == {"scanned"}


def wait_scanned(intake, upload_ids: list[str], timeout: float) -> None:
    wait_until(lambda: all_scanned(intake, upload_ids), timeout, interval=0.2, what=f"{len(upload_ids)} scans")


def scanned_events(intake, upload_id: str) -> list[dict]:
    row = upload_row(intake, upload_id)
    with intake.engine.connect() as conn:
        envelopes = conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == row.nomination_id, outbox.c.event_type == "upload.scanned")).scalars()
        return [e for e in envelopes if e["payload"]["file_id"] == upload_id]


def insert_pending_upload(intake, kind: str, filename: str, data: bytes, *, created_at: datetime | None = None,
                          scan_attempts: int = 0) -> str:
    """A stored file and its pending record, as add_upload leaves them, but whose task was never queued."""
    nomination_id = new_nomination(intake)
    upload_id = str(uuid.uuid4())
    stored = intake.store.put_bytes(original_key(nomination_id, upload_id), data,
                                    content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    with intake.engine.begin() as conn:
        conn.execute(sa.insert(uploads).values(
            id=upload_id, nomination_id=nomination_id, kind=kind, filename=filename, object_key=stored.key,
            content_type=stored.content_type, size=stored.size, sha256=stored.sha256, scan_attempts=scan_attempts,
            **({"created_at": created_at, "updated_at": created_at} if created_at else {}),
        ))
    return upload_id


def big_sealed_form_png(nomination_id: str) -> bytes:
    """The sealed form scanned at about 630 dpi: 38 megapixels, under the 40-megapixel limit, 1.6 MB.
    Its scan takes a couple of seconds, long enough to kill a worker in the middle of it."""
    page = Image.open(io.BytesIO(scanfiles.sealed_form_png(nomination_id))).resize((5200, 7350), Image.LANCZOS)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return buffer.getvalue()
