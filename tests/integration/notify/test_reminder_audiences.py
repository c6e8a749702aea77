"""The reminders before the submission deadline reach everyone intake told notify of: invited
organisations (organisation.invited), including those that have submitted nothing, and the contacts of
saved drafts (nomination.draft_saved) until the nomination is submitted or withdrawn. Real events on the
real Kafka, notify's consumer, a real Celery worker, and the mails read back from Mailpit."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import drafts, organisations
from services.notify.service_layer.reminders import current_campaign, send_reminders
from shared.events import new_event
from tests.integration.notify import harness
from tests.integration.notify.harness import event, submission
from tests.integration.notify.mailboxes import CAMPAIGN, body_of, subjects, wait_for_mails
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def worker(notify_env, logs):
    process = harness.start_worker(notify_env, logs, name="reminder-worker")
    yield process
    process.stop()


@pytest.fixture()
def notify(notify_env, people, tmp_path):
    container = harness.notify_with_own_campaign(notify_env, people, tmp_path)
    yield container
    container.engine.dispose()


@pytest.fixture()
def consumer(notify, worker):
    yield from harness.consumer_running(notify)


def invited(notify, people, who: str, quota: int = 3) -> dict:
    organisation_id = f"ORG-{who}-{people.tag}"
    return new_event("organisation.invited", organisation_id, {
        "organisation_id": organisation_id, "campaign_id": notify.campaign_id, "campaign_name": CAMPAIGN,
        "name": f"{who}高校后勤协会", "type": "local_association", "email": people.email(who),
        "contact_name": f"{who}秘书", "quota": quota, "deadline_local": "2023年2月28日 23:59（北京时间）",
        "invitation_url": f"https://tuiju.example.cn/org/invite/{who}-{people.tag}"}, producer="intake")


def draft_saved(notify, people, n: int, nominee_name: str = "", verified: bool = True) -> object:
    return event("nomination.draft_saved", {"contact_verified": verified,
        "nomination_id": people.nomination_id(n), "campaign_id": notify.campaign_id, "campaign_name": CAMPAIGN,
        "nominee_name": nominee_name, "edit_url": f"https://tuiju.example.cn/n/draft-{people.tag}-{n}",
        "contact": {"name": "李红梅", "email": people.email(f"contact-{n}"), "phone": None}})


def count_rows(notify, table: sa.Table) -> int:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)
                            .where(table.c.campaign_id == notify.campaign_id)).scalar()


def deadline_of(notify) -> datetime:
    return current_campaign(notify, datetime.now(timezone.utc)).submission.closes_at


def test_invited_organisations_with_unused_places_get_the_reminder_with_or_without_a_submission(
        consumer, notify, publisher, mailpit, people, admin):
    quiet, submitted = invited(notify, people, "quiet"), invited(notify, people, "busy")
    nomination = submission(people, 0, campaign_id=notify.campaign_id)
    nomination["recommender"].update(org_id=submitted.key, email=people.email("busy"))
    publisher.publish(invited(notify, people, "new"), quiet, submitted, event("nomination.submitted", nomination))
    wait_for_mails(mailpit, people, 5)  # three invitations; the submission's contact and "busy"
    answer = admin.post("/admin/recipients", data={"address": people.email("quiet"), "email": "on",
                                                  "csrf_token": admin.csrf})  # no reminders
    assert answer.status_code == 302 and count_rows(notify, organisations) == 3
    deadline = deadline_of(notify)

    assert send_reminders(notify, deadline - timedelta(days=8)) == []
    assert len(send_reminders(notify, deadline - timedelta(days=2, hours=1))) == 2
    assert send_reminders(notify, deadline - timedelta(days=2)) == []
    assert send_reminders(notify, deadline + timedelta(minutes=1)) == []
    wait_for_mails(mailpit, people, 7)

    assert subjects(mailpit, people.email("new"))["贵单位尚有3个推荐名额，距截止还有3天"] == 1
    assert subjects(mailpit, people.email("busy"))["贵单位尚有2个推荐名额，距截止还有3天"] == 1
    assert subjects(mailpit, people.email("quiet")) == Counter(["推荐单位账号开通邀请"])
    body = body_of(mailpit, people.email("new"), "推荐名额")
    assert f"{notify.settings.intake_url}/org/" in body and "new秘书" in body
    assert len(mailpit.search(f"to:@{people.domain}")) == 7


def test_draft_contact_is_reminded_until_the_nomination_is_submitted_and_never_after_the_deadline(
        consumer, notify, publisher, mailpit, people):
    publisher.publish(draft_saved(notify, people, 0), draft_saved(notify, people, 0, nominee_name="王秀兰"),
                      draft_saved(notify, people, 1, nominee_name="赵刚"), draft_saved(notify, people, 2),
                      draft_saved(notify, people, 3, verified=False))
    wait_until(lambda: count_rows(notify, drafts) == 3, 30, 0.2, "the drafts to be stored")
    deadline = deadline_of(notify)

    assert send_reminders(notify, deadline - timedelta(days=10)) == []
    assert len(send_reminders(notify, deadline - timedelta(days=6))) == 3
    wait_for_mails(mailpit, people, 3)
    body = body_of(mailpit, people.email("contact-0"), "尚未提交")
    assert f"https://tuiju.example.cn/n/draft-{people.tag}-0" in body and "王秀兰" in body

    publisher.publish(event("nomination.submitted", submission(people, 0, campaign_id=notify.campaign_id,
                                                               recommender=False)),
                      event("nomination.withdrawn", {"nomination_id": people.nomination_id(2),
                                                     "campaign_id": notify.campaign_id, "by": "applicant"}))
    wait_until(lambda: count_rows(notify, drafts) == 1, 30, 0.2, "the submitted and withdrawn drafts to be forgotten")
    wait_for_mails(mailpit, people, 4)  # the submission's mail to its contact
    assert len(send_reminders(notify, deadline - timedelta(days=2))) == 1
    assert send_reminders(notify, deadline - timedelta(days=1, hours=23)) == []
    assert send_reminders(notify, deadline + timedelta(minutes=1)) == []
    wait_for_mails(mailpit, people, 5)

    assert subjects(mailpit, people.email("contact-1")) == Counter(["您的申报尚未提交，距截止还有6天",
                                                                    "您的申报尚未提交，距截止还有2天"])
    assert subjects(mailpit, people.email("contact-2")) == Counter(["您的申报尚未提交，距截止还有6天"])
    reminded = [s for s in subjects(mailpit, people.email("contact-0")) if "尚未提交" in s]
    assert reminded == ["您的申报尚未提交，距截止还有6天"]
    assert len(mailpit.search(f"to:@{people.domain}")) == 5
    assert subjects(mailpit, people.email("contact-3")) == Counter()  # never verified: never reminded


def test_a_verified_contact_whose_email_changed_is_no_longer_reminded(consumer, notify, publisher, people):
    publisher.publish(draft_saved(notify, people, 0), draft_saved(notify, people, 1))
    wait_until(lambda: count_rows(notify, drafts) == 2, 30, 0.2, "the drafts to be stored")
    publisher.publish(draft_saved(notify, people, 1, verified=False))
    wait_until(lambda: count_rows(notify, drafts) == 1, 30, 0.2, "the unverified contact to be forgotten")
    assert len(send_reminders(notify, deadline_of(notify) - timedelta(days=6))) == 1
