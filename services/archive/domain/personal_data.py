"""Personal data in events (PIPL): which values of an event are personal, and the event without them.

A field is named the same wherever it appears (`phone` of the person, of the team leader, of the contact),
so the redaction walks the whole payload. What remains is the public record: names, units, domains,
deeds, decisions and their reasons."""
from __future__ import annotations

from collections.abc import Iterable

from shared.campaign.retention import PURGEABLE_FIELDS

PURGED = ""  # a purged value stays a string, so the redacted event still reads under its schema


def redact(envelope: dict, fields: Iterable[str] = PURGEABLE_FIELDS) -> dict:
    """The envelope with every value of `fields` in its payload replaced by PURGED."""
    names = frozenset(fields)
    return {**envelope, "payload": _without(envelope.get("payload") or {}, names)}


def holds_personal_data(envelope: dict, fields: Iterable[str] = PURGEABLE_FIELDS) -> bool:
    return redact(envelope, fields) != envelope


def _without(value, names: frozenset[str]):
    if isinstance(value, dict):
        return {key: (PURGED if key in names and item not in (None, PURGED) else _without(item, names))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_without(item, names) for item in value]
    return value
