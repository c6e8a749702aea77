"""The Celery settings the intake and notify workers share: Redis broker, late acks, one task at a time."""
from __future__ import annotations

from celery import Celery

from shared.config import Settings


def make_celery(settings: Settings, include: list[str]) -> Celery:
    app = Celery(f"tuiju-{settings.service}", broker=settings.celery_broker_url(),
                 backend=settings.celery_result_url(), include=include)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=120,
        task_soft_time_limit=90,
        # Above the longest task, so a task is redelivered only when its worker really died.
        broker_transport_options={"visibility_timeout": 300},
        result_expires=3600,
        task_serializer="json",
        accept_content=["json"],
        timezone="Asia/Shanghai",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
    )
    return app
