"""Review keeps its own read model of nominations from intake's events on the real Kafka: the newest
version wins, a late older one does not, withdrawals and scan findings are kept; and nothing of a nominee
is served without a staff sign-in."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import nomination_versions, nominations, reviews, scan_findings
from services.review.entrypoints.web import create_app
from services.review.service_layer.rebuild import rebuild_read_model
from shared.events import new_event
from tests.integration.review.conftest import publish, run_consumer
from tests.stack import wait_until
from tests.unit.notify.builders import submission as submission_payload

pytestmark = pytest.mark.integration


@pytest.fixture()
def from_start(review):
    """Review's consumer reading the topics from their beginning, as a new deployment would."""
    runner = run_consumer(review, from_start=True)
    yield runner
    runner.stop.set()


def row_of(review, nomination_id: str):
    with review.engine.connect() as conn:
        return conn.execute(sa.select(nominations).where(nominations.c.nomination_id == nomination_id)).first()


def test_the_newest_snapshot_wins_and_every_version_and_finding_is_kept(review, from_start, stack):
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
    wait_until(lambda: (row := row_of(review, nomination_id)) is not None and row.version == 2, 120, what="version 2")
    wait_until(lambda: findings_of(review, nomination_id) == ["flagged"], 120, what="the scan finding")
    row = row_of(review, nomination_id)
    assert (row.status, row.domain) == ("resubmitted", "学生公寓")
    with review.engine.connect() as conn:
        versions = conn.execute(sa.select(nomination_versions.c.version, nomination_versions.c.changed_fields).where(
            nomination_versions.c.nomination_id == nomination_id).order_by(nomination_versions.c.version)).all()
    assert [tuple(v) for v in versions] == [(1, []), (2, ["domain"])]

    publish(review.settings.kafka_bootstrap, new_event("nomination.withdrawn", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": first["campaign_id"], "by": "applicant"}, producer="intake"))
    wait_until(lambda: row_of(review, nomination_id).status == "withdrawn", 120, what="the withdrawal")


def findings_of(review, nomination_id: str) -> list[str]:
    with review.engine.connect() as conn:
        return list(conn.execute(sa.select(scan_findings.c.verdict)
                                 .where(scan_findings.c.nomination_id == nomination_id)).scalars())


def test_nothing_of_a_nominee_is_served_without_sign_in(review, from_start, stack):
    nomination_id = str(uuid.uuid4())
    payload = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "郑秀梅"}
    publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, payload, producer="intake"))
    wait_until(lambda: row_of(review, nomination_id) is not None, 120, what="the submission")
    client = create_app(stack).test_client()
    for path in ("/", f"/n/{nomination_id}", "/dashboard", "/shortlist/伙食管理", "/staff/"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/auth/login")
    for path in ("/api/v1/nominations", f"/api/v1/nominations/{nomination_id}", "/api/v1/dashboard"):
        answer = client.get(path)
        assert answer.status_code == 401 and "郑秀梅" not in answer.get_data(as_text=True)


def read_model(review) -> dict[str, list]:
    with review.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))]
                for table in (nominations, nomination_versions, scan_findings)}


def test_read_model_rebuilt_from_offset_zero_is_identical(review, from_start, stack):
    nomination_id = str(uuid.uuid4())
    first = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "冯玉兰", "version": 1}
    second = {**first, "version": 2, "deeds": "补充后的事迹", "changed_fields": ["deeds"]}
    publish(review.settings.kafka_bootstrap,
            new_event("nomination.submitted", nomination_id, first, producer="intake"),
            new_event("nomination.resubmitted", nomination_id, second, producer="intake"))
    wait_until(lambda: (row := row_of(review, nomination_id)) is not None and row.version == 2, 60, what="version 2")
    from_start.stop.set()
    before = read_model(review)
    with review.engine.connect() as conn:
        states_before = conn.execute(sa.select(reviews).order_by(reviews.c.nomination_id)).all()

    applied = rebuild_read_model(review)

    assert applied >= 2
    assert read_model(review) == before
    with review.engine.connect() as conn:
        assert conn.execute(sa.select(reviews).order_by(reviews.c.nomination_id)).all() == states_before
