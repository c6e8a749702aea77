"""The scan worker's faults, each ending with one scan and one upload.scanned event: a worker killed mid-scan,
its pool processes killed, S3 stopped, a lost task and the sweeper, Redis away, a file that keeps killing its
worker."""
from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import uploads
from services.intake.bootstrap import bootstrap
from services.intake.service_layer.scans import MAX_DECODE_STARTS, QUEUE_GRACE
from tests.fixtures import scanfiles
from tests.stack import kill_server, start_server, wait_until
from tests.integration.intake.scan_worker import intake, worker  # noqa: F401 (module fixtures)
from tests.integration.intake.scan_worker import (VISIBILITY_TIMEOUT, big_sealed_form_png, insert_pending_upload,
                                                  new_nomination, scanned_events, statuses, upload, upload_row,
                                                  wait_scanned)

pytestmark = pytest.mark.integration


def wait_until_scan_is_running(intake, upload_id: str) -> None:
    """The worker has counted its decode start (scan_attempts 1) and not yet recorded the findings."""
    def running() -> bool:
        row = upload_row(intake, upload_id)
        assert row.status == "pending", "the scan finished before the worker could be killed"
        return row.scan_attempts == 1
    wait_until(running, timeout=30, interval=0.02, what="the scan to start")


def test_scan_worker_killed_mid_scan_completes_once_with_one_event(intake, worker):
    nomination_id = new_nomination(intake)
    _, upload_id = upload(intake, "sealed_form", "form.png", big_sealed_form_png(nomination_id), nomination_id)
    wait_until_scan_is_running(intake, upload_id)
    worker.kill()
    assert upload_row(intake, upload_id).status == "pending"
    killed_at = time.monotonic()

    worker.start()  # Redis hands the unacknowledged task out again once the visibility timeout has passed
    wait_scanned(intake, [upload_id], timeout=VISIBILITY_TIMEOUT + 30)
    assert time.monotonic() - killed_at > VISIBILITY_TIMEOUT - 2
    row = upload_row(intake, upload_id)
    # Twice at least; a third time when a busy machine's redelivered scan also outlived the visibility timeout.
    assert row.verdict == "ok" and row.scan_attempts >= 2
    assert len(scanned_events(intake, upload_id)) == 1


def test_scan_pool_process_killed_mid_scan_is_handed_back_and_completes_once(intake, worker):
    nomination_id = new_nomination(intake)
    _, upload_id = upload(intake, "sealed_form", "form.png", big_sealed_form_png(nomination_id), nomination_id)
    wait_until_scan_is_running(intake, upload_id)
    killed = worker.kill_pool_processes()
    assert killed and upload_row(intake, upload_id).status == "pending"

    # task_reject_on_worker_lost: the worker requeues the task at once, without waiting for the visibility
    # timeout (which would hand it out again only after VISIBILITY_TIMEOUT)
    wait_until(lambda: upload_row(intake, upload_id).scan_attempts >= 2, VISIBILITY_TIMEOUT - 1, interval=0.05,
               what="the task handed back before the visibility timeout")
    wait_scanned(intake, [upload_id], timeout=VISIBILITY_TIMEOUT + 60)
    row = upload_row(intake, upload_id)
    # Twice at least; a third time when a busy machine's redelivered scan also outlived the visibility timeout.
    assert row.verdict == "ok" and row.scan_attempts >= 2
    assert len(scanned_events(intake, upload_id)) == 1
    assert worker.alive() and worker.pool_pids().isdisjoint(killed)


def test_scan_tasks_retry_while_s3_is_down_and_complete_when_it_is_back(intake, worker):
    files = [("certificate", "cert.jpg", scanfiles.certificate_jpeg(34), "ok"),
             ("photo", "photo.jpg", scanfiles.elf_named_jpg(), "refused"),
             ("sealed_form", "form.pdf", None, "ok")]
    worker.stop_consuming()
    try:
        upload_ids, expected = [], {}
        for kind, filename, data, verdict in files:
            nomination_id = new_nomination(intake)
            _, upload_id = upload(intake, kind, filename, data or scanfiles.sealed_form_pdf(nomination_id),
                                  nomination_id)
            upload_ids.append(upload_id)
            expected[upload_id] = verdict
        log_before = len(worker.log())
        kill_server("s3")
        try:
            worker.start_consuming()
            wait_until(lambda: worker.log()[log_before:].count("retry: Retry in") >= 2, timeout=30,
                       what="the scans to fail on the missing store and be retried")
            assert set(statuses(intake, upload_ids).values()) == {"pending"}
        finally:
            start_server("s3")
    finally:
        worker.start_consuming()
    back_at = datetime.now(timezone.utc)

    wait_scanned(intake, upload_ids, timeout=40)
    for upload_id, verdict in expected.items():
        row = upload_row(intake, upload_id)
        assert (row.verdict, row.scan_attempts) == (verdict, 1)  # failed reads were not counted as decodes
        assert row.scanned_at > back_at - timedelta(seconds=1)
        assert len(scanned_events(intake, upload_id)) == 1


def long_ago() -> datetime:
    """A moment of its own in 2001: a sweep run as of then sees only the uploads a test stored then."""
    return datetime(2001, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=uuid.uuid4().int % 10_000_000)


def remove_upload_row(intake, upload_id: str) -> None:
    intake.store.remove(upload_row(intake, upload_id).object_key)
    with intake.engine.begin() as conn:
        conn.execute(sa.delete(uploads).where(uploads.c.id == upload_id))


def queued_copies(intake, upload_ids: list[str]) -> Counter:
    """How many scan tasks of each upload wait in the Redis queue (task messages carry their kwargs)."""
    messages = [json.loads(raw) for raw in intake.scan_queue.redis.lrange("scans", 0, -1)]
    named = " ".join(message["headers"].get("kwargsrepr", "") for message in messages)
    return Counter({upload_id: named.count(upload_id) for upload_id in upload_ids})


def test_scan_sweeper_requeues_an_upload_whose_task_was_lost(intake, worker):
    from services.intake.entrypoints.worker import requeue_pending_scans

    lost_at = long_ago()
    lost = insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(35), created_at=lost_at)
    recent = insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(36),
                                   created_at=lost_at + QUEUE_GRACE)
    try:
        requeued = requeue_pending_scans(intake, lost_at + QUEUE_GRACE + timedelta(seconds=1))
        assert lost in requeued and recent not in requeued
        wait_scanned(intake, [lost], timeout=20)
        assert upload_row(intake, lost).verdict == "ok"
        assert len(scanned_events(intake, lost)) == 1
        assert upload_row(intake, recent).status == "pending"
        wait_until(lambda: not intake.scan_queue.queued([lost]), timeout=10, what="the scanned file's marker to go")
    finally:
        remove_upload_row(intake, recent)


def test_scan_sweeper_run_again_and_again_with_the_worker_stopped_queues_each_pending_file_once(intake, worker,
                                                                                                stack):
    from services.intake.adapters.scan_queue import MARKERS
    from services.intake.entrypoints.worker import requeue_pending_scans

    stored_at = long_ago()
    sweep_at = stored_at + QUEUE_GRACE + timedelta(seconds=1)
    never_queued = [insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(40 + n),
                                          created_at=stored_at) for n in range(3)]
    queued_at_upload = insert_pending_upload(intake, "photo", "photo.jpg", scanfiles.portrait_photo_jpeg(),
                                             created_at=stored_at)
    ours = [*never_queued, queued_at_upload]
    worker.stop()
    try:
        assert intake.scan_queue.queue(queued_at_upload)
        assert not intake.scan_queue.queue(queued_at_upload)  # the upload's own queueing, run twice
        for _ in range(4):
            requeue_pending_scans(intake, sweep_at)
        restarted = bootstrap(intake.settings, campaign=intake.campaign)  # every process started anew
        for _ in range(3):
            requeue_pending_scans(restarted, sweep_at)
        restarted.engine.dispose()
        assert queued_copies(intake, ours) == Counter({upload_id: 1 for upload_id in ours})

        # Redis restarted without its data: queue and markers gone together, each file queued once more.
        intake.scan_queue.redis.delete("scans", MARKERS)
        for _ in range(3):
            requeue_pending_scans(intake, sweep_at)
        assert queued_copies(intake, ours) == Counter({upload_id: 1 for upload_id in ours})
    finally:
        worker.start()
    wait_scanned(intake, ours, timeout=30)
    assert all(len(scanned_events(intake, upload_id)) == 1 for upload_id in ours)
    wait_until(lambda: not intake.scan_queue.queued(ours), timeout=10, what="the scanned files' markers to go")


def answers_after_reconnecting(worker) -> bool:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        return worker.answers()
    except (OperationalError, RedisConnectionError):  # this process's pooled connections died with Redis
        return False


def test_scan_upload_while_redis_is_away_keeps_its_file_and_the_sweeper_queues_it_later(intake, worker):
    from services.intake.entrypoints.worker import requeue_pending_scans

    nomination_id = new_nomination(intake)
    kill_server("redis")
    try:
        _, upload_id = upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(45), nomination_id)
        row = upload_row(intake, upload_id)
        assert row.status == "pending"
        assert intake.store.get_bytes(row.object_key) == scanfiles.certificate_jpeg(45)
    finally:
        start_server("redis")
    assert not intake.scan_queue.queued([upload_id])
    wait_until(lambda: answers_after_reconnecting(worker), timeout=30, what="the worker to reconnect to Redis")
    requeued = requeue_pending_scans(intake, datetime.now(timezone.utc) + QUEUE_GRACE)
    assert upload_id in requeued
    wait_scanned(intake, [upload_id], timeout=30)
    assert upload_row(intake, upload_id).verdict == "ok"
    assert len(scanned_events(intake, upload_id)) == 1


def test_scan_file_that_keeps_killing_its_worker_is_refused_as_unreadable_once(intake, worker):
    from services.intake.bootstrap import queue_scan_with_celery

    # As if MAX_DECODE_STARTS workers had died decoding it: a good file, so only the count can refuse it.
    upload_id = insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(37),
                                      scan_attempts=MAX_DECODE_STARTS)
    queue_scan_with_celery(upload_id, intake.settings)
    intake.scan_queue.publish(upload_id)  # a second copy (a sweeper's, before markers) changes nothing
    wait_scanned(intake, [upload_id], timeout=20)
    row = upload_row(intake, upload_id)
    assert (row.verdict, row.findings["codes"]) == ("refused", ["unreadable"])
    assert "文件无法读取" in row.findings["reasons"][0]
    assert row.derivatives == {}
    events = scanned_events(intake, upload_id)
    assert len(events) == 1 and events[0]["payload"]["verdict"] == "refused"
