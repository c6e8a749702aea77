"""Each event reaches the people it concerns, in Chinese, with their links, through the real Kafka,
notify's consumer, its Celery worker and the real SMTP server (Mailpit, read through its REST API);
and the secretariat's pages release held sends and resend messages."""
from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import messages
from services.notify.bootstrap import bootstrap
from services.notify.service_layer.reminders import current_campaign, send_reminders
from shared.config import REPO_ROOT
from shared.events import new_event
from tests.integration.notify import harness
from tests.integration.notify.conftest import OPERATOR
from tests.integration.notify.harness import event, submission
from tests.integration.notify.mailboxes import CAMPAIGN, body_of, subjects, wait_for_mails
from tests.stack import wait_until

pytestmark = pytest.mark.integration

HOLD_THRESHOLD = 10


@pytest.fixture(scope="module")
def env(notify_env):
    return {**notify_env, "TUIJU_NOTIFY_HOLD_THRESHOLD": str(HOLD_THRESHOLD)}


@pytest.fixture(scope="module")
def notify(env):
    container = bootstrap(env)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def worker(env, logs):
    process = harness.start_worker(env, logs)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def consumer(notify, worker):
    thread, stop = harness.consumer_thread(notify, f"notify-test-{uuid.uuid4().hex[:8]}")
    yield
    stop.set()
    thread.join(15)





def returned(nomination_id: str) -> dict:
    return {"nomination_id": nomination_id, "campaign_id": "2022-zuimei-houqin", "fields": ["deeds", "person.phone"],
            "files": ["certificate"], "reason": "事迹材料中的获奖时间与证书不一致。",
            "correction_deadline": "2023-03-10T10:00:00+00:00", "returned_by": "reviewer-3"}


def candidates(people, numbers: list[int], names: dict[int, str] | None = None) -> dict:
    names = names or {}
    return {"campaign_id": "2022-zuimei-houqin", "notice_url": f"https://tuiju.example.cn/notice/{people.tag}",
            "opens_at": "2023-03-13T01:00:00+00:00", "closes_at": "2023-03-19T10:00:00+00:00",
            "candidates": [{"nomination_id": people.nomination_id(n), "rank": i + 1,
                            "nominee_name": names.get(n, "王秀兰"), "unit": "上海某大学后勤集团", "domain": "伙食管理"}
                           for i, n in enumerate(numbers)]}


def test_each_event_reaches_the_people_it_concerns_in_chinese_with_their_links(consumer, publisher, mailpit, people):
    first, second, third = (submission(people, 0), submission(people, 1, nominee_name="赵刚"),
                            submission(people, 2, recommender=False, nominee_email=False, nominee_name="孙丽"))
    publisher.publish(*(event("nomination.submitted", payload) for payload in (first, second, third)))
    wait_for_mails(mailpit, people, 5)
    n0, n1, n2 = (people.nomination_id(n) for n in range(3))
    objection = {"nomination_id": n0, "objection_id": f"OBJ-{people.tag}", "objector_email": people.email("objector"),
                 "summary": "获奖情况与实际不符。"}
    publisher.publish(
        event("upload.scanned", {"nomination_id": n0, "file_id": "F-1", "kind": "sealed_form", "filename": "报名表.pdf",
                                 "verdict": "flagged", "reasons": ["未识别到红色公章。"], "findings": {"seal_found": False}}),
        event("upload.scanned", {"nomination_id": n0, "file_id": "F-2", "kind": "photo", "verdict": "ok",
                                 "findings": {}}),
        event("nomination.returned", returned(n0), producer="review"),
        event("nomination.resubmitted", {**first, "version": 2, "changed_fields": ["deeds"]}),
        event("nomination.advanced", {"nomination_id": n0, "campaign_id": "2022-zuimei-houqin", "from_stage": "checked",
                                      "to_stage": "shortlisted", "decided_by": "branch-1"}, producer="review"),
        event("objection.filed", objection, producer="review"),
        event("objection.resolved", {**objection, "outcome": "dismissed", "reason": "经核实，证书属实。"}, producer="review"),
        event("nomination.disqualified", {"nomination_id": n1, "campaign_id": "2022-zuimei-houqin", "stage": "review",
                                          "rule": "R11", "reason": "荣誉证书系伪造。"}, producer="review"),
        event("nomination.withdrawn", {"nomination_id": n2, "campaign_id": "2022-zuimei-houqin", "by": "contact",
                                       "reason": "工作调动。"}),
    )
    wait_for_mails(mailpit, people, 21)
    publisher.publish(event("candidates.published", candidates(people, [0]), producer="review"),
                      event("honourees.confirmed", {"campaign_id": "2022-zuimei-houqin", "honourees": [
                          {"nomination_id": n0, "nominee_name": "王秀兰", "domain": "伙食管理"}]}, producer="review"))
    wait_for_mails(mailpit, people, 27)

    assert subjects(mailpit, people.email("contact-0")) == Counter([
        "已收到您的申报材料", "您上传的材料需要处理", "申报材料需要补正", "已收到您重新提交的申报材料", "“王秀兰”已入围",
        "异议核查结果", "“王秀兰”入选候选人并进行公示", "祝贺“王秀兰”获评"])
    assert subjects(mailpit, people.email("nominee-0")) == Counter([
        "“王秀兰”已入围", "异议核查结果", "“王秀兰”入选候选人并进行公示", "祝贺“王秀兰”获评"])
    assert subjects(mailpit, people.email("org")) == Counter(
        {"贵单位推荐的“王秀兰”有新进展": 6, "贵单位推荐的“赵刚”有新进展": 2})
    assert subjects(mailpit, people.email("objector")) == Counter(["已收到您提出的异议", "异议核查结果"])
    assert subjects(mailpit, people.email("contact-1")) == Counter(["已收到您的申报材料", "关于取消“赵刚”参与资格的通知"])
    assert subjects(mailpit, people.email("nominee-1")) == Counter(["关于取消“赵刚”参与资格的通知"])
    assert subjects(mailpit, people.email("contact-2")) == Counter(["已收到您的申报材料", "申报已撤回"])
    assert len(mailpit.search(f"to:@{people.domain}")) == 27

    status_link = f"https://tuiju.example.cn/status/{people.tag}-0"
    assert status_link in body_of(mailpit, people.email("contact-0"), "已收到您的申报材料")
    correction = body_of(mailpit, people.email("contact-0"), "需要补正")
    for expected in ("事迹材料中的获奖时间与证书不一致。", "- 事迹材料", "- 联系电话", "- 最高荣誉证书扫描件",
                     "2023年3月10日 18:00（北京时间）", status_link):
        assert expected in correction
    assert "未识别到红色公章。" in body_of(mailpit, people.email("contact-0"), "需要处理")
    assert f"https://tuiju.example.cn/notice/{people.tag}" in body_of(mailpit, people.email("nominee-0"), "公示")
    outcome_to_nominee = body_of(mailpit, people.email("nominee-0"), "异议核查结果")
    assert "异议不成立" in outcome_to_nominee and "获奖情况与实际不符" not in outcome_to_nominee
    assert "荣誉证书系伪造。" in body_of(mailpit, people.email("contact-1"), "取消")


def test_every_delivery_is_recorded_with_its_event_for_the_archive(consumer, publisher, mailpit, people, notify):
    publisher.publish(event("nomination.submitted", submission(people, recommender=False, nominee_email=False)))
    wait_for_mails(mailpit, people, 1)
    [row] = harness.message_rows(notify.engine, messages.c.nomination_id == people.nomination_id())
    mail = mailpit.to(people.email("contact-0"))[0]
    assert (row.state, row.attempts, row.template, row.channel) == ("sent", 1, "submission_received", "email")
    assert mail["MessageID"] == f"{row.id}@tuiju.local"
    with notify.engine.connect() as conn:
        envelope = conn.execute(sa.text("SELECT envelope FROM outbox WHERE event_type = 'message.delivered' "
                                        "AND envelope->'payload'->>'message_id' = :id"), {"id": row.id}).scalar_one()
    assert envelope["key"] == people.nomination_id()
    assert envelope["payload"]["cause_event_id"] == row.cause_event_id
    assert envelope["payload"]["provider_answer"] == f"Message-ID: <{row.id}@tuiju.local>"


def test_sms_goes_to_a_recipient_who_chose_it(consumer, publisher, mailpit, people, env, admin):
    payload = submission(people, recommender=False, nominee_email=False)
    publisher.publish(event("nomination.submitted", payload))
    wait_for_mails(mailpit, people, 1)
    page = admin.get("/admin/recipients", query_string={"address": people.mobile()}).get_data(as_text=True)
    assert payload["nomination_id"] in page
    answer = admin.post("/admin/recipients", data={"address": people.mobile(), "email": "on", "sms": "on",
                                                  "reminders": "on", "csrf_token": admin.csrf})
    assert answer.status_code == 302
    publisher.publish(event("nomination.returned", returned(payload["nomination_id"]), producer="review"))
    wait_for_mails(mailpit, people, 2)
    sink = Path(env["TUIJU_SMS_SINK"])
    wait_until(lambda: sink.exists() and payload["status_url"] in sink.read_text(), 15, 0.3, "the SMS in the sink")
    [sms] = [json.loads(line) for line in sink.read_text().splitlines() if payload["status_url"] in line]
    assert sms["phone"] == people.mobile()
    assert "需补正" in sms["text"]
    assert subjects(mailpit, people.email("contact-0")) == Counter(["已收到您的申报材料", "申报材料需要补正"])


def test_large_send_is_held_until_the_secretariat_releases_it(consumer, publisher, mailpit, people, notify, admin):
    publisher.publish(*(event("nomination.submitted", submission(people, n)) for n in range(4)))
    wait_for_mails(mailpit, people, 8)
    published = event("candidates.published", candidates(people, [0, 1, 2, 3]), producer="review")
    publisher.publish(published)
    held = harness.wait_for_rows(notify.engine, 12, messages.c.cause_event_id == published.event_id, what="held rows")
    assert {row.state for row in held} == {"held"}
    time.sleep(2)
    assert len(mailpit.search(f"to:@{people.domain}")) == 8

    page = admin.get("/admin/held").get_data(as_text=True)
    assert published.event_id in page and "放行 12 条" in page
    answer = admin.post("/admin/held/release", data={"occasion": published.event_id, "csrf_token": admin.csrf},
                        follow_redirects=True)
    assert "已放行 12 条消息" in answer.get_data(as_text=True)
    wait_for_mails(mailpit, people, 20)
    assert subjects(mailpit, people.email("org"))["贵单位推荐的“王秀兰”有新进展"] == 8
    released = harness.message_rows(notify.engine, messages.c.cause_event_id == published.event_id)
    assert {(row.state, row.released_by) for row in released} == {("sent", OPERATOR)}


def test_resend_from_the_admin_page_is_a_new_message_and_keeps_the_first(consumer, publisher, mailpit, people, notify,
                                                                         admin):
    publisher.publish(event("nomination.submitted", submission(people, recommender=False, nominee_email=False)))
    wait_for_mails(mailpit, people, 1)
    [first] = harness.message_rows(notify.engine, messages.c.nomination_id == people.nomination_id())

    page = admin.get(f"/admin/messages/{first.id}").get_data(as_text=True)
    assert "重发这条消息" in page and people.email("contact-0") in page
    answer = admin.post(f"/admin/messages/{first.id}/resend", data={"csrf_token": admin.csrf})
    assert answer.status_code == 302
    wait_for_mails(mailpit, people, 2)

    [again] = harness.message_rows(notify.engine, messages.c.resend_of == first.id)
    [kept] = harness.message_rows(notify.engine, messages.c.id == first.id)
    assert (again.dedup_key, again.state, again.body) == (f"resend:{first.id}:1", "sent", first.body)
    assert (kept.state, kept.sent_at, kept.attempts) == ("sent", first.sent_at, first.attempts)
    assert {mail["MessageID"] for mail in mailpit.to(people.email("contact-0"))} == {
        f"{first.id}@tuiju.local", f"{again.id}@tuiju.local"}
    listed = admin.get("/admin/messages", query_string={"nomination_id": people.nomination_id()}).get_data(as_text=True)
    assert listed.count(f"/admin/messages/{first.id}\"") == 1 and listed.count(f"/admin/messages/{again.id}\"") == 1


def test_unused_quota_reminder_goes_once_a_window_and_not_after_the_deadline(consumer, publisher, mailpit, people,
                                                                              env, tmp_path, admin):
    campaign_file = tmp_path / "campaign.yaml"
    source = (REPO_ROOT / "campaigns" / "2022-zuimei-houqin.yaml").read_text(encoding="utf-8")
    campaign_id = f"test-{people.tag}"
    campaign_file.write_text(source.replace("id: 2022-zuimei-houqin", f"id: {campaign_id}", 1), encoding="utf-8")
    notify = bootstrap({**env, "TUIJU_CAMPAIGN_FILE": str(campaign_file)})
    opted_out = submission(people, 1, campaign_id=campaign_id)
    opted_out["recommender"].update(org_id=f"ORG-B-{people.tag}", email=people.email("quiet-org"))
    publisher.publish(event("nomination.submitted", submission(people, 0, campaign_id=campaign_id)),
                      event("nomination.submitted", opted_out))
    wait_for_mails(mailpit, people, 4)
    answer = admin.post("/admin/recipients", data={"address": people.email("quiet-org"), "email": "on",
                                                  "csrf_token": admin.csrf})  # no reminders
    assert answer.status_code == 302
    deadline = current_campaign(notify, datetime.now(timezone.utc)).submission.closes_at

    assert send_reminders(notify, deadline - timedelta(days=8)) == []
    assert len(send_reminders(notify, deadline - timedelta(days=2, hours=1))) == 1
    assert send_reminders(notify, deadline - timedelta(days=2)) == []
    assert send_reminders(notify, deadline + timedelta(minutes=1)) == []
    wait_for_mails(mailpit, people, 5)

    assert subjects(mailpit, people.email("org"))["贵单位尚有2个推荐名额，距截止还有3天"] == 1
    assert "2023年2月28日 23:59（北京时间）" in body_of(mailpit, people.email("org"), "推荐名额")
    assert subjects(mailpit, people.email("quiet-org")) == Counter({"贵单位推荐的“王秀兰”有新进展": 1})
    notify.engine.dispose()


def test_an_imported_organisation_receives_its_invitation_link_by_email_once(consumer, publisher, mailpit, people):
    invitation = {"organisation_id": f"ORG-{people.tag}", "campaign_id": "2022-zuimei-houqin", "campaign_name": CAMPAIGN,
                  "name": "某省高校后勤协会", "type": "local_association", "email": people.email("org"),
                  "contact_name": "王秘书", "quota": 3, "deadline_local": "2023年2月28日 23:59:59（北京时间）",
                  "invitation_url": f"https://tuiju.example.cn/org/invite/{people.tag}"}
    invited = new_event("organisation.invited", invitation["organisation_id"], invitation, producer="intake")
    publisher.publish(invited, invited)  # delivered twice: the inbox and the dedup key keep it to one mail
    wait_for_mails(mailpit, people, 1)
    assert subjects(mailpit, people.email("org")) == Counter(["推荐单位账号开通邀请"])
    body = body_of(mailpit, people.email("org"), "邀请")
    assert f"https://tuiju.example.cn/org/invite/{people.tag}" in body and "可推荐 3 名" in body


def test_a_contact_with_the_longest_address_intake_accepts_gets_the_mail(consumer, publisher, mailpit, people):
    address = "c" * 64 + "@" + ("x" * 63 + ".") * 2 + people.domain  # intake takes addresses up to 254 characters
    assert 200 < len(address) <= 254
    name = "欧阳" * 15  # the longest contact name intake takes (30 characters)
    publisher.publish(event("nomination.submitted", submission(
        people, 0, contact={"name": name, "email": address, "phone": people.mobile()})))
    wait_until(lambda: mailpit.to(address), 60, what="the mail to the long address")
    assert subjects(mailpit, address) == Counter(["已收到您的申报材料"])
