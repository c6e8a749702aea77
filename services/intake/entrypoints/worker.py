"""Intake's Celery worker: scans uploaded files, and sweeps what was left behind.
`celery -A services.intake.entrypoints.worker worker -Q scans,celery -B` (see services/intake/SCANS.md)"""
from __future__ import annotations

import logging
import os
from functools import cache

import redis
import sqlalchemy as sa
import urllib3
from celery.signals import task_failure, worker_init
from minio.error import S3Error

from services.intake.adapters.scan_queue import SCAN_TASK, SCANS_QUEUE
from shared.celery_app import TASK_SOFT_TIME_LIMIT, make_celery
from shared.config import Settings
from shared.cpu_priority import run_in_background
from shared.foreground_load import ForegroundGate

# A store or database that is away is worth waiting for; a bad file is not (it is a finding).
TRANSIENT = (sa.exc.OperationalError, sa.exc.InterfaceError, urllib3.exceptions.HTTPError, ConnectionError,
             TimeoutError, S3Error)
# Seconds before the first retry, doubling up to the maximum (with jitter). The maximum must stay below
# the broker's visibility timeout: a retry waiting longer is handed out again by Redis, and runs twice.
MAX_RETRIES = 30
# A queue marker older than this, with nothing waiting or running, lost its task (see adapters/scan_queue.py).
STALE_MARKER_SECONDS = 120

log = logging.getLogger(__name__)

# Built once when `celery -A` imports this module: every Celery setting comes from these Settings.
SETTINGS = Settings.from_env("intake")
app = make_celery(SETTINGS, include=[])
app.conf.task_routes = {SCAN_TASK: {"queue": SCANS_QUEUE}}
app.conf.beat_schedule = {
    "sweep-pending-scans": {"task": "intake.sweep", "schedule": 60.0},
    "forget-stale-import-previews": {"task": "intake.forget_stale_previews", "schedule": 15 * 60},
}


@worker_init.connect
def load_scan_code(**_) -> None:
    """Pillow, pypdfium2 and OpenCV loaded once in the worker before it forks its pool: the pool
    processes share them, and no process pays for loading them on its first file. A niced worker (the
    Procfile's `nice -n 10`) runs in the background: its nice counts against the forms' processes of other
    sessions, and it runs when they leave the CPU idle."""
    import services.intake.service_layer.scans  # noqa: F401

    run_in_background()


@cache
def intake():
    from services.intake.bootstrap import bootstrap

    return bootstrap(SETTINGS)


@cache
def foreground_gate() -> ForegroundGate:
    """A niced worker's scans wait while the forms keep the machine busy (shared.foreground_load); a
    worker at nice 0 (on a machine of its own) never waits. The wait stays well inside the visibility
    timeout, or Redis would hand the waiting task out a second time, and inside the task's time limit."""
    longest = min(SETTINGS.scan_yield_seconds, SETTINGS.celery_visibility_timeout / 4, TASK_SOFT_TIME_LIMIT / 3)
    return ForegroundGate(SETTINGS.scan_yield_busy, longest if os.nice(0) > 0 else 0)


@cache
def scan_queue():
    """The queue's markers only (Redis): the worker's main process uses it too, so no database here."""
    from services.intake.bootstrap import celery_scan_queue

    return celery_scan_queue(SETTINGS)


@app.task(name="intake.scan_upload", bind=True, autoretry_for=TRANSIENT, retry_backoff=SETTINGS.scan_retry_backoff,
          retry_backoff_max=SETTINGS.scan_retry_backoff_max, retry_jitter=True, max_retries=MAX_RETRIES,
          ignore_result=True)  # the verdict is in the uploads table; nobody reads the task's result
def scan_upload_task(self, *, upload_id: str) -> str | None:
    from services.intake.service_layer.scans import scan

    waited = foreground_gate().wait()
    if waited >= 1:
        log.info("scan of %s waited %.1f s for the forms to leave the CPU", upload_id, waited)
    verdict = scan(intake(), upload_id)
    _unmark(upload_id)
    return verdict


@task_failure.connect
def _scan_failed_for_good(sender=None, kwargs=None, **_) -> None:
    """A scan beyond its retries, or killed by the hard time limit: no task is left, the sweeper may
    queue the upload again. (A task handed back to the queue sends no failure.)"""
    if getattr(sender, "name", None) == "intake.scan_upload" and kwargs and "upload_id" in kwargs:
        _unmark(kwargs["upload_id"])


def _unmark(upload_id: str) -> None:
    try:
        scan_queue().done(upload_id)
    except redis.RedisError as error:  # the marker is dropped later (forget_stale)
        log.warning("scan of %s: queue marker not removed: %s", upload_id, error)


def requeue_pending_scans(container, now) -> list[str]:
    """Queue again the pending uploads that have no task. Not while the store is away: their tasks are
    then still retrying."""
    from services.intake.service_layer.scans import requeue_unqueued

    container.store.answers()
    container.scan_queue.forget_stale(STALE_MARKER_SECONDS)
    return requeue_unqueued(container, now)


@app.task(name="intake.sweep")
def sweep_task() -> dict:
    from services.intake.service_layer.uploads import sweep_orphans

    container = intake()
    now = container.clock()
    return {"requeued": requeue_pending_scans(container, now), "orphans_removed": sweep_orphans(container, now)}


@app.task(name="intake.forget_stale_previews")
def forget_stale_previews_task() -> int:
    from services.intake.service_layer.imports import forget_stale_previews

    return forget_stale_previews(intake())
