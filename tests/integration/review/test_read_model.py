"""Review keeps its own read model of nominations from intake's events on the real Kafka: the newest
version wins, a late older one does not, withdrawals and scan findings are kept; and nothing of a nominee
is served without a staff sign-in."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import nominations, scan_findings
from services.review.bootstrap import bootstrap
from services.review.entrypoints.web import create_app
from services.review.service_layer.handlers import HANDLERS
from shared.config import Settings
from shared.events import new_event
from shared.events.topics import NOMINATIONS
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.producer import make_producer
from tests.stack import wait_until
from tests.unit.notify.builders import submission as submission_payload

pytestmark = pytest.mark.integration


@pytest.fixture()
def review(stack):
    container = bootstrap(Settings.from_env("review", stack))
    runner = ConsumerRunner(group=f"review-test-{uuid.uuid4().hex[:6]}", topics=[NOMINATIONS], handlers=HANDLERS,
                            sessions=container.sessions, bootstrap=container.settings.kafka_bootstrap)
    threading.Thread(target=runner.run, daemon=True).start()
    yield container
    runner.stop.set()
    container.engine.dispose()


def publish(bootstrap: str, *events) -> None:
    producer = make_producer(bootstrap)
    for event in events:
        producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0


def row_of(review, nomination_id: str):
    with review.engine.connect() as conn:
        return conn.execute(sa.select(nominations).where(nominations.c.nomination_id == nomination_id)).first()


def test_the_newest_snapshot_wins_and_the_reviewers_list_shows_it(review, stack):
    nomination_id = str(uuid.uuid4())
    first = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "吴桂英", "version": 1}
    second = {**first, "version": 2, "domain": "学生公寓", "changed_fields": ["domain"]}
    publish(review.settings.kafka_bootstrap,
            new_event("nomination.submitted", nomination_id, first, producer="intake"),
            new_event("nomination.resubmitted", nomination_id, second, producer="intake"),
            new_event("nomination.submitted", nomination_id, first, producer="intake"),  # a late, older copy
            new_event("upload.scanned", nomination_id, {"nomination_id": nomination_id, "file_id": f"f-{nomination_id}",
                                                        "kind": "sealed_form", "verdict": "flagged",
                                                        "reasons": ["未检测到公章"], "findings": {}}, producer="intake"))
    wait_until(lambda: (row := row_of(review, nomination_id)) is not None and row.version == 2, 30, what="version 2")
    wait_until(lambda: findings_of(review, nomination_id) == ["flagged"], 30, what="the scan finding")
    row = row_of(review, nomination_id)
    assert (row.status, row.domain) == ("resubmitted", "学生公寓")

    publish(review.settings.kafka_bootstrap, new_event("nomination.withdrawn", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": first["campaign_id"], "by": "applicant"}, producer="intake"))
    wait_until(lambda: row_of(review, nomination_id).status == "withdrawn", 30, what="the withdrawal")


def findings_of(review, nomination_id: str) -> list[str]:
    with review.engine.connect() as conn:
        return list(conn.execute(sa.select(scan_findings.c.verdict)
                                 .where(scan_findings.c.nomination_id == nomination_id)).scalars())


def test_nothing_of_a_nominee_is_served_without_sign_in(review, stack):
    nomination_id = str(uuid.uuid4())
    payload = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "郑秀梅"}
    publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, payload, producer="intake"))
    wait_until(lambda: row_of(review, nomination_id) is not None, 30, what="the submission")
    client = create_app(stack).test_client()
    for path in ("/", "/api/nominations", f"/api/nominations/{nomination_id}"):
        answer = client.get(path)
        assert answer.status_code == 401 and "郑秀梅" not in answer.get_data(as_text=True)
