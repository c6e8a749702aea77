"""Who may open which nomination (R12, and each role's part of the stage): every page and API call asks
`view_refusal` on the server before it shows anything of a nominee."""
from __future__ import annotations

from services.review.domain.conflicts import conflict_reason
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import State
from services.review.domain.transitions import Facts

# What reaches each role after the material check: branches see what was approved and what became of it;
# the committee what was shortlisted and what became of it.
COMMITTEE_STATES = frozenset({State.SHORTLISTED, State.CANDIDATE, State.NOT_SELECTED, State.HONOUREE})
BRANCH_STATES = frozenset({State.APPROVED, State.NOT_SHORTLISTED}) | COMMITTEE_STATES
EVERYTHING = frozenset(State)
STATES_SEEN = {
    Role.SECRETARIAT: EVERYTHING,
    Role.AUDITOR: EVERYTHING,
    Role.WORKING_GROUP: EVERYTHING,
    Role.BRANCH: BRANCH_STATES,
    Role.COMMITTEE: COMMITTEE_STATES,
}


def view_refusal(actor: StaffMember, facts: Facts) -> str | None:
    """Why `actor` may not open this nomination, or None when they may."""
    if not actor.active:
        return "您的评审账号已停用"
    if not actor.covers(facts.domain):
        return f"“{facts.domain}”不是您负责的业务领域"
    if facts.state not in STATES_SEEN[actor.role]:
        return "此推荐不在您的评审环节"
    if actor.role is Role.AUDITOR:
        return None
    conflict = conflict_reason(actor, facts.ties, facts.declared_conflicts)
    return f"{conflict}，按回避原则（R12）不能查看" if conflict else None


def states_seen(actor: StaffMember) -> frozenset[State]:
    return STATES_SEEN[actor.role]
