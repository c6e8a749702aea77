"""One nomination followed across processes: the applicant's POST of the submit form to intake's web
process starts a trace; the outbox row keeps its context, intake's relay publishes the event inside it
(traceparent in the Kafka headers), notify's consumer continues it and queues the mail (traceparent in the
Celery task headers), notify's worker sends it over SMTP, and the archive's consumer records the event: one
trace, five processes' spans, in the span files TUIJU_TRACE_DIR names and through `shared.tracing.show`."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from services.intake.adapters.links import nomination_token
from shared.tracing.files import read_spans
from shared.tracing.show import traces_of
from tests.builders import complete_self_nomination, open_intake
from tests.e2e.browser import free_port
from tests.stack import REPO, wait_until

pytestmark = pytest.mark.integration
PYTHON = sys.executable


@contextmanager
def running(commands: dict[str, tuple[list[str], dict]], logs: Path):
    logs.mkdir(parents=True, exist_ok=True)
    started = {}
    try:
        for name, (argv, env) in commands.items():
            with open(logs / f"{name}.log", "wb") as log:
                started[name] = subprocess.Popen(argv, cwd=REPO, env={**os.environ, **env}, stdout=log,
                                                 stderr=subprocess.STDOUT)
        yield started
    finally:
        for process in started.values():
            process.terminate()
        for process in started.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def system(stack: dict, port: int, trace_dir: Path) -> dict[str, tuple[list[str], dict]]:
    base = {**stack, "TUIJU_TRACE_DIR": str(trace_dir), "TUIJU_DEMO": "1",
            "TUIJU_INTAKE_URL": f"http://127.0.0.1:{port}", "TUIJU_METRICS_PORT": "0"}
    tag = uuid.uuid4().hex[:6]
    return {
        "intake-web": ([PYTHON, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-c", "python:shared.gunicorn_conf",
                        "-w", "1", "--threads", "4", "services.intake.entrypoints.web:create_app()"], base),
        "intake-relay": ([PYTHON, "-m", "services.intake.entrypoints.relay"], base),
        "notify-consumer": ([PYTHON, "-m", "services.notify.entrypoints.consumer"],
                            {**base, "TUIJU_CONSUMER_GROUP": f"notify-trace-{tag}"}),
        "notify-worker": ([PYTHON, "-m", "celery", "-A", "services.notify.entrypoints.worker", "worker", "-l", "info",
                           "-c", "1", "-n", f"trace-notify-{tag}@%h"], base),
        "archive-consumer": ([PYTHON, "-m", "services.archive.entrypoints.consumer"],
                             {**base, "TUIJU_CONSUMER_GROUP": f"archive-trace-{tag}"}),
    }


def submit_through_the_form(port: int, token: str) -> None:
    browser = requests.Session()
    page = browser.get(f"http://127.0.0.1:{port}/n/{token}/check", timeout=30)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    answer = browser.post(f"http://127.0.0.1:{port}/n/{token}/submit", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf, "submit_key": str(uuid.uuid4())},
                          headers={"Referer": f"http://127.0.0.1:{port}/n/{token}/check"})
    assert answer.status_code == 302, answer.text[:2000]


def submission_trace(trace_dir: Path, nomination_id: str) -> list[dict]:
    for spans in traces_of(list(read_spans(trace_dir)), nomination_id).values():
        if any(span["name"] == "POST /n/<token>/submit" for span in spans):
            return spans
    return []


def reaches_every_process(spans: list[dict]) -> bool:
    names = {(span["process"], span["name"]) for span in spans}
    return {("notify-worker", "smtp send"), ("archive-consumer", "consume nomination.submitted")} <= names


def test_one_trace_follows_a_submission_from_the_form_to_the_mail_and_the_archive(stack, tmp_path):
    port, trace_dir = free_port(), tmp_path / "traces"
    intake = open_intake(stack)
    nomination_id = complete_self_nomination(intake)
    token = nomination_token(intake.settings.secret_key, nomination_id)
    with running(system(stack, port, trace_dir), tmp_path / "logs"):
        wait_until(lambda: healthy(port), 60, interval=0.5, what="intake's web process")
        submit_through_the_form(port, token)
        wait_until(lambda: reaches_every_process(submission_trace(trace_dir, nomination_id)), 180, interval=1,
                   what="the submission's trace to reach the mail and the archive")
    spans = submission_trace(trace_dir, nomination_id)
    by_id = {span["span_id"]: span for span in spans}

    def chain(span: dict) -> list[str]:
        """The processes from this span up to the trace's root."""
        found = []
        while span:
            found.append(f"{span['process']}: {span['name']}")
            span = by_id.get(span["parent_id"])
        return found[::-1]

    [root] = [span for span in spans if span["parent_id"] is None]
    assert (root["process"], root["name"]) == ("intake-web", "POST /n/<token>/submit")
    mails = [span for span in spans if span["name"] == "smtp send"]  # the contact's, and the nominee's
    assert mails and all(chain(mail) == ["intake-web: POST /n/<token>/submit", "intake-relay: publish nominations",
                           "notify-consumer: consume nomination.submitted", "notify-worker: task notify.deliver_message",
                           "notify-worker: smtp send"] for mail in mails)
    [archived] = [span for span in spans if span["process"] == "archive-consumer"]
    assert chain(archived) == ["intake-web: POST /n/<token>/submit", "intake-relay: publish nominations",
                               "archive-consumer: consume nomination.submitted"]
    assert all(span["status"] != "error" for span in spans)

    shown = subprocess.run([PYTHON, "-m", "shared.tracing.show", nomination_id, "--dir", str(trace_dir)],
                           cwd=REPO, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert f"trace {root['trace_id']}" in shown.stdout
    for line in ("intake-web: POST /n/<token>/submit", "notify-worker: smtp send",
                 "archive-consumer: consume nomination.submitted"):
        assert line in shown.stdout

    logged = [json.loads(line) for path in (tmp_path / "logs").glob("*.log")
              for line in path.read_text().splitlines() if line.startswith("{")]
    assert any(entry.get("trace_id") == root["trace_id"] for entry in logged)


def healthy(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False
