"""The public notice (公示) and announcement (通报) of a campaign as one snapshot of public fields only, built
from review's tables when the list changes and kept by the cache (adapters/notice_cache.py), so that
readers never reach the database: the candidates in the confirmed ranking's order with name, unit,
domain, kind and the masked deeds; the changes of the list (who left, who took the place); the window."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import candidate_lists, list_changes, nominations, reviews
from services.review.domain.public_text import masked, summary
from services.review.domain.search import normalised
from services.review.domain.states import State

PUBLIC_STATES = (State.CANDIDATE, State.HONOUREE)


@dataclass(frozen=True)
class PublicCandidate:
    place: int
    nomination_id: str
    name: str
    unit: str
    domain: str
    team: bool
    summary: str
    deeds: str
    photo_file_id: str | None
    media_priority: bool

    def matches(self, query: str) -> bool:
        return normalised(query) in normalised(f"{self.name} {self.unit} {self.domain}")


@dataclass(frozen=True)
class PublicChange:
    at: datetime
    left: str
    came_in: str
    why: str  # disqualified | withdrawn


@dataclass(frozen=True)
class PublicNotice:
    campaign_id: str
    version: int
    opens_at: datetime
    closes_at: datetime
    announced_at: datetime | None
    candidates: tuple[PublicCandidate, ...]
    changes: tuple[PublicChange, ...]

    def is_open(self, now: datetime) -> bool:
        return self.announced_at is None and self.opens_at <= now <= self.closes_at

    def candidate(self, nomination_id: str) -> PublicCandidate | None:
        return next((c for c in self.candidates if c.nomination_id == nomination_id), None)


def notice_version(session: Session, campaign_id: str) -> int | None:
    """The published list's version (None: nothing published), one indexed row."""
    return session.execute(sa.select(candidate_lists.c.version).where(
        candidate_lists.c.campaign_id == campaign_id, candidate_lists.c.published_at.is_not(None))).scalar()


def build_notice(session: Session, campaign_id: str) -> PublicNotice | None:
    row = session.execute(sa.select(candidate_lists).where(candidate_lists.c.campaign_id == campaign_id)).first()
    if row is None or row.published_at is None:
        return None
    ranked = [item["nomination_id"] for item in row.ranking]
    details = {r.nomination_id: r for r in session.execute(
        sa.select(reviews.c.nomination_id, reviews.c.state, nominations.c.snapshot, nominations.c.unit,
                  nominations.c.domain, nominations.c.nominee_kind, nominations.c.media_priority)
        .join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
        .where(reviews.c.nomination_id.in_(ranked)))}
    shown = [details[nid] for nid in ranked if nid in details and details[nid].state in PUBLIC_STATES]
    candidates = tuple(_candidate(place, d) for place, d in enumerate(shown, start=1))
    names = {nid: _name(details[nid]) for nid in ranked if nid in details}
    changes = tuple(PublicChange(c.at, names.get(c.left_id, ""), names.get(c.came_in_id, "") if c.came_in_id else "", c.why)
                    for c in session.execute(sa.select(list_changes).where(list_changes.c.campaign_id == campaign_id)
                                             .order_by(list_changes.c.at, list_changes.c.id)))
    return PublicNotice(campaign_id, row.version, row.notice_opens_at, row.notice_closes_at, row.announced_at,
                        candidates, changes)


def _candidate(place: int, d) -> PublicCandidate:
    snapshot = d.snapshot
    photo = next((f["file_id"] for f in snapshot.get("files") or [] if f.get("kind") == "photo"), None)
    return PublicCandidate(place, d.nomination_id, _name(d), d.unit, d.domain, d.nominee_kind == "team",
                           summary(snapshot.get("deeds") or ""), masked(snapshot.get("deeds") or ""), photo,
                           bool(d.media_priority))


def _name(d) -> str:
    return str(d.snapshot.get("nominee_name") or "")
