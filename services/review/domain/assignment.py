"""Who checks a new nomination: an active working-group reviewer of its business domain, without a
conflict of interest, with the fewest open nominations and below their cap; ties go to the reviewer who
has waited longest since an assignment (then by subject, so the choice is repeatable)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from services.review.domain.conflicts import NomineeTies, conflict_reason
from services.review.domain.people import Role, StaffMember


@dataclass(frozen=True)
class ToAssign:
    nomination_id: str
    domain: str
    ties: NomineeTies
    declared_conflicts: frozenset[str] = frozenset()
    current: str | None = None


def eligible_reviewers(item: ToAssign, reviewers: Iterable[StaffMember]) -> list[StaffMember]:
    return [reviewer for reviewer in reviewers
            if reviewer.role is Role.WORKING_GROUP and reviewer.active and reviewer.covers(item.domain)
            and conflict_reason(reviewer, item.ties, item.declared_conflicts) is None]


def choose_reviewer(item: ToAssign, reviewers: Iterable[StaffMember], loads: Mapping[str, int], default_cap: int,
                    exclude: Iterable[str] = (), last_assigned: Mapping[str, int] | None = None) -> StaffMember | None:
    """The reviewer to take `item`, or None when every eligible reviewer is at their cap (or there is none)."""
    excluded = set(exclude)
    order = last_assigned or {}
    open_to = [reviewer for reviewer in eligible_reviewers(item, reviewers)
               if reviewer.subject not in excluded and loads.get(reviewer.subject, 0) < (reviewer.cap or default_cap)]
    if not open_to:
        return None
    return min(open_to, key=lambda r: (loads.get(r.subject, 0), order.get(r.subject, -1), r.subject))


def assign_all(items: Sequence[ToAssign], reviewers: Sequence[StaffMember], loads: Mapping[str, int],
               default_cap: int) -> dict[str, str | None]:
    """Each item's reviewer, chosen one after another so that the load stays balanced across the batch."""
    running, chosen, turn = dict(loads), {}, {}
    for number, item in enumerate(items):
        reviewer = choose_reviewer(item, reviewers, running, default_cap, last_assigned=turn)
        chosen[item.nomination_id] = reviewer.subject if reviewer else None
        if reviewer is not None:
            running[reviewer.subject] = running.get(reviewer.subject, 0) + 1
            turn[reviewer.subject] = number
    return chosen
