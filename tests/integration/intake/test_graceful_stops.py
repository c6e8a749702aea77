"""SIGTERM under load on intake's web and scan worker, with the real servers: the web process answers every
request it accepted (what it acknowledged is stored, nothing it stored went unanswered); the worker finishes
the scans in hand, hands back the rest, and every file is scanned once with one event."""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa

from bench.worker_process import ScanWorker
from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import nominations
from tests.e2e.browser import free_port
from tests.integration.intake.scan_worker import (WORKER_ENV, big_sealed_form_png, intake,  # noqa: F401
                                                  new_nomination, scanned_events, upload, upload_row, wait_scanned)
from tests.stack import REPO, wait_until

pytestmark = pytest.mark.integration


def answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=2).status == 200
    except OSError:
        return False


def patch_deeds(base: str, token: str, text: str) -> int:
    request = urllib.request.Request(f"{base}/api/v1/nominations/{token}", method="PATCH",
                                     data=f'{{"deeds": "{text}"}}'.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


class Writer(threading.Thread):
    """Saves one draft again and again until the server stops taking connections."""

    def __init__(self, base: str, token: str):
        super().__init__(daemon=True)
        self.base, self.token, self.acknowledged, self.refused = base, token, 0, None

    def run(self) -> None:
        attempt = 0
        while True:
            attempt += 1
            try:
                status = patch_deeds(self.base, self.token, f"第{attempt}次保存的事迹")
            except (urllib.error.URLError, ConnectionError) as error:
                self.refused = error  # the server no longer accepts: nothing was stored for this attempt
                return
            assert status == 200
            self.acknowledged = attempt


def stored_deeds(intake, nomination_id: str) -> str:
    with intake.engine.connect() as conn:
        data = conn.execute(sa.select(nominations.c.data).where(nominations.c.id == nomination_id)).scalar()
    return data.get("deeds", "")


def test_web_stopped_by_sigterm_under_load_answers_every_request_it_accepted(intake, stack, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**stack, "TUIJU_ENV": "test", "TUIJU_DEMO": "1", "TUIJU_INTAKE_URL": base}
    command = [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-c", "python:shared.gunicorn_conf",
               "-w", "2", "--threads", "4", "services.intake.entrypoints.web:create_app()"]
    log = tmp_path / "intake-web.log"
    with open(log, "wb") as output:
        web = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: answers(f"{base}/healthz"), 60, what="intake's web")
        drafts = [new_nomination(intake) for _ in range(8)]
        writers = [Writer(base, nomination_token(intake.settings.secret_key, draft)) for draft in drafts]
        for writer in writers:
            writer.start()
        time.sleep(3)
        web.send_signal(signal.SIGTERM)
        assert web.wait(40) == 0
    finally:
        web.kill()
    for writer in writers:
        writer.join(10)
    assert all(writer.acknowledged > 3 for writer in writers)
    assert [stored_deeds(intake, draft) for draft in drafts] == \
        [f"第{writer.acknowledged}次保存的事迹" for writer in writers]  # every save stored was answered
    assert "Traceback" not in log.read_text(errors="replace")


def test_worker_stopped_by_sigterm_finishes_its_scans_and_the_next_worker_scans_the_rest_once(intake, stack, tmp_path):
    # A stop hands back what was not begun at once; no task may come back by the visibility timeout instead
    # (a scan slower than a short timeout on a busy machine would run twice, though recorded once).
    env = {**stack, "TUIJU_ENV": "test", **WORKER_ENV, "TUIJU_CELERY_VISIBILITY_TIMEOUT": "600"}
    worker = ScanWorker(env, tmp_path, name="graceful")
    worker.start()
    try:
        upload_ids = []
        worker.stop_consuming()  # all ten queued before the first starts
        for _ in range(10):
            nomination_id = new_nomination(intake)
            upload_ids.append(upload(intake, "sealed_form", "form.png", big_sealed_form_png(nomination_id),
                                     nomination_id)[1])
        worker.start_consuming()
        wait_until(lambda: any(upload_row(intake, u).scan_attempts == 1 for u in upload_ids), 60, interval=0.05,
                   what="a scan to be running")
        worker.stop(timeout=60)
        assert worker.process.returncode == 0
        rows = [upload_row(intake, u) for u in upload_ids]
        assert all(row.status == "scanned" for row in rows if row.scan_attempts)  # what it began, it finished
        assert any(row.status == "pending" for row in rows)  # and it left the rest in the queue
    finally:
        worker.stop()
    successor = ScanWorker(env, tmp_path, name="successor")
    successor.start()
    try:
        wait_scanned(intake, upload_ids, timeout=120)
    finally:
        successor.stop()
    assert [upload_row(intake, u).scan_attempts for u in upload_ids] == [1] * 10
    assert [len(scanned_events(intake, u)) for u in upload_ids] == [1] * 10
