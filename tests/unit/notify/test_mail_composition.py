"""The SMTP adapter's pure parts: the message it composes and how it classifies a server's refusals."""
import smtplib
import socket

import pytest

from services.notify.adapters.errors import PermanentDeliveryError, TransientDeliveryError
from services.notify.adapters.mail import OutgoingMail, SmtpMailer, classify_smtp_error

pytestmark = pytest.mark.unit

MAIL = OutgoingMail("3f1c-42", "lihm@example.cn", "李红梅", "推举活动｜已收到您的申报材料", "您好：\n已收到。\n")


def test_composed_mail_has_utf8_subject_and_a_message_id_made_from_the_message_id():
    composed = SmtpMailer("127.0.0.1", 25, "推举活动组委会 <noreply@tuiju.example.cn>").compose(MAIL)
    assert composed["Message-ID"] == "<3f1c-42@tuiju.example.cn>"
    assert str(composed["Subject"]) == "推举活动｜已收到您的申报材料"
    assert composed["To"].addresses[0].display_name == "李红梅"
    plain = composed.get_body(preferencelist=("plain",))
    assert plain.get_content() == "您好：\n已收到。\n"
    assert plain.get_content_charset() == "utf-8"


def test_composed_mail_is_the_text_and_its_html_as_alternatives():
    composed = SmtpMailer("127.0.0.1", 25, "noreply@tuiju.example.cn").compose(MAIL)
    assert composed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in composed.iter_parts()] == ["text/plain", "text/html"]
    html_part = composed.get_body(preferencelist=("html",)).get_content()
    assert "您好：<br>已收到。" in html_part and 'name="viewport"' in html_part


def test_message_id_of_a_sender_without_domain_uses_a_local_one():
    assert SmtpMailer("h", 25, "noreply").message_id_header("m-1") == "<m-1@tuiju.local>"


@pytest.mark.parametrize(("error", "kind"), [
    (smtplib.SMTPRecipientsRefused({"a@b.cn": (550, b"mailbox unavailable")}), PermanentDeliveryError),
    (smtplib.SMTPRecipientsRefused({"a@b.cn": (450, b"mailbox busy")}), TransientDeliveryError),
    (smtplib.SMTPDataError(554, b"message refused"), PermanentDeliveryError),
    (smtplib.SMTPSenderRefused(421, b"try later", "noreply@x.cn"), TransientDeliveryError),
    (smtplib.SMTPServerDisconnected("gone"), TransientDeliveryError),
    (ConnectionRefusedError(111, "Connection refused"), TransientDeliveryError),
    (socket.timeout("timed out"), TransientDeliveryError),
])
def test_smtp_refusal_is_permanent_only_for_a_5xx_answer(error, kind):
    assert type(classify_smtp_error(error)) is kind


def test_refused_recipient_is_named_with_the_servers_answer():
    error = classify_smtp_error(smtplib.SMTPRecipientsRefused({"a@b.cn": (550, b"5.1.1 no such user")}))
    assert str(error) == "收件人被拒绝 / recipient refused: a@b.cn: 550 5.1.1 no such user"


def test_a_mail_that_cannot_be_built_is_refused_for_good_before_any_connection():
    from services.notify.adapters.errors import UncomposableMessage, UndeliverableAddress
    from services.notify.domain.failures import ADDRESS, COMPOSE

    mailer = SmtpMailer("127.0.0.1", 1, "Tuiju <noreply@tuiju.local>")  # nothing listens: never reached
    with pytest.raises(UndeliverableAddress) as empty:
        mailer.send(OutgoingMail("m1", "", "李红梅", "主题", "正文"))
    with pytest.raises(UncomposableMessage) as foreign:
        mailer.send(OutgoingMail("m2", "李@例子.中国", "李红梅", "主题", "正文"))
    assert (empty.value.failure, foreign.value.failure) == (ADDRESS, COMPOSE)
    assert str(empty.value).startswith("收件地址为空") and "NonASCIILocalPart" in str(foreign.value)


def test_a_display_name_with_a_line_break_is_put_on_one_line():
    mailer = SmtpMailer("127.0.0.1", 1, "Tuiju <noreply@tuiju.local>")
    composed = mailer.compose(OutgoingMail("m3", "li@example.edu.cn", "李\r\n红梅", "主题", "正文"))
    assert composed["To"].addresses[0].display_name == "李 红梅"
