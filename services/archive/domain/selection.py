"""Which archived events a replay takes: all, one campaign, one nomination, a time range (any together)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Selection:
    campaign_id: str | None = None
    nomination_id: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    def takes(self, campaign_id: str | None, envelope: dict) -> bool:
        occurred = datetime.fromisoformat(envelope["occurred_at"])
        return ((self.campaign_id is None or campaign_id == self.campaign_id)
                and (self.nomination_id is None or self.nomination_id in _nominations_of(envelope))
                and (self.since is None or occurred >= self.since)
                and (self.until is None or occurred < self.until))


def _nominations_of(envelope: dict) -> set[str]:
    payload = envelope.get("payload") or {}
    return {envelope.get("key"), str(payload.get("nomination_id") or "")} - {"", None}
