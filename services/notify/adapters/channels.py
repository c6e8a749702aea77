"""The channels a message can go by, behind one interface: e-mail (SMTP) and SMS (a provider)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from services.notify.adapters.errors import PermanentDeliveryError, TransientDeliveryError, UndeliverableAddress
from services.notify.adapters.mail import OutgoingMail, SmtpMailer
from services.notify.adapters.sms import SmsProvider
from services.notify.domain.preferences import address_problem


class StoredMessage(Protocol):
    """What a channel reads of a row of the messages table."""

    id: str
    channel: str
    address: str
    recipient_name: str
    subject: str
    body: str
    lang: str


@dataclass
class Channels:
    mailer: SmtpMailer
    sms: SmsProvider

    def reference(self, message: StoredMessage) -> str:
        """What identifies the message at the provider before it is sent (the e-mail's Message-ID)."""
        if message.channel == "email":
            return f"Message-ID: {self.mailer.message_id_header(message.id)}"
        return ""

    def send(self, message: StoredMessage, on_accepted: Callable[[], None]) -> str:
        """Send by the message's channel; `on_accepted` runs as soon as the provider has accepted it.
        Returns the provider's answer, or raises a DeliveryError (then `on_accepted` has not run): an
        address no provider can reach is refused for good before any provider is called."""
        problem = address_problem(message.channel, message.address)
        if problem:
            raise UndeliverableAddress(problem)
        if message.channel == "email":
            mail = OutgoingMail(message.id, message.address, message.recipient_name, message.subject, message.body,
                                message.lang)
            return self.mailer.send(mail, on_accepted)
        if message.channel == "sms":
            answer = self._send_sms(message)
            on_accepted()
            return answer
        raise PermanentDeliveryError(f"未知的发送渠道 / unknown channel {message.channel!r}")

    def _send_sms(self, message: StoredMessage) -> str:
        try:
            result = self.sms.send(message.address, message.body)
        except Exception as error:  # noqa: BLE001 - a provider adapter's surprise is retried, not a crash
            raise TransientDeliveryError(f"短信服务异常 / SMS provider error: {type(error).__name__}: {error}") from error
        if result.accepted:
            return f"provider id {result.provider_id or '-'}"
        if result.permanent:
            raise PermanentDeliveryError(result.error or "短信被拒绝 / SMS refused")
        raise TransientDeliveryError(result.error or "短信服务暂不可用 / SMS provider unavailable")
