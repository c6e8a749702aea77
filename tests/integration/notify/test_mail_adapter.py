"""The SMTP adapter against real SMTP servers (Mailpit): what arrives, and how refusals are classified."""
from __future__ import annotations

import ssl
import subprocess

import pytest

from services.notify.adapters.errors import PermanentDeliveryError, TransientDeliveryError
from services.notify.adapters.mail import OutgoingMail, SmtpMailer
from tests.integration.notify.mailboxes import PrivateMailpit

pytestmark = pytest.mark.integration


def mail_to(people, who: str = "contact") -> OutgoingMail:
    return OutgoingMail(message_id=f"{people.tag}-1", to_address=people.email(who), to_name="李红梅",
                        subject="全国教育后勤系统“2022年度最美后勤人”推举活动｜已收到您的申报材料",
                        body="李红梅，您好：\n\n已收到您的申报材料。\nhttps://tuiju.example.cn/status/abc\n")


def test_mail_arrives_in_utf8_with_its_message_id_after_login(stack, mailpit, people):
    mailer = SmtpMailer("127.0.0.1", int(stack["TUIJU_SMTP_PORT"]), "推举活动组委会 <noreply@tuiju.local>",
                        user="notify", password="secret")
    answer = mailer.send(mail_to(people))
    [mail] = mailpit.to(people.email("contact"))
    assert answer.startswith("250 ")
    assert (mail["Subject"], mail["MessageID"], mail["Username"]) == (
        "全国教育后勤系统“2022年度最美后勤人”推举活动｜已收到您的申报材料", f"{people.tag}-1@tuiju.local", "notify")
    assert (mail["From"]["Name"], mail["To"][0]["Name"]) == ("推举活动组委会", "李红梅")
    assert mailpit.text(mail["ID"]).replace("\r\n", "\n") == mail_to(people).body


def test_mail_arrives_as_text_and_html_from_the_same_text(stack, mailpit, people):
    SmtpMailer("127.0.0.1", int(stack["TUIJU_SMTP_PORT"]), "noreply@tuiju.local").send(mail_to(people))
    [mail] = mailpit.to(people.email("contact"))
    page = mailpit.html(mail["ID"])
    assert mailpit.text(mail["ID"]).replace("\r\n", "\n") == mail_to(people).body
    assert "李红梅，您好：" in page and "已收到您的申报材料。" in page
    assert '<a href="https://tuiju.example.cn/status/abc"' in page and ">打开链接</a>" in page


def test_recipient_refused_with_5xx_is_a_permanent_failure(people, tmp_path):
    smtp = PrivateMailpit(tmp_path, "--smtp-allowed-recipients", "^contact@").start()
    try:
        mailer = SmtpMailer("127.0.0.1", smtp.smtp_port, "noreply@tuiju.local")
        assert mailer.send(mail_to(people, "contact")).startswith("250 ")
        with pytest.raises(PermanentDeliveryError, match="550"):
            mailer.send(mail_to(people, "org"))
    finally:
        smtp.kill()


def test_server_not_listening_is_a_transient_failure(people, tmp_path):
    smtp = PrivateMailpit(tmp_path)  # never started: nothing listens on its port
    with pytest.raises(TransientDeliveryError, match="ConnectionRefusedError"):
        SmtpMailer("127.0.0.1", smtp.smtp_port, "noreply@tuiju.local", timeout=3).send(mail_to(people))


@pytest.fixture()
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, and a client context that trusts only it."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return key, cert, ssl.create_default_context(cafile=str(cert))


def test_starttls_and_login_when_the_server_requires_them(people, tmp_path, certificate):
    key, cert, trusted = certificate
    smtp = PrivateMailpit(tmp_path, "--smtp-tls-cert", str(cert), "--smtp-tls-key", str(key),
                                  "--smtp-require-starttls", "--smtp-auth-accept-any").start()
    try:
        secure = SmtpMailer("127.0.0.1", smtp.smtp_port, "noreply@tuiju.local", user="notify", password="secret",
                            tls=True, tls_context=trusted)
        assert secure.send(mail_to(people)).startswith("250 ")
        [mail] = smtp.api.to(people.email("contact"))
        assert mail["Username"] == "notify"
        with pytest.raises(PermanentDeliveryError, match="530"):
            SmtpMailer("127.0.0.1", smtp.smtp_port, "noreply@tuiju.local").send(mail_to(people, "org"))
        with pytest.raises(TransientDeliveryError, match="SSLCertVerificationError"):
            SmtpMailer("127.0.0.1", smtp.smtp_port, "noreply@tuiju.local", tls=True).send(mail_to(people, "org"))
    finally:
        smtp.kill()
