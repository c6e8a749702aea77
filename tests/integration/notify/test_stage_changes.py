"""Notify acting on the campaign's stage changes as review's scheduler announces them through the real Kafka:
the close of submissions ends the draft and quota reminders (the drafts are forgotten) and mails the invited
organisations; the review stage's opening mails the reviewers and starts their reminders, its close stops
them. A real Celery worker delivers, and the mails are read back from Mailpit."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import drafts, nominations, organisations, reviewers
from services.notify.bootstrap import bootstrap
from services.notify.service_layer.reminders import send_reminders
from services.notify.service_layer.reviewers import apply_staff_update
from services.intake.bootstrap import utc_now
from shared.events import new_event
from tests.integration.notify import harness
from tests.integration.notify.harness import event, submission
from tests.integration.notify.mailboxes import body_of, subjects, wait_for_mails
from tests.integration.stages import campaign_of_its_own, review_scheduler
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def worker(notify_env, logs):
    process = harness.start_worker(notify_env, logs, name="stages-worker")
    yield process
    process.stop()


@pytest.fixture()
def campaign_and_notify(notify_env, tmp_path):
    anchor = utc_now()
    path, campaign = campaign_of_its_own(tmp_path, anchor)
    container = bootstrap({**notify_env, "TUIJU_CAMPAIGN_FILE": str(path), "TUIJU_DEMO": "1",
                           "TUIJU_DEMO_ANCHOR": anchor.isoformat()})
    yield campaign, container
    container.engine.dispose()


@pytest.fixture()
def consumer(campaign_and_notify, worker):
    yield from harness.consumer_running(campaign_and_notify[1])


def count(notify, table: sa.Table, campaign_id: str, *conditions) -> int:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)
                            .where(table.c.campaign_id == campaign_id, *conditions)).scalar()


def invited(campaign, people) -> object:
    org_id = f"ORG-{people.tag}"
    return new_event("organisation.invited", org_id, {
        "organisation_id": org_id, "campaign_id": campaign.id, "campaign_name": campaign.name,
        "name": "某省高校后勤协会", "type": "local_association", "email": people.email("org"),
        "contact_name": "协会秘书", "quota": 3, "deadline_local": "截止前",
        "invitation_url": f"https://tuiju.example.cn/org/invite/{people.tag}"}, producer="intake")


def draft_saved(campaign, people) -> object:
    return event("nomination.draft_saved", {
        "contact_verified": True, "nomination_id": people.nomination_id("draft"), "campaign_id": campaign.id,
        "campaign_name": campaign.name, "nominee_name": "王秀兰",
        "edit_url": f"https://tuiju.example.cn/n/draft-{people.tag}",
        "contact": {"name": "李红梅", "email": people.email("contact"), "phone": None}})


def register_reviewer(notify, people) -> str:
    """The test's reviewer, the only active one (other tests' accounts left in the directory are not)."""
    with notify.sessions.begin() as session:
        session.execute(sa.update(reviewers).values(active=False))
        apply_staff_update(notify, session, {"subject": f"{people.tag}-reviewer", "name": "伙食评审",
                                             "email": people.email("reviewer"), "role": "working_group",
                                             "domains": ["伙食管理"], "active": True})
    return people.email("reviewer")


def test_stage_changes_end_submission_reminders_and_bracket_the_reviewers_reminders(
        stack, campaign_and_notify, consumer, publisher, mailpit, people):
    campaign, notify = campaign_and_notify
    close, review = campaign.submission.ends_before, campaign.stage("review")
    reviewer = register_reviewer(notify, people)
    publisher.publish(invited(campaign, people), draft_saved(campaign, people),
                      event("nomination.submitted", submission(people, 0, campaign_id=campaign.id, recommender=False,
                                                               domain="伙食管理")))
    wait_until(lambda: count(notify, drafts, campaign.id) == 1 and count(notify, organisations, campaign.id) == 1
               and count(notify, nominations, campaign.id, nominations.c.in_review_queue.is_(True)) == 1,
               30, what="the organisation, the draft and the submission to be stored")
    assert len(send_reminders(notify, close - timedelta(days=2))) == 2  # quota and draft, by the calendar
    assert send_reminders(notify, review.closes_at - timedelta(days=2)) == []  # review not announced open

    notify.clock = lambda: close + timedelta(minutes=1)
    with review_scheduler(stack, campaign) as scheduler:
        assert {"submission:closed", "review:opened"} <= set(scheduler.announce(close))
        wait_until(lambda: count(notify, drafts, campaign.id) == 0, 30, what="the drafts to be forgotten")
        assert send_reminders(notify, close - timedelta(minutes=3)) == []  # the calendar alone would remind
        wait_for_mails(mailpit, people, 6)  # invitation, receipt, 2 reminders, 2 stage mails
        assert len(send_reminders(notify, review.closes_at - timedelta(days=2))) == 1  # the reviewer's open work

        notify.clock = lambda: review.ends_before + timedelta(minutes=1)
        assert "review:closed" in scheduler.announce(review.ends_before)
        wait_for_mails(mailpit, people, 8)  # the reminder and the close's mail
        assert send_reminders(notify, review.ends_before - timedelta(minutes=2)) == []  # would remind: 1-day window

    assert subjects(mailpit, people.email("org"))[f"【演示】{campaign.name}｜“候选人征集申报”阶段已结束"] == 1
    body = body_of(mailpit, people.email("org"), "阶段已结束")
    assert "贵单位可推荐3名，已推荐0名" in body and f"{notify.settings.intake_url}/org/" in body
    assert subjects(mailpit, reviewer) == Counter([
        f"【演示】{campaign.name}｜“{review.name}”阶段已开始", f"【演示】{campaign.name}｜您还有1项评审工作未完成，距阶段结束还有2天",
        f"【演示】{campaign.name}｜“{review.name}”阶段已结束"])
    assert f"{notify.settings.review_url}/" in body_of(mailpit, reviewer, "阶段已开始")
    assert [s for s in subjects(mailpit, people.email("contact")) if "尚未提交" in s] == [
        f"【演示】{campaign.name}｜您的申报尚未提交，距截止还有2天"]
