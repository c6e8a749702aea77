import subprocess
import sys

import pytest

from shared.celery_app import make_celery
from shared.config import Settings

pytestmark = pytest.mark.unit


def test_celery_settings_come_from_settings_not_from_the_environment_at_import():
    settings = Settings.from_env("intake", {"TUIJU_ENV": "test", "TUIJU_CELERY_VISIBILITY_TIMEOUT": "12",
                                            "TUIJU_SCAN_RETRY_BACKOFF": "1", "TUIJU_SCAN_RETRY_BACKOFF_MAX": "3"})
    assert (settings.scan_retry_backoff, settings.scan_retry_backoff_max) == (1, 3)
    assert make_celery(settings, include=[]).conf.broker_transport_options["visibility_timeout"] == 12


def test_intake_bootstrap_does_not_import_the_worker_nor_the_use_cases():
    code = ("import sys, services.intake.bootstrap; "
            "print(sorted(m for m in sys.modules if m.startswith(('services.intake.entrypoints', "
            "'services.intake.service_layer'))))")
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == "[]"


def test_remote_control_is_off_unless_asked_for():
    """Its auto-deleted fanout queue, closed after the Redis connection on a reconnect, ended a worker in CI."""
    quiet = Settings.from_env("intake", {"TUIJU_ENV": "test"})
    asked = Settings.from_env("intake", {"TUIJU_ENV": "test", "TUIJU_CELERY_REMOTE_CONTROL": "1"})
    assert make_celery(quiet, include=[]).conf.worker_enable_remote_control is False
    assert make_celery(asked, include=[]).conf.worker_enable_remote_control is True


WORKER_COMMANDS = ("Procfile", "docker-compose.yml", "deploy/base/intake.yaml", "deploy/base/review.yaml",
                   "deploy/base/notify.yaml")


@pytest.mark.parametrize("path", WORKER_COMMANDS)
def test_every_celery_worker_runs_without_gossip_mingle_and_heartbeat(path):
    """The steps that keep auto-deleted queues on the broker, which a Redis outage can end a worker on."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / path).read_text()
    workers = [line for line in text.splitlines() if "celery" in line and " worker" in line.replace('"', " ")
               and not line.rstrip().endswith("\"beat\"]")]
    assert workers, f"no Celery worker in {path}"
    for line in workers:
        for flag in ("--without-gossip", "--without-mingle", "--without-heartbeat"):
            assert flag in line, f"{path}: {line.strip()} lacks {flag}"
