"""One bad row or message fails alone (issue 14: every process survives one bad message, row or file and
goes on with the rest): a pending message with an empty or unusable address is failed for good by the real
worker with its reason (not re-queued by the sweeper forever), a template that fails for one message's values
fails that message as the consumer records it while the event's other messages are sent; both are kept for
the operator (admin pages, message.failed, /metrics)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import messages, outbox, template_overrides
from services.notify.domain.templates import TEMPLATE_FOLDER
from services.notify.service_layer.delivery import requeue_lost
from tests.integration.notify import harness
from tests.integration.notify.mailboxes import body_of, wait_for_mails
from tests.integration.notify.harness import event, submission
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def pending_row(people, n: int, address: str, channel: str = "email", name: str = "李红梅") -> dict:
    return dict(id=str(uuid.uuid4()), dedup_key=f"test:{people.tag}:{n}", cause_event_type="nomination.submitted",
                nomination_id=people.nomination_id(n), recipient_kind="contact", recipient_name=name,
                address=address, channel=channel, template="submission_received", lang="zh",
                subject="已收到您的申报材料", body="测试正文\n", state="pending", next_attempt_at=datetime.now(timezone.utc))


def settled(engine, ids: list[str]) -> bool:
    return all(row.state in ("sent", "failed") for row in harness.message_rows(engine, messages.c.id.in_(ids)))


def failed_event_of(engine, message_id: str) -> dict:
    with engine.connect() as conn:
        return conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.event_type == "message.failed",
            outbox.c.envelope["payload"]["message_id"].astext == message_id)).scalar_one()


def test_pending_rows_with_unusable_addresses_fail_for_good_and_the_others_are_sent(
        mail_consumer, mailpit, people, admin):
    notify = mail_consumer
    rows = [pending_row(people, 0, ""), pending_row(people, 1, "李@例子.中国"), pending_row(people, 2, "12345", "sms"),
            pending_row(people, 3, people.email("good"), name="李\r\n红梅"), pending_row(people, 4, "13900001111", "fax")]
    with notify.engine.begin() as conn:
        conn.execute(sa.insert(messages), rows)
    ids = [row["id"] for row in rows]
    notify.queue_delivery(ids)

    wait_until(lambda: settled(notify.engine, ids), 60, 0.3, "every row sent or failed")
    by_id = {row.id: row for row in harness.message_rows(notify.engine, messages.c.id.in_(ids))}
    empty, not_ascii, bad_mobile, good, fax = (by_id[i] for i in ids)
    assert (good.state, good.failure) == ("sent", None)
    assert [mail["To"][0]["Name"] for mail in mailpit.to(people.email("good"))] == ["李 红梅"]
    for row in (empty, not_ascii, bad_mobile, fax):
        assert (row.state, row.failure, row.attempts) == ("failed", "address", 1), row
    assert empty.last_error.startswith("收件地址为空")
    assert "邮箱地址无效" in not_ascii.last_error and "手机号无效" in bad_mobile.last_error
    assert "未知的发送渠道" in fax.last_error  # it has no rate-limit bucket either
    assert failed_event_of(notify.engine, empty.id)["payload"]["provider_answer"].startswith("收件地址为空")

    assert not set(requeue_lost(notify)) & set(ids)  # the sweeper leaves them alone
    listed = admin.get("/admin/messages", query_string={"state": "failed", "failure": "address",
                                                         "recipient": "李@例子"}).get_data(as_text=True)
    assert f"/admin/messages/{not_ascii.id}\"" in listed and "收件地址无效" in listed
    page = admin.get(f"/admin/messages/{empty.id}").get_data(as_text=True)
    assert "失败原因" in page and "收件地址无效" in page and "收件地址为空" in page
    refused = admin.post(f"/admin/messages/{empty.id}/resend", data={"csrf_token": admin.csrf}, follow_redirects=True)
    assert "收件地址无效，重发也无法送达" in refused.get_data(as_text=True)
    assert not harness.message_rows(notify.engine, messages.c.resend_of == empty.id)
    metrics = admin.get("/metrics").get_data(as_text=True)
    assert 'tuiju_notify_failed_messages{channel="email",failure="address"}' in metrics


# Passes the check (the example recipient has a name) and fails for a recipient without one.
SALUTATION = "{{ recipient_name[0] }}老师，您好："


@pytest.fixture()
def failing_template(mail_consumer):
    """The secretariat's edit of the confirmation mail that fails for a contact who left no name."""
    source = (TEMPLATE_FOLDER / "submission_received.zh.txt").read_text(encoding="utf-8")
    edited = source.replace("{% if recipient_name %}{{ recipient_name }}，{% endif %}您好：", SALUTATION)
    assert SALUTATION in edited
    mail_consumer.templates.check("submission_received.zh.txt", edited)
    key = dict(name="submission_received", lang="zh", channel="email")
    with mail_consumer.engine.begin() as conn:
        conn.execute(sa.insert(template_overrides).values(**key, source=edited, updated_by="test"))
    yield key
    with mail_consumer.engine.begin() as conn:
        conn.execute(sa.delete(template_overrides).where(*(template_overrides.c[k] == v for k, v in key.items())))


def test_a_template_failing_for_one_message_fails_it_alone_and_the_event_goes_on(
        mail_consumer, failing_template, publisher, mailpit, people, admin):
    notify = mail_consumer
    nameless = submission(people, 0, nominee_email=False,
                          contact={"name": "", "email": people.email("contact-0"), "phone": people.mobile()})
    named = submission(people, 1, nominee_email=False)
    publisher.publish(event("nomination.submitted", nameless), event("nomination.submitted", named))

    wait_for_mails(mailpit, people, 3, timeout=60)  # the named contact's and the organisation's two
    about_nameless = harness.message_rows(notify.engine, messages.c.nomination_id == people.nomination_id(0))
    by_kind = {row.recipient_kind: row for row in about_nameless}
    broken, recommender = by_kind["contact"], by_kind["recommender"]
    assert (broken.state, broken.failure, broken.subject, broken.body) == ("failed", "template", "", "")
    assert "模板无法生成" in broken.last_error and "占位符的第 0 项不存在" in broken.last_error
    assert failed_event_of(notify.engine, broken.id)["payload"]["attempt"] == 0
    assert recommender.state == "sent" and not mailpit.to(people.email("contact-0"))
    assert "李老师，您好：" in body_of(mailpit, people.email("contact-1"), "已收到您的申报材料")

    page = admin.get(f"/admin/messages/{broken.id}").get_data(as_text=True)
    assert "模板无法生成" in page and "重发这条消息" in page
    with notify.engine.begin() as conn:  # the secretariat mends the template, then resends
        conn.execute(sa.delete(template_overrides).where(
            *(template_overrides.c[k] == v for k, v in failing_template.items())))
    assert admin.post(f"/admin/messages/{broken.id}/resend", data={"csrf_token": admin.csrf}).status_code == 302
    wait_until(lambda: mailpit.to(people.email("contact-0")), 30, 0.3, "the resent confirmation")
    body = body_of(mailpit, people.email("contact-0"), "已收到您的申报材料")
    assert "老师" not in body and "您好：" in body and nameless["nominee_name"] in body
