"""Wiring for the archive service: everything that connects, in one place, called at start."""
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from services.archive.adapters.crypto import key_encryption_key
from shared.campaign import Campaign, configured_campaign
from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.storage import ObjectStore


@dataclass
class Archive:
    settings: Settings
    engine: sa.Engine
    sessions: sessionmaker
    store: ObjectStore
    campaign: Campaign  # the deployment's campaign: its retention rules the segments written now
    kek: bytes  # wraps the per-campaign data keys


def bootstrap(settings: Settings | None = None, *, bucket: str | None = None, campaign: Campaign | None = None) -> Archive:
    settings = settings or Settings.from_env("archive")
    if bucket:
        settings = replace(settings, archive_bucket=bucket)
    engine = make_engine(settings.database_url)
    store = ObjectStore.from_settings(settings, settings.archive_bucket)
    campaign = campaign or configured_campaign(settings.campaign_file, demo=settings.demo,
                                               now_utc=datetime.now(timezone.utc), demo_anchor=settings.demo_anchor)
    return Archive(settings, engine, make_session_factory(engine), store, campaign,
                   key_encryption_key(settings.secret_key))
