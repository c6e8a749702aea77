"""Ranking to exactly N (R4c: 由评审委员会确定100名入选候选人): the aggregate score first, then R10's
media-honour priority and the campaign's further keys; a tie that still decides who is in is never put in
an arbitrary order: it waits for the committee's recorded decision. After a disqualification the
next-ranked nominee takes the place."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from shared.campaign import Scoring


@dataclass(frozen=True)
class Entry:
    nomination_id: str
    score: float
    media_priority: bool = False
    media_honours: int = 0
    criteria: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TieDecision:
    """The committee's recorded order of nominations that tie on every key."""

    order: tuple[str, ...]
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Selection:
    ordered: tuple[Entry, ...]  # the whole ranking, decided ties applied
    selected: tuple[str, ...]  # the first N, when no tie at the line is undecided
    unresolved: tuple[tuple[str, ...], ...]  # ties that straddle the line, awaiting a decision

    @property
    def complete(self) -> bool:
        return not self.unresolved


def key_of(entry: Entry, scoring: Scoring) -> tuple:
    """Sorts higher first: the score, then each tie key the campaign names, in its order."""
    parts: list[float] = [-round(entry.score, 6)]
    for key in scoring.tie_keys:
        name, _, code = key.partition(":")
        if name == "media_priority":
            parts.append(0 if entry.media_priority else 1)
        elif name == "media_honours":
            parts.append(-entry.media_honours)
        elif name == "criterion":
            parts.append(-round(entry.criteria.get(code, 0.0), 6))
    return tuple(parts)


def tie_groups(entries: Sequence[Entry], scoring: Scoring) -> list[list[Entry]]:
    """The entries in rank order, grouped where every key is equal (most groups hold one entry)."""
    ordered = sorted(entries, key=lambda e: key_of(e, scoring))
    return [list(group) for _, group in groupby(ordered, key=lambda e: key_of(e, scoring))]


def select(entries: Sequence[Entry], n: int, scoring: Scoring,
           decisions: Sequence[TieDecision] = (), excluded: Sequence[str] = ()) -> Selection:
    """The ranking and its first `n`, skipping `excluded` (disqualified) nominations. A tie group that
    straddles the line is ordered by a decision naming all its members, or reported as unresolved."""
    gone = set(excluded)
    ordered: list[Entry] = []
    unresolved: list[tuple[str, ...]] = []
    for group in tie_groups([e for e in entries if e.nomination_id not in gone], scoring):
        straddles = len(ordered) < n < len(ordered) + len(group)
        decided = _decided_order(group, decisions)
        if decided is not None:
            group = decided
        elif straddles:
            unresolved.append(tuple(sorted(e.nomination_id for e in group)))
        ordered += group if decided is not None else sorted(group, key=lambda e: e.nomination_id)
    selected = tuple(e.nomination_id for e in ordered[:n]) if not unresolved else ()
    return Selection(tuple(ordered), selected, tuple(unresolved))


def _decided_order(group: list[Entry], decisions: Sequence[TieDecision]) -> list[Entry] | None:
    if len(group) == 1:
        return group
    members = {e.nomination_id: e for e in group}
    for decision in reversed(decisions):  # the latest decision about a group counts
        ranked = [nid for nid in decision.order if nid in members]
        if len(ranked) == len(members):
            return [members[nid] for nid in ranked]
    return None


def refill(confirmed: Sequence[str], ranking: Sequence[str], disqualified: Sequence[str]) -> tuple[list[str], list[str]]:
    """After disqualifications, the confirmed list with each disqualified place taken by the next-ranked
    nominee of the confirmed ranking not yet on the list; returns (new list, who came in)."""
    gone = set(disqualified)
    kept = [nid for nid in confirmed if nid not in gone]
    on_list = set(confirmed)
    reserve = [nid for nid in ranking if nid not in on_list and nid not in gone]
    came_in = reserve[:len(confirmed) - len(kept)]
    return kept + came_in, came_in
