"""Wiring for the review service."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.storage import ObjectStore


@dataclass
class Review:
    settings: Settings
    engine: sa.Engine
    sessions: sessionmaker
    store: ObjectStore


def bootstrap(settings: Settings | None = None) -> Review:
    settings = settings or Settings.from_env("review")
    engine = make_engine(settings.database_url)
    return Review(settings, engine, make_session_factory(engine), ObjectStore.from_settings(settings))
