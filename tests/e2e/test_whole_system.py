"""`make run`'s process set: every process of every service from the Procfile, on the test servers,
until each web process's /readyz reports ready with all its dependencies and every other process type serves
its metrics."""
from __future__ import annotations

import json
import random
import re
import socket
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.e2e.browser import free_port, processes
from tests.stack import REPO, wait_until

pytestmark = pytest.mark.e2e


def readiness(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except OSError:
        return {}


def test_every_process_of_the_procfile_starts_and_every_readyz_reports_ready(stack):
    ports = {name: free_port() for name in ("INTAKE", "REVIEW", "NOTIFY", "ARCHIVE")}
    metrics_base = free_metrics_base()
    env = {**stack, **{f"TUIJU_{name}_PORT": str(port) for name, port in ports.items()},
           "TUIJU_CONSUMER_GROUP": f"procfile-{uuid.uuid4().hex[:6]}", "TUIJU_DEMO": "1", "TUIJU_ENV": "test",
           "TUIJU_METRICS_BASE": str(metrics_base)}
    honcho = str(Path(sys.executable).parent / "honcho")
    with processes(env, {"honcho": [honcho, "start", "-f", "Procfile"]}):
        urls = {name: f"http://127.0.0.1:{port}/readyz" for name, port in ports.items()}
        for name, url in urls.items():
            wait_until(lambda: readiness(url).get("status") == "ready", 90, interval=1, what=f"{name} /readyz")
        answers = {name: readiness(url) for name, url in urls.items()}
        metrics = {process: scrape(metrics_base + offset) for process, offset in metric_ports().items()}
    assert set(answers["INTAKE"]["dependencies"]) == {"database", "kafka", "s3", "redis", "outbox"}
    assert set(answers["NOTIFY"]["dependencies"]) >= {"database", "kafka", "redis", "smtp", "outbox"}
    assert all(dep["ok"] for answer in answers.values() for dep in answer["dependencies"].values())
    for process, text in metrics.items():
        service, _, kind = process.partition("-")
        assert f'tuiju_process_info{{process="{kind}",service="{service}"}} 1.0' in text, process
        if kind == "relay":
            assert "tuiju_outbox_pending " in text, process
        if kind == "worker":
            assert "tuiju_celery_queue_length{queue=" in text, process


def free_metrics_base() -> int:
    """A base for the processes' metrics ports below Linux's ephemeral ports (32768 and up: a port there can be
    taken by any outgoing connection before the process binds it, as one once was), all of whose ports are free."""
    for base in random.sample(range(26_000, 32_600, 100), 40):
        if all(_free(base + offset) for offset in range(20)):
            return base
    raise AssertionError("no free range of metrics ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def metric_ports() -> dict[str, int]:
    """Each non-web process type of the Procfile and its metrics port's offset from TUIJU_METRICS_BASE."""
    found = {}
    for line in (REPO / "Procfile").read_text().splitlines():
        name, _, command = line.partition(": ")
        match = re.search(r"TUIJU_METRICS_BASE:-\d+}\+(\d+)", command)
        if match:
            found[name] = int(match.group(1))
    return found


def scrape(port: int) -> str:
    def answers() -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).status == 200
        except OSError:
            return False
    wait_until(answers, 120, interval=1, what=f"metrics on {port}")  # a Celery worker starts slowly on a busy machine
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()

