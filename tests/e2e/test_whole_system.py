"""`make run`'s process set: every process of every service from the Procfile, on the test servers,
until each web process's /readyz reports ready with all its dependencies."""
from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.e2e.browser import free_port, processes
from tests.stack import wait_until

pytestmark = pytest.mark.e2e


def readiness(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except OSError:
        return {}


def test_every_process_of_the_procfile_starts_and_every_readyz_reports_ready(stack):
    ports = {name: free_port() for name in ("INTAKE", "REVIEW", "NOTIFY", "ARCHIVE")}
    env = {**stack, **{f"TUIJU_{name}_PORT": str(port) for name, port in ports.items()},
           "TUIJU_CONSUMER_GROUP": f"procfile-{uuid.uuid4().hex[:6]}", "TUIJU_DEMO": "1", "TUIJU_ENV": "test"}
    honcho = str(Path(sys.executable).parent / "honcho")
    with processes(env, {"honcho": [honcho, "start", "-f", "Procfile"]}):
        urls = {name: f"http://127.0.0.1:{port}/readyz" for name, port in ports.items()}
        for name, url in urls.items():
            wait_until(lambda: readiness(url).get("status") == "ready", 90, interval=1, what=f"{name} /readyz")
        answers = {name: readiness(url) for name, url in urls.items()}
    assert set(answers["INTAKE"]["dependencies"]) == {"database", "kafka", "s3", "redis", "outbox"}
    assert set(answers["NOTIFY"]["dependencies"]) >= {"database", "kafka", "redis", "smtp", "outbox"}
    assert all(dep["ok"] for answer in answers.values() for dep in answer["dependencies"].values())
