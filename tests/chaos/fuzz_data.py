"""What the OpenAPI fuzzing of the archive and notify finds in them: each app on a database of the fuzzing's
own (created, migrated and dropped here; the live tables the replay part compares stay untouched), with a
small campaign's history in the archive (and a bucket of its own) and a nomination's messages in notify
(queued on a queue no worker reads, emptied after): so half the cases can name what exists."""
from __future__ import annotations

import uuid
from contextlib import contextmanager

import redis
import sqlalchemy as sa

from services.archive.entrypoints.consumer import handlers as archive_handlers
from services.notify.adapters.orm import FAILED, messages
from services.notify.domain.failures import REFUSED
from services.notify.service_layer.handlers import make_handlers
from shared.config import Settings
from shared.events import new_event
from shared.storage import ObjectStore
from tests.chaos.replay import fresh_database
from tests.integration.archive.history import History, apply_all, campaign_history
from tests.unit.notify import builders


@contextmanager
def archive_env(env: dict):
    with fresh_database(env, "archive") as url:
        bucket = f"tuiju-archive-fuzz-{uuid.uuid4().hex[:8]}"
        yield {**env, "TUIJU_ENV": "test", "TUIJU_DATABASE_URL": url, "TUIJU_ARCHIVE_BUCKET": bucket}


@contextmanager
def notify_env(env: dict):
    queue = f"fuzz-{uuid.uuid4().hex[:8]}"
    with fresh_database(env, "notify") as url:
        try:
            yield {**env, "TUIJU_ENV": "test", "TUIJU_DATABASE_URL": url, "TUIJU_NOTIFY_QUEUE": queue}
        finally:
            redis.Redis.from_url(Settings.from_env("notify", env).celery_broker_url()).delete(queue)


def archive_history(archive) -> History:
    """Three nominations (files in the uploads bucket), a resubmission, a decision, a message, candidates and
    an honouree, through the archive's consumer handlers."""
    archive.store.ensure_bucket(object_lock=True)
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    history = campaign_history(uploads, f"fuzz-{uuid.uuid4().hex[:8]}")
    apply_all(archive, archive_handlers(archive), history.events)
    return history


def notify_messages(notify) -> tuple[str, list[str]]:
    """A submitted nomination's messages through notify's handler (pending), one of them failed for good:
    the nomination's id and the messages' ids."""
    nomination_id = f"N-fuzz-{uuid.uuid4().hex[:8]}"
    payload = builders.submission(nomination_id=nomination_id)
    event = new_event("nomination.submitted", nomination_id, payload, producer="intake")
    with notify.sessions.begin() as session:
        make_handlers(notify)["nomination.submitted"](session, event)
    with notify.sessions.begin() as session:
        ids = session.execute(sa.select(messages.c.id).where(messages.c.nomination_id == nomination_id)).scalars().all()
        session.execute(sa.update(messages).where(messages.c.id == ids[0]).values(
            state=FAILED, failure=REFUSED, attempts=1, last_error="550 mailbox unavailable",
            provider_answer="550 5.1.1 mailbox unavailable"))
    return nomination_id, list(ids)
