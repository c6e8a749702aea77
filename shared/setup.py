"""One-shot set-up before the processes start: migrate every service's database, create the Kafka
topics and the S3 buckets. Safe to run again. `python -m shared.setup [migrations] [topics] [buckets]`
(all three when none is named; Kubernetes runs each as a Job of its own)."""
from __future__ import annotations

import sys
import time

from shared.config import Settings
from shared.db import SERVICES, migrate
from shared.messaging.admin import Durability, ensure_topics, replication_shortfalls
from shared.storage import ObjectStore


STEPS = ("migrations", "topics", "buckets")


def set_up(env: dict | None = None, attempts: int = 30, steps: tuple[str, ...] = STEPS) -> None:
    settings = Settings.from_env("intake", env)
    if "migrations" in steps:
        _retry("database migrations", lambda: [migrate(s, Settings.from_env(s, env).database_url) for s in SERVICES],
               attempts)
    if "topics" in steps:
        durability = Durability.from_settings(settings)
        _retry("Kafka topics", lambda: ensure_topics(settings.kafka_bootstrap, durability=durability), attempts)
        _warn_about_durability(settings, durability)
    if "buckets" in steps:
        _retry("S3 buckets", lambda: _ensure_buckets(settings), attempts)


def chosen_steps(argv: list[str]) -> tuple[str, ...]:
    unknown = [step for step in argv if step not in STEPS]
    if unknown:
        sys.exit(f"setup: unknown step {', '.join(unknown)} (choose from {', '.join(STEPS)})")
    return tuple(argv) or STEPS


def _warn_about_durability(settings: Settings, durability: Durability) -> None:
    for shortfall in replication_shortfalls(settings.kafka_bootstrap, durability):
        print(f"setup: warning: topic {shortfall} (docs/RUNBOOK.md, Kafka's replicas)", flush=True)
    if settings.env == "production" and durability.replication_factor < 3:
        print(f"setup: warning: TUIJU_KAFKA_REPLICATION_FACTOR={durability.replication_factor}: a broker lost "
              "loses the events it alone held (3 brokers, 3 replicas and min.insync.replicas 2 protect them)",
              flush=True)


def _ensure_buckets(settings: Settings) -> None:
    ObjectStore.from_settings(settings, settings.uploads_bucket).ensure_bucket()
    ObjectStore.from_settings(settings, settings.archive_bucket).ensure_bucket(object_lock=True)


def _retry(step: str, action, attempts: int) -> None:
    for attempt in range(1, attempts + 1):
        try:
            action()
            print(f"setup: {step} ready", flush=True)
            return
        except Exception as error:  # noqa: BLE001 - said in one line, then retried or given up
            if attempt == attempts or not _is_connection_fault(error):
                sys.exit(f"setup: {step} failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
            time.sleep(1)


def _is_connection_fault(error: Exception) -> bool:
    import sqlalchemy as sa
    import urllib3
    from confluent_kafka import KafkaException

    return isinstance(error, (sa.exc.OperationalError, KafkaException, urllib3.exceptions.HTTPError, ConnectionError))


if __name__ == "__main__":
    set_up(steps=chosen_steps(sys.argv[1:]))
