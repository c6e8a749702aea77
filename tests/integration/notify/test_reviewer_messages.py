"""The reviewers registered on notify's admin pages hear of their queue: a daily digest of the nominations
that became open for review in their business domains, and reminders before the review stage closes while
they have open work, once review's scheduler announced the stage open. Real events on the real Kafka,
notify's consumer, a real Celery worker, and the mails read back from Mailpit."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import campaign_stages, nominations, reviewers
from services.notify.domain.reviewers import digest_period
from services.notify.service_layer.reminders import current_campaign, send_reminders
from services.notify.service_layer.reviewers import apply_staff_update, send_reviewer_digests
from tests.integration.notify import harness
from tests.integration.notify.harness import event, submission
from tests.integration.notify.mailboxes import body_of, subjects, wait_for_mails
from shared.events import new_event
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def worker(notify_env, logs):
    process = harness.start_worker(notify_env, logs, name="reviewer-worker")
    yield process
    process.stop()


@pytest.fixture()
def notify(notify_env, people, tmp_path):
    container = harness.notify_with_own_campaign(notify_env, people, tmp_path)
    with container.sessions.begin() as session:  # reviewers other tests' review accounts left in the directory
        session.execute(sa.update(reviewers).where(~reviewers.c.email.like(f"%@{people.domain}")).values(active=False))
    yield container
    forget_reviewers(container, people)
    container.engine.dispose()


@pytest.fixture()
def consumer(notify, worker):
    yield from harness.consumer_running(notify)


def register(notify, people, who: str, *domains: str, reminders: bool = True) -> str:
    """A working-group reviewer as review's `staff.updated` describes them (reminders are notify's own)."""
    email = people.email(who)
    with notify.sessions.begin() as session:
        apply_staff_update(notify, session, {"subject": f"{people.tag}-{who}", "name": f"{who}评审", "email": email,
                                             "role": "working_group", "domains": list(domains), "active": True})
        session.execute(sa.update(reviewers).where(reviewers.c.email == email).values(reminders=reminders))
    return email


def forget_reviewers(notify, people) -> None:
    with notify.sessions.begin() as session:
        session.execute(sa.delete(reviewers).where(reviewers.c.email.like(f"%@{people.domain}")))


def submitted(notify, people, n: int, domain: str, nominee_name: str):
    return event("nomination.submitted", submission(people, n, campaign_id=notify.campaign_id, recommender=False,
                                                    domain=domain, nominee_name=nominee_name))


def decided(notify, people, n: int, event_type: str):
    payload = {"nomination_id": people.nomination_id(n), "campaign_id": notify.campaign_id}
    if event_type == "nomination.advanced":
        payload.update(from_stage="submitted", to_stage="checked", decided_by="branch-1")
    else:
        payload.update(fields=["deeds"], files=[], reason="事迹材料中的获奖时间与证书不一致。",
                       correction_deadline="2023-03-10T10:00:00+00:00", returned_by="reviewer-3")
    return event(event_type, payload, producer="review")


def review_opened(notify, review):
    return new_event("campaign.stage_opened", notify.campaign_id, {
        "campaign_id": notify.campaign_id, "stage": "review", "at_utc": review.opens_at.isoformat(),
        "at_local": review.opens_at.strftime("%Y-%m-%d %H:%M:%S")}, producer="review")


def review_announced(notify) -> bool:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(campaign_stages.c.opened_at).where(
            campaign_stages.c.campaign_id == notify.campaign_id, campaign_stages.c.stage == "review")).scalar() is not None


def open_in_queue(notify) -> int:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(nominations).where(
            nominations.c.campaign_id == notify.campaign_id, nominations.c.in_review_queue.is_(True))).scalar()


def queued_between(notify) -> tuple:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.min(nominations.c.queued_at), sa.func.max(nominations.c.queued_at))
                            .where(nominations.c.campaign_id == notify.campaign_id)).one()


def test_reviewer_digest_lists_the_new_nominations_of_their_domain_once_a_period(
        consumer, notify, publisher, mailpit, people):
    food = register(notify, people, "food", "伙食管理")
    dorm = register(notify, people, "dorm", "学生公寓")
    publisher.publish(submitted(notify, people, 0, "伙食管理", "王秀兰"), submitted(notify, people, 1, "伙食管理", "赵刚"),
                      submitted(notify, people, 2, "学生公寓", "孙丽"))
    wait_until(lambda: open_in_queue(notify) == 3, 30, 0.2, "the nominations to enter the review queue")
    wait_for_mails(mailpit, people, 3)  # each contact's receipt
    first, last = queued_between(notify)
    zone = current_campaign(notify, last).zone
    period = digest_period(last + timedelta(days=1), zone)  # the period in which they were queued
    assert period.starts <= first and last < period.ends

    assert send_reviewer_digests(notify, period.starts) == []  # the period before: nothing was new
    assert len(send_reviewer_digests(notify, period.ends + timedelta(minutes=1))) == 2
    assert send_reviewer_digests(notify, period.ends + timedelta(hours=23)) == []  # the same period
    assert send_reviewer_digests(notify, period.ends + timedelta(days=1)) == []  # nothing new since
    wait_for_mails(mailpit, people, 5)

    assert subjects(mailpit, food) == Counter(["您的评审队列新增2项工作"])
    assert subjects(mailpit, dorm) == Counter(["您的评审队列新增1项工作"])
    body = body_of(mailpit, food, "评审队列")
    assert "王秀兰（伙食管理，新申报）" in body and "赵刚（伙食管理，新申报）" in body and "孙丽" not in body
    assert f"{notify.settings.review_url}/" in body and "food评审" in body
    assert "孙丽（学生公寓，新申报）" in body_of(mailpit, dorm, "评审队列")
    assert len(mailpit.search(f"to:@{people.domain}")) == 5


def test_reviewer_is_reminded_of_open_work_before_the_review_stage_closes_and_not_once_it_is_decided(
        consumer, notify, publisher, mailpit, people):
    food = register(notify, people, "food", "伙食管理")
    dorm = register(notify, people, "dorm", "学生公寓")
    quiet = register(notify, people, "quiet", reminders=False)  # every domain, no reminders
    publisher.publish(submitted(notify, people, 0, "伙食管理", "王秀兰"), submitted(notify, people, 1, "伙食管理", "赵刚"),
                      submitted(notify, people, 2, "学生公寓", "孙丽"))
    wait_until(lambda: open_in_queue(notify) == 3, 30, 0.2, "three nominations open for review")
    # The decision comes on another topic (reviews): published once the submission is in, as review would.
    publisher.publish(decided(notify, people, 2, "nomination.advanced"))
    wait_until(lambda: open_in_queue(notify) == 2, 30, 0.2, "two nominations open for review")
    wait_for_mails(mailpit, people, 3)
    review = current_campaign(notify, queued_between(notify)[1]).stage("review")
    assert send_reminders(notify, review.closes_at - timedelta(days=6)) == []  # the stage not announced open
    publisher.publish(review_opened(notify, review))  # as review's scheduler announces it (long ago: no mail)
    wait_until(lambda: review_announced(notify), 30, 0.2, "the review stage's opening to be recorded")

    assert send_reminders(notify, review.closes_at - timedelta(days=8)) == []
    assert len(send_reminders(notify, review.closes_at - timedelta(days=6))) == 1  # food only
    wait_for_mails(mailpit, people, 4)

    publisher.publish(decided(notify, people, 0, "nomination.returned"), decided(notify, people, 1, "nomination.advanced"),
                      submitted(notify, people, 3, "学生公寓", "钱伟"))
    wait_until(lambda: open_in_queue(notify) == 1, 30, 0.2, "food's work decided and a new one for dorm")
    wait_for_mails(mailpit, people, 6)  # the return's and the new submission's mails to their contacts
    assert len(send_reminders(notify, review.closes_at - timedelta(days=2))) == 1  # dorm only
    assert send_reminders(notify, review.closes_at - timedelta(days=1, hours=23)) == []
    assert send_reminders(notify, review.closes_at + timedelta(minutes=1)) == []
    wait_for_mails(mailpit, people, 7)

    assert subjects(mailpit, food) == Counter(["您还有2项评审工作未完成，距阶段结束还有6天"])
    assert subjects(mailpit, dorm) == Counter(["您还有1项评审工作未完成，距阶段结束还有2天"])
    assert subjects(mailpit, quiet) == Counter()
    body = body_of(mailpit, food, "评审工作")
    assert f"{notify.settings.review_url}/" in body and f"“{review.name}”阶段" in body
    assert len(mailpit.search(f"to:@{people.domain}")) == 7


def test_review_staff_events_keep_the_directory_and_the_page_lists_it_read_only(admin, notify, consumer, people):
    subject = f"{people.tag}-kc"
    staff = {"subject": subject, "name": "张评审", "email": people.email("zhang"), "role": "working_group",
             "domains": ["伙食管理"], "active": True}
    publish = harness.Publisher(notify.settings.kafka_bootstrap).publish
    publish(staff_event(staff))
    wait_until(lambda: directory_row(notify, subject) is not None, 30, what="the reviewer")
    assert tuple(directory_row(notify, subject)) == ("张评审", "评审工作组", ["伙食管理"], True)
    listing = admin.get("/admin/reviewers").get_data(as_text=True)
    assert people.email("zhang") in listing and "新增评审人员" not in listing
    assert admin.get("/admin/reviewers/new").status_code == 404

    publish(staff_event({**staff, "role": "branch", "domains": ["信息化"]}), staff_event({**staff, "active": False}))
    wait_until(lambda: directory_row(notify, subject).active is False, 30, what="the deactivation")
    assert tuple(directory_row(notify, subject)) == ("张评审", "评审工作组", ["伙食管理"], False)
    publish(staff_event({**staff, "role": "auditor"}))
    wait_until(lambda: directory_row(notify, subject).role == "评审工作组" and not directory_row(notify, subject).active,
               30, what="an auditor to stay inactive")


def staff_event(payload: dict):
    return new_event("staff.updated", payload["subject"], payload, producer="review")


def directory_row(notify, subject: str):
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(reviewers.c.name, reviewers.c.role, reviewers.c.domains, reviewers.c.active)
                            .where(reviewers.c.subject == subject)).first()
