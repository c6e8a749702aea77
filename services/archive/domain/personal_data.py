"""Personal data in events (PIPL): which values of an event are personal, and the event without them.

A field is named the same wherever it appears (`phone` of the person, of the team leader, of the contact),
so the redaction walks the whole payload. What remains is the public record: names, units, domains,
deeds, decisions and their reasons."""
from __future__ import annotations

from collections.abc import Iterable

from shared.campaign.retention import PURGEABLE_FIELDS
from shared.purge import redact as redact_value


def redact(envelope: dict, fields: Iterable[str] = PURGEABLE_FIELDS) -> dict:
    """The envelope with every value of `fields` in its payload blanked."""
    return {**envelope, "payload": redact_value(envelope.get("payload") or {}, fields)}


def holds_personal_data(envelope: dict, fields: Iterable[str] = PURGEABLE_FIELDS) -> bool:
    return redact(envelope, fields) != envelope
