"""Wiring for the review service: everything that connects, built in one place at start."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from shared.campaign import Campaign, configured_campaign
from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.storage import ObjectStore
from services.review.adapters.notice_cache import PublicBoard, redis_client


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Review:
    settings: Settings
    campaign: Campaign
    engine: sa.Engine
    sessions: sessionmaker
    store: ObjectStore
    clock: Callable[[], datetime] = field(default=utc_now)
    board: PublicBoard | None = None  # tells the web processes that the public pages changed

    def public_changed(self) -> None:
        if self.board is not None:
            self.board.changed(self.campaign.id)


def campaign_for(settings: Settings, now: datetime | None = None) -> Campaign:
    return configured_campaign(settings.campaign_file, demo=settings.demo, now_utc=now or utc_now(),
                               demo_anchor=settings.demo_anchor)


def bootstrap(settings: Settings | None = None, *, campaign: Campaign | None = None,
              clock: Callable[[], datetime] | None = None) -> Review:
    settings = settings or Settings.from_env("review")
    engine = make_engine(settings.database_url)
    return Review(settings=settings, campaign=campaign or campaign_for(settings), engine=engine,
                  sessions=make_session_factory(engine), store=ObjectStore.from_settings(settings),
                  clock=clock or utc_now, board=PublicBoard(redis_client(settings.celery_broker_url())))
