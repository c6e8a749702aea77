"""Intake's Celery worker: scans uploaded files, and sweeps what was left behind.
`celery -A services.intake.entrypoints.worker worker -Q scans,celery -B`"""
from __future__ import annotations

from functools import cache

import sqlalchemy as sa
import urllib3
from minio.error import S3Error

from shared.celery_app import make_celery
from shared.config import Settings

# A store or database that is away is worth waiting for; a bad file is not (it is a finding).
TRANSIENT = (sa.exc.OperationalError, sa.exc.InterfaceError, urllib3.exceptions.HTTPError, ConnectionError,
             TimeoutError, S3Error)

app = make_celery(Settings.from_env("intake"), include=[])
app.conf.task_routes = {"intake.scan_upload": {"queue": "scans"}}
app.conf.beat_schedule = {
    "sweep-pending-scans": {"task": "intake.sweep", "schedule": 60.0},
}


@cache
def intake():
    from services.intake.bootstrap import bootstrap

    return bootstrap()


@app.task(name="intake.scan_upload", bind=True, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60,
          retry_jitter=True, max_retries=30)
def scan_upload_task(self, *, upload_id: str) -> str | None:
    from services.intake.service_layer.scans import scan

    return scan(intake(), upload_id)


@app.task(name="intake.sweep")
def sweep_task() -> dict:
    from services.intake.service_layer.scans import pending_upload_ids
    from services.intake.service_layer.uploads import sweep_orphans

    container = intake()
    now = container.clock()
    requeued = pending_upload_ids(container, now)
    for upload_id in requeued:
        scan_upload_task.apply_async(kwargs={"upload_id": upload_id}, queue="scans")
    return {"requeued": requeued, "orphans_removed": sweep_orphans(container, now)}
