"""The branches' shortlist of a domain (R4b), with R10 (受到过各级各类媒体平台表彰与奖励的具有优先入围资质)
first: media-honoured nominees before the others, more honours before fewer, then earlier submissions."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.campaign import Campaign


@dataclass(frozen=True)
class ShortlistEntry:
    nomination_id: str
    nominee_name: str
    media_priority: bool
    media_honours: int
    submitted_at: str
    state: str


def r10_order(entries: Iterable[ShortlistEntry]) -> list[ShortlistEntry]:
    return sorted(entries, key=lambda e: (not e.media_priority, -e.media_honours, e.submitted_at, e.nomination_id))


@dataclass(frozen=True)
class Places:
    places: int | None
    taken: int

    @property
    def left(self) -> int | None:
        return None if self.places is None else max(0, self.places - self.taken)

    @property
    def full(self) -> bool:
        return self.places is not None and self.taken >= self.places

    def label(self) -> str:
        if self.places is None:
            return f"已入围 {self.taken} 名（活动未规定每个领域的名额）"
        return f"已入围 {self.taken} / {self.places} 名，余 {self.left} 名"


def places_of(campaign: Campaign, taken: int) -> Places:
    return Places(campaign.review.shortlist_places_per_domain, taken)
