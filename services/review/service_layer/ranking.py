"""The committee's ranking of a campaign, read for the pages: before the list is confirmed, computed from
the score sheets of the shortlisted nominations (aggregate, R10, the campaign's tie keys, the recorded tie
decisions); afterwards, the ranking as confirmed with where each nomination stands now."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import candidate_lists, nominations, reviews, score_sheets, tie_decisions
from services.review.domain.candidates import BalanceRow, ListState, balance, tied_groups
from services.review.domain.committee import entry_of
from services.review.domain.ranking import Entry, Selection, TieDecision, select
from services.review.domain.scoring import Sheet
from services.review.domain.states import State

DETAILS = (reviews.c.nomination_id, nominations.c.nominee_name, nominations.c.unit, nominations.c.domain,
           nominations.c.channel, nominations.c.nominee_kind, nominations.c.media_priority,
           nominations.c.media_honours, reviews.c.state)


@dataclass(frozen=True)
class RankedRow:
    rank: int
    nomination_id: str
    nominee_name: str
    unit: str
    domain: str
    channel: str
    nominee_kind: str
    media_priority: bool
    score: float
    criteria: dict
    sheets: int
    state: str
    selected: bool


@dataclass
class Ranking:
    rows: list[RankedRow]
    places: int
    state: ListState
    unresolved: list[list[RankedRow]] = field(default_factory=list)
    ties: list[tuple[str, ...]] = field(default_factory=list)  # every group tied on every key
    unscored: list = field(default_factory=list)  # (nomination_id, nominee_name, sheets)
    decisions: list = field(default_factory=list)
    selection: Selection | None = None

    def balance_by(self, attribute: str, order=()) -> list[BalanceRow]:
        return balance([getattr(r, attribute) for r in self.rows if r.selected],
                       [getattr(r, attribute) for r in self.rows], order)

    @property
    def candidates(self) -> list[RankedRow]:
        return [row for row in self.rows if row.state in (State.CANDIDATE, State.HONOUREE)]


def list_row(session: Session, campaign_id: str, *, lock: bool = False):
    query = sa.select(candidate_lists).where(candidate_lists.c.campaign_id == campaign_id)
    return session.execute(query.with_for_update() if lock else query).first()


def list_state(row) -> ListState:
    if row is None:
        return ListState()
    return ListState(row.confirmed_at, row.published_at, row.notice_closes_at, row.announced_at)


def ranking_of(session: Session, campaign) -> Ranking:
    row = list_row(session, campaign.id)
    return confirmed_ranking(session, campaign, row) if row is not None else live_ranking(session, campaign)


def live_ranking(session: Session, campaign) -> Ranking:
    details = {r.nomination_id: r for r in session.execute(
        sa.select(*DETAILS).join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
        .where(reviews.c.state == State.SHORTLISTED, nominations.c.campaign_id == campaign.id))}
    sheets: dict[str, list[Sheet]] = {}
    for s in session.execute(sa.select(score_sheets).where(score_sheets.c.nomination_id.in_(list(details)))):
        sheets.setdefault(s.nomination_id, []).append(Sheet(s.nomination_id, s.member, s.scores, s.comment))
    entries, unscored = [], []
    for nomination_id, d in details.items():
        entry = entry_of(nomination_id, d.nominee_kind, sheets.get(nomination_id, []), campaign,
                         media_priority=d.media_priority, media_honours=d.media_honours)
        if entry is None:
            unscored.append((nomination_id, d.nominee_name, len(sheets.get(nomination_id, []))))
        else:
            entries.append(entry)
    decided = tie_decisions_of(session, campaign.id)
    selection = select(entries, campaign.candidates, campaign.scoring, [TieDecision(tuple(d.ordered)) for d in decided])
    chosen = set(selection.selected)
    rows = [_row(rank, e, details[e.nomination_id], len(sheets[e.nomination_id]), e.nomination_id in chosen)
            for rank, e in enumerate(selection.ordered, start=1)]
    by_id = {r.nomination_id: r for r in rows}
    return Ranking(rows, campaign.candidates, ListState(), [[by_id[i] for i in group] for group in selection.unresolved],
                   tied_groups(entries, campaign.scoring), sorted(unscored, key=lambda u: (u[2], u[1])), decided,
                   selection)


def confirmed_ranking(session: Session, campaign, row) -> Ranking:
    """The ranking as confirmed, each nomination with its state now (refills change who is a candidate)."""
    ids = [item["nomination_id"] for item in row.ranking]
    details = {r.nomination_id: r for r in session.execute(
        sa.select(*DETAILS).join(nominations, nominations.c.nomination_id == reviews.c.nomination_id)
        .where(reviews.c.nomination_id.in_(ids)))}
    rows = []
    for item in row.ranking:
        d = details[item["nomination_id"]]
        entry = Entry(d.nomination_id, item["score"], d.media_priority, d.media_honours, item["criteria"])
        rows.append(_row(item["rank"], entry, d, item["sheets"], d.state in (State.CANDIDATE, State.HONOUREE)))
    return Ranking(rows, row.places, list_state(row), decisions=tie_decisions_of(session, campaign.id))


def _row(rank: int, entry: Entry, d, sheets: int, selected: bool) -> RankedRow:
    return RankedRow(rank, entry.nomination_id, d.nominee_name, d.unit, d.domain, d.channel, d.nominee_kind,
                     d.media_priority, entry.score, dict(entry.criteria), sheets, d.state, selected)


def tie_decisions_of(session: Session, campaign_id: str) -> list:
    return session.execute(sa.select(tie_decisions).where(tie_decisions.c.campaign_id == campaign_id)
                           .order_by(tie_decisions.c.at, tie_decisions.c.id)).all()
