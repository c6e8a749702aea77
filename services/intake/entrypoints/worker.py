"""Intake's Celery worker: scans uploaded files, and sweeps what was left behind.
`celery -A services.intake.entrypoints.worker worker -Q scans,celery -B` (see services/intake/SCANS.md)"""
from __future__ import annotations

import os
from functools import cache

import sqlalchemy as sa
import urllib3
from celery.signals import worker_init
from minio.error import S3Error

from shared.celery_app import make_celery
from shared.config import Settings

SCANS_QUEUE = "scans"
# A store or database that is away is worth waiting for; a bad file is not (it is a finding).
TRANSIENT = (sa.exc.OperationalError, sa.exc.InterfaceError, urllib3.exceptions.HTTPError, ConnectionError,
             TimeoutError, S3Error)
# Seconds before the first retry, doubling up to the maximum (with jitter). The maximum must stay below
# the broker's visibility timeout: a retry waiting longer is handed out again by Redis, and runs twice.
RETRY_BACKOFF = int(os.environ.get("TUIJU_SCAN_RETRY_BACKOFF", "2"))
RETRY_BACKOFF_MAX = int(os.environ.get("TUIJU_SCAN_RETRY_BACKOFF_MAX", "60"))
MAX_RETRIES = 30

app = make_celery(Settings.from_env("intake"), include=[])
app.conf.task_routes = {"intake.scan_upload": {"queue": SCANS_QUEUE}}
app.conf.beat_schedule = {
    "sweep-pending-scans": {"task": "intake.sweep", "schedule": 60.0},
}


@worker_init.connect
def load_scan_code(**_) -> None:
    """Pillow, pypdfium2 and OpenCV loaded once in the worker before it forks its pool: the pool
    processes share them, and no process pays for loading them on its first file."""
    import services.intake.service_layer.scans  # noqa: F401


@cache
def intake():
    from services.intake.bootstrap import bootstrap

    return bootstrap()


@app.task(name="intake.scan_upload", bind=True, autoretry_for=TRANSIENT, retry_backoff=RETRY_BACKOFF,
          retry_backoff_max=RETRY_BACKOFF_MAX, retry_jitter=True, max_retries=MAX_RETRIES)
def scan_upload_task(self, *, upload_id: str) -> str | None:
    from services.intake.service_layer.scans import scan

    return scan(intake(), upload_id)


def requeue_pending_scans(container, now) -> list[str]:
    """Queue again the uploads pending for too long (their task was lost). Not while the store is
    away: their tasks are then still retrying, and more copies would only pile up."""
    from services.intake.service_layer.scans import pending_upload_ids

    container.store.answers()
    upload_ids = pending_upload_ids(container, now)
    for upload_id in upload_ids:
        scan_upload_task.apply_async(kwargs={"upload_id": upload_id}, queue=SCANS_QUEUE)
    return upload_ids


@app.task(name="intake.sweep")
def sweep_task() -> dict:
    from services.intake.service_layer.uploads import sweep_orphans

    container = intake()
    now = container.clock()
    return {"requeued": requeue_pending_scans(container, now), "orphans_removed": sweep_orphans(container, now)}
