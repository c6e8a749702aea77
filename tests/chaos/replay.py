"""Replaying every topic from offset 0: a service's own consumer process (as the Procfile runs it) on a fresh,
migrated database and a fresh consumer group, and the tables its events build compared with the live ones."""
from __future__ import annotations

import json
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import redis
import sqlalchemy as sa

from bench.processes import Process, procfile
from shared.config import Settings
from shared.db import migrate
from shared.storage import ObjectStore
from tests.scratch_databases import scratch_database

# The tables each service builds from the events it consumes (the rest it writes itself).
CONSUMED = {
    "intake": ("campaign_stages", "honourees"),
    "review": ("nominations", "nomination_versions", "scan_findings", "reviews", "campaign_stages"),
    "notify": ("nominations", "recipients", "messages", "drafts", "organisations", "reviewers", "campaign_stages"),
    "archive": ("event_log", "nominations", "nomination_campaigns", "honourees", "campaign_keys"),
}
# What differs by when and where an event was handled, not by what it says: handling times, ids the
# handler draws, and a message's delivery (the replay sends nothing).
VOLATILE = {"received_at", "updated_at", "created_at", "recorded_at", "handled_at", "next_attempt_at", "sent_at",
            "seq", "segment_seq", "queued_at", "state", "attempts", "last_error", "provider_answer"}
PER_TABLE = {"messages": {"id"}, "recipients": {"id"}}  # ids a sequence draws


def columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.columns if c.name not in VOLATILE | PER_TABLE.get(table.name, set())]


def state(url: str, service: str) -> dict[str, list[str]]:
    """Each consumed table's rows (every column but the volatile ones) as sorted JSON lines."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine, only=list(CONSUMED[service]))
        with engine.connect() as conn:
            return {name: sorted(json.dumps(dict(row), sort_keys=True, default=str, ensure_ascii=False)
                                 for row in conn.execute(sa.select(*columns(metadata.tables[name]))).mappings())
                    for name in CONSUMED[service]}
    finally:
        engine.dispose()


def differences(live: dict[str, list[str]], replayed: dict[str, list[str]]) -> list[str]:
    found = []
    for table, rows in live.items():
        if rows != replayed[table]:
            missing, extra = set(rows) - set(replayed[table]), set(replayed[table]) - set(rows)
            found.append(f"{table}: {len(rows)} live rows, {len(replayed[table])} replayed "
                         f"({len(missing)} missing, {len(extra)} different); e.g. {sorted(missing)[:1]} / {sorted(extra)[:1]}")
    return found


@contextmanager
def fresh_database(env: dict, service: str):
    with scratch_database(Settings.from_env(service, env).database_url, f"tuiju_{service}_replay") as url:
        migrate(service, url)
        yield url


@contextmanager
def replaying_consumer(env: dict, service: str, url: str, log_dir: Path):
    """The service's consumer as the Procfile starts it (without its metrics port), on `url`, in a group
    that has read nothing yet, sending nothing out of the replay: notify queues its deliveries on a queue
    no worker reads (emptied after), the archive writes its files into a bucket of the replay's own."""
    command = procfile()[f"{service}-consumer"]
    tag = uuid.uuid4().hex[:8]
    archive_bucket, queue = f"tuiju-archive-replay-{tag}", f"replay-{tag}"
    ObjectStore.from_settings(Settings.from_env("archive", env), archive_bucket).ensure_bucket()
    replay_env = {**os.environ, **env, "TUIJU_DATABASE_URL": url, "TUIJU_CONSUMER_GROUP": f"replay-{service}-{tag}",
                  "TUIJU_NOTIFY_QUEUE": queue, "TUIJU_ARCHIVE_BUCKET": archive_bucket}
    replay_env.pop("TUIJU_METRICS_PORT", None)
    consumer = Process(f"{service}-replay", command.split(" ", 1)[1], replay_env, log_dir).start()
    try:
        yield consumer
    finally:
        consumer.stop()
        redis.Redis.from_url(Settings.from_env("notify", env).celery_broker_url()).delete(queue)
