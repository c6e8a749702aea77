"""The last evening the whole way: a nomination submitted an hour before the close with a certificate still
being checked goes through; the certificate's scan then refuses it; the events go through the real Kafka
in the order intake wrote them; the contact receives the confirmation and then 您上传的材料需要处理 saying
the submission time stands and until when to replace the file; review's read model flags the nomination."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import outbox
from services.review.adapters.orm import nominations as review_nominations
from services.review.bootstrap import bootstrap as review_bootstrap
from shared.campaign.parts import ScanWait
from shared.config import Settings
from shared.events import parse_event
from tests.builders import open_intake
from tests.integration.intake.test_scan_wait import refused_after_submission
from tests.integration.notify.mailboxes import body_of, wait_for_mails
from tests.integration.review.conftest import run_consumer
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture()
def review(stack):
    container = review_bootstrap(Settings.from_env("review", stack))
    runner = run_consumer(container, from_start=False)
    yield container
    runner.stop.set()
    container.engine.dispose()


@pytest.fixture()
def last_evening(stack):
    intake = open_intake(stack)
    intake.campaign = replace(intake.campaign, scan_wait=ScanWait())
    close = intake.campaign.submission.ends_before
    intake.clock = lambda: close - timedelta(hours=1)
    yield intake
    intake.engine.dispose()


def published_in_order(intake, publisher, nomination_id: str) -> list[str]:
    with intake.engine.connect() as conn:
        envelopes = conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type.in_(("nomination.submitted", "upload.scanned")))
            .order_by(outbox.c.id)).scalars().all()
    publisher.publish(*(parse_event(json.dumps(envelope)) for envelope in envelopes))
    publisher.producer.flush(10)
    return [envelope["type"] for envelope in envelopes]


def test_a_file_refused_after_a_last_evening_submission_is_mailed_and_flagged_for_review(
        last_evening, mail_consumer, review, publisher, mailpit, people):
    contact = people.email("contact")
    nomination_id, _ = refused_after_submission(last_evening, email=contact)
    kinds = published_in_order(last_evening, publisher, nomination_id)
    assert kinds[-2:] == ["nomination.submitted", "upload.scanned"]

    wait_for_mails(mailpit, people, 2, timeout=60)
    assert len(mailpit.to(contact)) == 2
    body = body_of(mailpit, contact, "您上传的材料需要处理")
    assert "您的申报已按时提交，提交时间不受影响" in body and "更换材料" in body
    until = (last_evening.clock() + timedelta(hours=48)).astimezone(last_evening.campaign.zone)
    assert f"{until.year}年{until.month}月{until.day}日" in body
    assert "PDF 含有不允许的内容" in body

    def flagged() -> bool:
        with review.engine.connect() as conn:
            flags = conn.execute(sa.select(review_nominations.c.scan_flags).where(
                review_nominations.c.nomination_id == nomination_id)).scalar()
        return flags is not None and "file_refused" in flags

    wait_until(flagged, 60, what="review's flag on the nomination")
