"""A recipient's choices: which channels reach them, and whether they take reminders.

E-mail is the default channel; SMS is used only for someone who opted in and whose mobile number is
known. Someone who opted out of reminders still hears about their own nomination.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from services.notify.domain.model import Recipient

_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_PUNCTUATION = re.compile(r"[\s\-()（）]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_ADDRESS = 254  # RFC 5321's longest address, as intake takes it; the messages table's address column


@dataclass(frozen=True)
class Preferences:
    email: bool = True
    sms: bool = False
    reminders: bool = True

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Preferences:
        """Read stored preferences; missing keys keep their defaults, unknown keys are ignored."""
        data = data or {}
        return cls(**{name: bool(data[name]) for name in ("email", "sms", "reminders") if name in data})

    def as_dict(self) -> dict:
        return asdict(self)


def mobile_number(phone: str | None) -> str | None:
    """The 11-digit mainland mobile number in `phone` (spaces, dashes and +86 allowed), else None."""
    if not phone:
        return None
    digits = _PHONE_PUNCTUATION.sub("", phone)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix):]
    return digits if _MAINLAND_MOBILE.fullmatch(digits) else None


def email_address(email: str | None) -> str | None:
    """The e-mail address in lower case, or None when it is not one."""
    if not email:
        return None
    email = email.strip().lower()
    return email if _EMAIL.fullmatch(email) else None


def address_problem(channel: str, address: str | None) -> str | None:
    """Why a message on `channel` can never reach `address` (the stored, normalised address), or None.
    An e-mail address must be plain ASCII: the mailer speaks SMTP without SMTPUTF8."""
    if not (address or "").strip():
        return "收件地址为空 / no address"
    if len(address) > MAX_ADDRESS:
        return f"收件地址过长 / address longer than {MAX_ADDRESS} characters"
    if channel == "email":
        if email_address(address) != address.strip().lower() or not address.isascii():
            return f"邮箱地址无效 / invalid e-mail address: {address[:100]!r}"
        return None
    if channel == "sms":
        return None if mobile_number(address) else f"手机号无效 / invalid mobile number: {address[:40]!r}"
    return f"未知的发送渠道 / unknown channel {channel!r}"


def channels_for(recipient: Recipient, *, sms_available: bool = True) -> list[str]:
    """The channels that reach `recipient` for one message, e-mail first.

    `sms_available` is False for a message that has no SMS text.
    """
    channels = []
    if recipient.prefs.email and email_address(recipient.email):
        channels.append("email")
    if sms_available and recipient.prefs.sms and mobile_number(recipient.phone):
        channels.append("sms")
    return channels


def wants_reminders(recipient: Recipient) -> bool:
    return recipient.prefs.reminders
