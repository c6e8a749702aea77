"""The Celery settings the intake and notify workers share: Redis broker, late acks, one task at a time."""
from __future__ import annotations

from celery import Celery
from celery.signals import worker_init

from shared.celery_redis import TRANSPORT as REDIS_TRANSPORT
from shared.config import Settings
from shared.metrics import QueueLengthCollector, serve_metrics
from shared.tracing import configure_tracing
from shared.tracing.hooks import trace_celery_tasks

TASK_TIME_LIMIT = 120
TASK_SOFT_TIME_LIMIT = 90


def broker_transport_options(timeout: int) -> dict:
    """`timeout` (Settings.celery_visibility_timeout): seconds a delivered, unacknowledged task stays
    invisible before Redis hands it out again. It must stay above the longest task (TASK_TIME_LIMIT in
    production), or a task still running is started a second time; tests lower it to see a killed
    worker's task come back quickly."""
    # kombu looks for lost tasks every unacked_restore_interval seconds (10 by default) and, throttled,
    # scans Redis only on some of those looks. Scanning on every look, and looking more often when the
    # timeout is short, brings a lost task back within about timeout + interval (measured with a 10 s
    # timeout: a killed worker's scan was done 16 s after the kill instead of 27 s).
    return {"visibility_timeout": timeout, "unacked_restore_interval": max(1, min(10, timeout // 5)),
            "unacked_restore_throttle": 1}


def make_celery(settings: Settings, include: list[str]) -> Celery:
    trace_celery_tasks()
    app = Celery(f"tuiju-{settings.service}", broker=settings.celery_broker_url(),
                 backend=settings.celery_result_url(), include=include)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=TASK_TIME_LIMIT,
        task_soft_time_limit=TASK_SOFT_TIME_LIMIT,
        broker_transport_options=broker_transport_options(settings.celery_visibility_timeout),
        result_expires=3600,
        task_serializer="json",
        accept_content=["json"],
        timezone="Asia/Shanghai",
        enable_utc=True,
        # A broker away for any time, or answering with an error while it starts again, never ends the
        # worker: it keeps reconnecting (a worker exited once in CI while Redis was stopped for 30 s).
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        broker_channel_error_retry=True,
    )
    if settings.celery_broker_url().startswith("redis://"):
        app.conf.broker_transport = REDIS_TRANSPORT  # a closed connection raises a connection error (celery_redis)
    _serve_metrics_when_the_worker_starts(app, settings)
    return app


def _serve_metrics_when_the_worker_starts(app: Celery, settings: Settings) -> None:
    """The worker's main process serves /metrics (TUIJU_METRICS_PORT): the length of the queues it reads.
    Nothing there touches the database: the pool processes are forked from it."""
    @worker_init.connect(weak=False)
    def serve(sender=None, **_) -> None:
        if getattr(sender, "app", None) is not app:
            return
        configure_tracing(f"{settings.service}-worker")  # when its logging setup did not already
        queues = list(app.amqp.queues) or [app.conf.task_default_queue]
        serve_metrics(settings.service, "worker", [QueueLengthCollector(settings.celery_broker_url(), queues)])
