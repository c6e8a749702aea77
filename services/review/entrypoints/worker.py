"""Review's Celery worker and beat: the scheduler that announces the campaign's stage changes, and removes
staff lists previewed but never imported.
`celery -A services.review.entrypoints.worker worker -B` (or `beat` on its own). Two beats running at once
publish each change once all the same (see service_layer/stages.py)."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from celery.signals import beat_init, setup_logging

from shared.celery_app import make_celery
from shared.config import REPO_ROOT, Settings
from shared.logs import configure_logging

STAGE_CHECK_EVERY = float(os.environ.get("TUIJU_REVIEW_STAGE_CHECK_EVERY", "30"))

app = make_celery(Settings.from_env("review"), include=[])
app.conf.beat_schedule = {
    "announce-stage-changes": {"task": "review.announce_stages", "schedule": STAGE_CHECK_EVERY},
    "forget-stale-staff-imports": {"task": "review.forget_stale_staff_imports", "schedule": 15 * 60},
}
app.conf.beat_schedule_filename = os.environ.get("TUIJU_REVIEW_BEAT_SCHEDULE",
                                                 str(REPO_ROOT / ".devstack" / "review-celerybeat-schedule"))


@setup_logging.connect
def _json_logs(loglevel=None, **_) -> None:
    configure_logging("review-worker", loglevel or "INFO")


@beat_init.connect
def _make_schedule_folder(**_) -> None:
    Path(app.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)


@cache
def review():
    from services.review.bootstrap import bootstrap

    return bootstrap()


@app.task(name="review.announce_stages")
def announce_stages_task() -> list[str]:
    from services.review.service_layer.stages import announce_due_stages

    return announce_due_stages(review())


@app.task(name="review.forget_stale_staff_imports")
def forget_stale_staff_imports_task() -> int:
    from services.review.service_layer.staff_imports import forget_stale_staff_imports

    return forget_stale_staff_imports(review())
