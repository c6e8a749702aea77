"""Wiring for the archive service: everything that connects, in one place, called at start."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from shared.config import Settings
from shared.db import make_engine, make_session_factory
from shared.storage import ObjectStore


@dataclass
class Archive:
    settings: Settings
    engine: sa.Engine
    sessions: sessionmaker
    store: ObjectStore


def bootstrap(settings: Settings | None = None) -> Archive:
    settings = settings or Settings.from_env("archive")
    engine = make_engine(settings.database_url)
    store = ObjectStore.from_settings(settings, settings.archive_bucket)
    return Archive(settings, engine, make_session_factory(engine), store)
