"""Which campaign an event belongs to (its personal data is sealed with that campaign's key)."""
from __future__ import annotations

CAMPAIGN_KEYED_TYPES = ("candidates.published", "honourees.confirmed", "campaign.")


def campaign_named_by(event_type: str, key: str, payload: dict) -> str | None:
    """The campaign the event itself names, if any."""
    if payload.get("campaign_id"):
        return str(payload["campaign_id"])
    if event_type.startswith(CAMPAIGN_KEYED_TYPES):
        return key
    return None


def nomination_named_by(payload: dict) -> str | None:
    return str(payload["nomination_id"]) if payload.get("nomination_id") else None
