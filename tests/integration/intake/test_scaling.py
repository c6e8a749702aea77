"""Two scan workers share the queue; one is killed (kill -9) in the middle of its scans and the other
scans the rest and, once Redis hands them back (the visibility timeout), the killed one's: every file
scanned, each with one upload.scanned event."""
from __future__ import annotations

import time

import pytest

from bench.worker_process import ScanWorker
from tests.integration.intake.scan_worker import (VISIBILITY_TIMEOUT, WORKER_ENV, big_sealed_form_png,  # noqa: F401
                                                  intake, new_nomination, scanned_events, upload, upload_row,
                                                  wait_scanned)
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def test_two_workers_share_the_scans_and_the_survivor_finishes_those_of_the_one_killed(intake, stack, tmp_path):
    env = {**stack, "TUIJU_ENV": "test", **WORKER_ENV}
    first = ScanWorker(env, tmp_path, name="first", concurrency=1).start()
    second = ScanWorker(env, tmp_path, name="second", concurrency=1).start()
    try:
        first.stop_consuming()
        second.stop_consuming()
        upload_ids = []
        for _ in range(8):
            nomination_id = new_nomination(intake)
            upload_ids.append(upload(intake, "sealed_form", "form.png", big_sealed_form_png(nomination_id),
                                     nomination_id)[1])
        first.start_consuming()
        second.start_consuming()
        wait_until(lambda: sum(upload_row(intake, u).scan_attempts for u in upload_ids) >= 3, 60, interval=0.05,
                   what="both workers to be scanning")
        first.kill()
        killed_at = time.monotonic()
        assert second.alive()
        wait_scanned(intake, upload_ids, timeout=VISIBILITY_TIMEOUT + 90)
        assert time.monotonic() - killed_at < VISIBILITY_TIMEOUT + 90
    finally:
        first.stop()
        second.stop()
    assert [len(scanned_events(intake, u)) for u in upload_ids] == [1] * 8
    assert all(upload_row(intake, u).verdict == "ok" for u in upload_ids)
