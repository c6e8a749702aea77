"""Sending e-mail over SMTP (STARTTLS and login when configured), one connection a message. Each mail is
multipart/alternative: the rendered text, and the HTML made from that same text (domain/html_mail.py).

The Message-ID is made from notify's message id, so a message sent again after a crash (the one
window notify cannot close: the server accepted it, the worker died before recording that) carries the
same Message-ID as the first copy and can be recognised as the same message.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from typing import Callable
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from opentelemetry.trace import SpanKind

from services.notify.adapters.errors import (
    DeliveryError, PermanentDeliveryError, TransientDeliveryError, UncomposableMessage, UndeliverableAddress,
)
from services.notify.domain.html_mail import as_html
from shared.tracing import tracer


@dataclass(frozen=True)
class OutgoingMail:
    message_id: str
    to_address: str
    to_name: str
    subject: str
    body: str
    lang: str = "zh"


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str, *, user: str = "", password: str = "",
                 tls: bool = False, timeout: float = 15.0, tls_context: ssl.SSLContext | None = None):
        """`tls`: STARTTLS, verifying the server's certificate against the system's CAs (or `tls_context`)."""
        self.host = host
        self.port = port
        self.sender = sender
        self.user = user
        self.password = password
        self.tls = tls
        self.timeout = timeout
        self.tls_context = tls_context

    @classmethod
    def from_settings(cls, settings) -> "SmtpMailer":
        return cls(settings.smtp_host, settings.smtp_port, settings.mail_from, user=settings.smtp_user,
                   password=settings.smtp_password, tls=settings.smtp_tls)

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1]

    def message_id_header(self, message_id: str) -> str:
        _, at, domain = self.sender_address.rpartition("@")
        domain = domain if at and domain else "tuiju.local"
        return f"<{message_id}@{domain}>"

    def compose(self, mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = Address(display_name=_one_line(mail.to_name), addr_spec=mail.to_address)
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = self.message_id_header(mail.message_id)
        message["X-Tuiju-Message"] = mail.message_id
        message.set_content(mail.body, charset="utf-8")
        message.add_alternative(as_html(mail.subject, mail.body, mail.lang), subtype="html", charset="utf-8")
        return message

    def payload(self, mail: OutgoingMail) -> bytes:
        """The mail as sent on the wire; UndeliverableAddress or UncomposableMessage when it cannot be built."""
        try:
            return self.compose(mail).as_bytes(policy=policy.SMTP)
        except (ValueError, TypeError, LookupError, MessageError) as error:
            reason = f"{type(error).__name__}: {error}"
            if not mail.to_address.strip():
                raise UndeliverableAddress(f"收件地址为空 / no address ({reason})") from error
            raise UncomposableMessage(f"无法生成邮件 / cannot compose the mail: {reason}"[:500]) from error

    def send(self, mail: OutgoingMail, on_accepted: Callable[[], None] = lambda: None) -> str:
        """Send one message; returns the server's answer to it. Raises TransientDeliveryError or
        PermanentDeliveryError when the server did not accept it. `on_accepted` runs the moment the
        server has accepted the message, before the session is closed (the caller records it then).
        A message that cannot be built (an empty or malformed address) raises a PermanentDeliveryError
        before any connection is made."""
        payload = self.payload(mail)
        smtp = None
        with tracer().start_as_current_span("smtp send", kind=SpanKind.CLIENT,
                                            attributes={"tuiju.message_id": mail.message_id}) as span:
            try:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                self._open_session(smtp)
                answer = self._transmit(smtp, mail.to_address, payload)
            except (smtplib.SMTPException, OSError) as error:
                _close(smtp)
                raise classify_smtp_error(error) from error
            except UnicodeError as error:  # smtplib speaks ASCII: an address it cannot say is never sent
                _close(smtp)
                raise UndeliverableAddress(f"地址无法用于 SMTP / address not usable in SMTP: {error}") from error
            span.set_attribute("smtp.answer", answer[:200])
        try:
            on_accepted()
        finally:
            _quit(smtp)
        return answer

    def _open_session(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        if self.tls:
            smtp.starttls(context=self.tls_context or ssl.create_default_context())
            smtp.ehlo()
        if self.user:
            smtp.login(self.user, self.password)

    def _transmit(self, smtp: smtplib.SMTP, to_address: str, payload: bytes) -> str:
        code, answer = smtp.mail(self.sender_address)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, answer, self.sender_address)
        code, answer = smtp.rcpt(to_address)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({to_address: (code, answer)})
        code, answer = smtp.data(payload)
        if code != 250:
            raise smtplib.SMTPDataError(code, answer)
        return f"{code} {_text(answer)}"


def classify_smtp_error(error: BaseException) -> DeliveryError:
    """A 5xx answer about this message is permanent; a 4xx answer, a refused or dropped connection and a
    timeout are transient, and so is anything unforeseen (the retries end in `failed` if it lasts)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        answers = "; ".join(f"{address}: {code} {_text(text)}" for address, (code, text) in error.recipients.items())
        kind = PermanentDeliveryError if codes and all(500 <= code < 600 for code in codes) else TransientDeliveryError
        return kind(f"收件人被拒绝 / recipient refused: {answers}")
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        return PermanentDeliveryError(f"SMTP {error.smtp_code} {_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPResponseException):
        return TransientDeliveryError(f"SMTP {error.smtp_code} {_text(error.smtp_error)}")
    return TransientDeliveryError(f"SMTP 服务器不可用 / SMTP server unavailable: {type(error).__name__}: {error}")


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye; the message is accepted already, so a server that drops the line now changes nothing."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        _close(smtp)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


def _one_line(name: str | None) -> str:
    """A display name on one line (a name with a line break would make the To header invalid)."""
    return " ".join((name or "").split())


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", errors="replace") if isinstance(answer, bytes) else str(answer)
