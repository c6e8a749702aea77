"""Personal data in events (PIPL): which values of an event are personal, and the event without them.

A field is named the same wherever it appears (`phone` of the person, of the team leader, of the contact),
so the redaction walks the whole payload. What remains is the public record: names, units, domains,
deeds, decisions and their reasons."""
from __future__ import annotations

from collections.abc import Iterable

from shared.campaign.retention import PURGEABLE_FIELDS
from shared.purge import redact as redact_value

FIELD_LABELS = {"phone": "手机", "email": "电子邮箱", "address": "通讯地址", "postcode": "邮政编码", "ethnic_group": "民族",
                "political_status": "政治面貌", "recipient": "消息收件地址", "objector_email": "异议人邮箱"}


def redact(envelope: dict, fields: Iterable[str] = PURGEABLE_FIELDS) -> dict:
    """The envelope with every value of `fields` in its payload blanked."""
    return {**envelope, "payload": redact_value(envelope.get("payload") or {}, fields)}


def holds_personal_data(envelope: dict, fields: Iterable[str] = PURGEABLE_FIELDS) -> bool:
    return redact(envelope, fields) != envelope
