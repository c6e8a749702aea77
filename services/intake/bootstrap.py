"""Wiring for the intake service: everything that connects, built in one place at start."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from services.intake.adapters.scan_queue import SCAN_TASK, SCANS_QUEUE, ScanQueue
from shared.campaign.demo import configured_campaign
from shared.campaign.model import Campaign
from shared.celery_app import make_celery
from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.storage import ObjectStore


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Intake:
    settings: Settings
    campaign: Campaign
    engine: sa.Engine
    sessions: sessionmaker
    store: ObjectStore
    queue_scan: Callable[[str], object]
    clock: Callable[[], datetime] = field(default=utc_now)
    scan_queue: ScanQueue | None = None  # the real queue; None where tests collect queue_scan's ids
    # Figures a page shows that may be a few seconds old (service_layer/views.py): name -> (read at, value).
    recent_figures: dict = field(default_factory=dict, repr=False)

    def status_url(self, nomination_id: str) -> str:
        from services.intake.adapters.links import nomination_token

        return f"{self.settings.intake_url}/n/{nomination_token(self.settings.secret_key, nomination_id)}"


def campaign_for(settings: Settings, now: datetime | None = None) -> Campaign:
    return configured_campaign(settings.campaign_file, demo=settings.demo, now_utc=now or utc_now(),
                               demo_anchor=settings.demo_anchor)


def scan_task_publisher(settings: Settings) -> Callable[[str], None]:
    """Sends the scan task by name through a Celery client of these settings (the worker module, with
    its tasks and their scan code, is not imported here). Nobody reads a scan task's return value (the
    scan writes its verdict in the uploads table): without ignore_result each send subscribed to the
    result's Redis channel, two round trips more per upload, and the worker stored a result for nothing."""
    client = make_celery(settings, include=[])

    def publish(upload_id: str) -> None:
        client.send_task(SCAN_TASK, kwargs={"upload_id": upload_id}, queue=SCANS_QUEUE, ignore_result=True)

    return publish


def celery_scan_queue(settings: Settings) -> ScanQueue:
    return ScanQueue.from_url(settings.celery_broker_url(), scan_task_publisher(settings))


def queue_scan_with_celery(upload_id: str, settings: Settings | None = None) -> bool:
    """Queue one upload's scan through the real queue, unless it is queued already."""
    return celery_scan_queue(settings or Settings.from_env("intake")).queue(upload_id)


def bootstrap(settings: Settings | None = None, *, queue_scan: Callable[[str], None] | None = None,
              campaign: Campaign | None = None) -> Intake:
    settings = settings or Settings.from_env("intake")
    engine = make_engine(settings.database_url)
    scan_queue = None if queue_scan else celery_scan_queue(settings)
    return Intake(
        settings=settings,
        campaign=campaign or campaign_for(settings),
        engine=engine,
        sessions=make_session_factory(engine),
        store=ObjectStore.from_settings(settings, settings.uploads_bucket),
        queue_scan=queue_scan or scan_queue.queue,
        scan_queue=scan_queue,
    )
