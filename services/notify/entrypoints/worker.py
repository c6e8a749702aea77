"""The notify worker: `celery -A services.notify.entrypoints.worker worker -l info -c 2 -B`.

Tasks are thin task_* wrappers taking keyword-only ids and delegating to the service layer. Beat (-B)
runs the sweeper for lost deliveries, the reminders and the reviewers' daily digest; run it in one worker only when there are several.
"""
from __future__ import annotations

import os
from pathlib import Path

from celery.schedules import crontab
from celery.signals import beat_init, setup_logging, worker_process_init

from services.notify.bootstrap import DELIVER_TASK, Notify, bootstrap
from services.notify.config import NotifyOptions
from services.notify.service_layer.delivery import INFRASTRUCTURE_ERRORS, deliver_message, requeue_lost
from services.notify.service_layer.reminders import send_reminders
from services.notify.service_layer.reviewers import send_reviewer_digests
from shared.celery_app import make_celery
from shared.config import Settings
from shared.logs import configure_logging



def make_app(env: dict | None = None):
    settings = Settings.from_env("notify", env)
    options = NotifyOptions.from_env(env)
    celery = make_celery(settings, include=[])
    celery.conf.update(
        task_default_queue=options.queue,
        beat_schedule_filename=options.beat_schedule_file,
        beat_schedule={
            "notify-requeue-lost": {"task": "notify.requeue_lost_messages", "schedule": options.sweep_every},
            "notify-reminders": {"task": "notify.send_reminders", "schedule": options.reminders_every},
            # Hourly: the first run from 08:00 (the period's cut) records the day's digests, the later
            # ones find them recorded; a worker down at 08:00 sends them at its next hour.
            "notify-reviewer-digests": {"task": "notify.send_reviewer_digests", "schedule": crontab(minute=0)},
        },
    )
    return celery


app = celery = make_app()
_container: dict[int, Notify] = {}


def notify() -> Notify:
    """This process's container, made on first use (each forked pool process makes its own)."""
    pid = os.getpid()
    if pid not in _container:
        _container.clear()
        _container[pid] = bootstrap(load_templates=False)
        _container[pid].use_celery(app)
    return _container[pid]


@setup_logging.connect
def _json_logs(loglevel=None, **_) -> None:
    configure_logging("notify-worker", loglevel or "INFO")


@worker_process_init.connect
def _forget_parent_container(**_) -> None:
    _container.clear()


@beat_init.connect
def _make_schedule_folder(**_) -> None:
    Path(app.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)


# The database or Redis away: try again shortly, without counting a delivery attempt (the row is untouched).
@app.task(name=DELIVER_TASK, bind=True, max_retries=None, autoretry_for=INFRASTRUCTURE_ERRORS,
          retry_backoff=2, retry_backoff_max=60, retry_jitter=True)
def task_deliver_message(self, *, message_id: str) -> str:
    outcome = deliver_message(notify(), message_id)
    if outcome.result == "retry":
        raise self.retry(countdown=outcome.countdown)
    return outcome.result


@app.task(name="notify.requeue_lost_messages")
def task_requeue_lost_messages() -> int:
    return len(requeue_lost(notify()))


@app.task(name="notify.send_reminders")
def task_send_reminders() -> int:
    return len(send_reminders(notify()))


@app.task(name="notify.send_reviewer_digests")
def task_send_reviewer_digests() -> int:
    return len(send_reviewer_digests(notify()))
