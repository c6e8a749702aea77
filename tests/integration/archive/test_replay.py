"""Rebuilding a read model from the archive: review's read model (nominations, every version, scan
findings), built once from the live topics and once from the archive replayed into a topic of its own, is
the same field by field."""
from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from services.archive.adapters.orm import event_log
from services.archive.domain.selection import Selection
from services.archive.entrypoints.consumer import TOPICS, handlers
from services.archive.replay import main as replay_main
from services.archive.service_layer.replay import archived_events, replay
from services.archive.service_layer.sealing import seal_due
from services.review.adapters.orm import nomination_versions, nominations, scan_findings
from services.review.bootstrap import bootstrap as review_bootstrap
from services.review.service_layer.handlers import READ_MODEL_TYPES, make_handlers
from shared.config import Settings
from shared.db import migrate
from shared.events import new_event
from shared.messaging.admin import ensure_topics
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.producer import make_producer
from tests.integration.archive.events import record, submitted
from tests.scratch_databases import scratch_database
from tests.stack import wait_until

pytestmark = pytest.mark.integration
READ_MODEL = (nominations, nomination_versions, scan_findings)


def consume(group: str, topics: list[str], handler_map: dict, sessions, bootstrap: str) -> ConsumerRunner:
    runner = ConsumerRunner(group=group, topics=topics, handlers=handler_map, sessions=sessions, bootstrap=bootstrap)
    threading.Thread(target=runner.run, daemon=True).start()
    return runner


def campaign_events(campaign_id: str) -> list:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    v1 = submitted(first, campaign_id=campaign_id, nominee_name="吴桂英")
    v2 = new_event("nomination.resubmitted", first, {**v1.payload, "version": 2, "domain": "学生公寓",
                                                     "changed_fields": ["domain"]}, producer="intake")
    scan = new_event("upload.scanned", first, {"nomination_id": first, "file_id": f"F-{first[:8]}",
                                               "kind": "sealed_form", "verdict": "flagged",
                                               "reasons": ["未检测到公章"], "findings": {"pages": 1}}, producer="intake")
    other = submitted(second, campaign_id=campaign_id, nominee_name="阿依古丽·买买提")
    withdrawn = new_event("nomination.withdrawn", second, {"nomination_id": second, "campaign_id": campaign_id,
                                                           "by": "applicant", "reason": "个人原因"}, producer="intake")
    return [v1, v2, scan, other, withdrawn]


def read_model(engine: sa.Engine, nomination_ids: list[str]) -> dict[str, list[dict]]:
    """Every row of review's read model for these nominations, every column."""
    with engine.connect() as conn:
        return {table.name: [dict(row) for row in conn.execute(
            sa.select(table).where(table.c.nomination_id.in_(nomination_ids))
            .order_by(*table.primary_key.columns)).mappings()] for table in READ_MODEL}


def review_handlers(review) -> dict:
    return {name: handler for name, handler in make_handlers(review).items() if name in READ_MODEL_TYPES}


@pytest.fixture()
def fresh_review(stack):
    """Review's service on an empty database of its own: the one rebuilt from the archive."""
    with scratch_database(Settings.from_env("review", stack).database_url, "tuiju_review") as url:
        migrate("review", url)
        container = review_bootstrap(replace(Settings.from_env("review", stack), database_url=url))
        yield container
        container.engine.dispose()


def test_review_read_model_rebuilt_from_the_archive_equals_the_original(archive, stack, fresh_review):
    bootstrap = archive.settings.kafka_bootstrap
    campaign_id = f"test-{uuid.uuid4().hex[:8]}"
    events = campaign_events(campaign_id)
    ids = sorted({event.key for event in events})
    review = review_bootstrap(Settings.from_env("review", stack))
    runners = [consume(f"archive-test-{uuid.uuid4().hex[:6]}", TOPICS, handlers(archive),
                       archive.sessions, bootstrap),
               consume(f"review-test-{uuid.uuid4().hex[:6]}", ["nominations"], review_handlers(review),
                       review.sessions, bootstrap)]
    producer = make_producer(bootstrap)
    for event in events:
        producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0
    try:
        wait_until(lambda: archived_count(archive, events) == len(events), 90, what="the archive to record them")
        wait_until(lambda: read_model(review.engine, ids)["nominations"] and
                   {r["status"] for r in read_model(review.engine, ids)["nominations"]} == {"resubmitted", "withdrawn"},
                   90, what="review's original read model")
        seal_due(archive, max_age=timedelta(0))
        topic = f"replay-test-{uuid.uuid4().hex[:6]}"
        ensure_topics(bootstrap, {topic: 3})
        assert replay(archive, Selection(campaign_id=campaign_id), topic) == len(events)
        runners.append(consume(f"review-rebuild-{uuid.uuid4().hex[:6]}", [topic], review_handlers(fresh_review),
                               fresh_review.sessions, bootstrap))
        wait_until(lambda: read_model(fresh_review.engine, ids) == read_model(review.engine, ids), 60,
                   what="the rebuilt read model to equal the original")
    finally:
        for runner in runners:
            runner.stop.set()
        review.engine.dispose()
    rebuilt = read_model(fresh_review.engine, ids)
    assert [len(rebuilt[table.name]) for table in READ_MODEL] == [2, 3, 1]
    assert rebuilt["nominations"][0]["snapshot"]["person"]["phone"] == "13800138000"


def archived_count(archive, events) -> int:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(event_log)
                            .where(event_log.c.event_id.in_([e.event_id for e in events]))).scalar()


def test_replay_selects_one_nomination_and_a_time_range(archive):

    events = campaign_events(f"test-{uuid.uuid4().hex[:8]}")
    record(archive, *events)
    seal_due(archive, max_age=timedelta(0), max_events=2)
    first = events[0].key
    assert [e["event_id"] for e in archived_events(archive, Selection(nomination_id=first))] == \
        [e.event_id for e in events[:3]]
    since = datetime.fromisoformat(events[3].occurred_at)
    assert [e["event_id"] for e in archived_events(archive, Selection(since=since))] == \
        [e.event_id for e in events[3:]]


def test_replay_command_dry_run_counts_without_publishing(archive, archive_env, monkeypatch, capsys):

    campaign_id = f"test-{uuid.uuid4().hex[:8]}"
    record(archive, *campaign_events(campaign_id))
    for name, value in archive_env.items():
        monkeypatch.setenv(name, value)
    assert replay_main(["--campaign", campaign_id, "--dry-run"]) == 0
    assert "将重放 5 个事件" in capsys.readouterr().out
