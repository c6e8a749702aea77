"""The evaluation committee's scoring of the shortlist (R4c, R14, R12): who may score which nomination,
when, and what a sheet must hold; how far each member and each business domain has come; and one
nomination's ranking entry from its sheets.

A member scores each shortlisted nomination once, on the rubric of its nominee kind, with a short comment;
a submitted sheet is final (they saw the others' scores after submitting, so a change would no longer be
blind). Once the committee's list is confirmed no nomination is shortlisted any more, so scoring ends
with it. A member from the nominee's unit or recommending organisation, or who declared a conflict, does not
score it; the aggregate is made from the sheets there are, as the campaign says."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from shared.campaign import Campaign, Refusal
from shared.campaign.codes import REVIEW_STAGE
from services.review.domain.conflicts import conflict_reason
from services.review.domain.people import Role, StaffMember
from services.review.domain.ranking import Entry
from services.review.domain.scoring import Sheet, aggregate, check_sheet, criterion_shares
from services.review.domain.states import State, state_name
from services.review.domain.transitions import Facts

SCORED_STATES = frozenset({State.SHORTLISTED})
MIN_COMMENT = 2


@dataclass(frozen=True)
class ScoringFacts:
    """What scoring one nomination depends on, beyond the nomination's own facts."""

    facts: Facts
    scored_by: frozenset[str] = frozenset()  # members who submitted a sheet


def check_may_score(s: ScoringFacts, member: StaffMember, *, campaign: Campaign, now: datetime) -> None:
    """Refusal (in Chinese, with the reason) unless `member` may submit a sheet for this nomination now."""
    if member.role is not Role.COMMITTEE:
        raise Refusal(f"{member.role_name}不能评分；只有评审委员会委员可以评分")
    if not member.active:
        raise Refusal("您的评审账号已停用")
    conflict = conflict_reason(member, s.facts.ties, s.facts.declared_conflicts)
    if conflict:
        raise Refusal(f"{conflict}，按回避原则（R12）不能评分")
    if s.facts.state not in SCORED_STATES:
        raise Refusal(f"此推荐当前为“{state_name(s.facts.state)}”，不在评审委员会评分环节")
    closes = campaign.stage(REVIEW_STAGE)
    if now >= closes.ends_before:
        raise Refusal(f"审核阶段已于 {closes.closes_at:%Y-%m-%d %H:%M} 截止，不能再评分")
    if member.subject in s.scored_by:
        raise Refusal("您已提交对此推荐的评分；评分提交后不能修改")


def sheet_for(s: ScoringFacts, member: StaffMember, scores: Mapping[str, object], comment: str, *,
              campaign: Campaign, now: datetime) -> Sheet:
    """The member's sheet after every check: may score, every criterion of the kind's rubric a whole number
    within its maximum, and a short comment."""
    check_may_score(s, member, campaign=campaign, now=now)
    checked = check_sheet(campaign, s.facts.nominee_kind, scores, comment)
    if len((comment or "").strip()) < MIN_COMMENT:
        raise Refusal("评语：请填写简短评语（至少 2 个字）")
    return Sheet(s.facts.nomination_id, member.subject, checked, comment.strip())


def may_score(member: StaffMember, facts: Facts) -> bool:
    """Whether the nomination is on the member's list to score (their sheet is expected)."""
    return (member.role is Role.COMMITTEE and member.active and facts.state in SCORED_STATES
            and conflict_reason(member, facts.ties, facts.declared_conflicts) is None)


@dataclass(frozen=True)
class MemberProgress:
    subject: str
    name: str
    expected: int  # shortlisted nominations the member may score
    scored: int

    @property
    def open(self) -> int:
        return max(0, self.expected - self.scored)

    @property
    def percent(self) -> int:
        return 100 if not self.expected else round(100 * self.scored / self.expected)


@dataclass(frozen=True)
class DomainProgress:
    domain: str
    nominations: int
    ready: int  # with at least the campaign's min_scores sheets
    sheets: int
    expected_sheets: int

    @property
    def percent(self) -> int:
        return 100 if not self.expected_sheets else round(100 * self.sheets / self.expected_sheets)


def member_progress(members: Iterable[StaffMember], shortlist: Sequence[Facts],
                    sheets: Collection[tuple[str, str]]) -> list[MemberProgress]:
    """Each active committee member: the nominations they may score and the sheets they submitted."""
    done = set(sheets)
    found = []
    for member in members:
        if member.role is not Role.COMMITTEE or not member.active:
            continue
        theirs = [f.nomination_id for f in shortlist if may_score(member, f)]
        found.append(MemberProgress(member.subject, member.name, len(theirs),
                                    sum(1 for nid in theirs if (nid, member.subject) in done)))
    return sorted(found, key=lambda p: (-p.open, p.name, p.subject))


def domain_progress(domains: Iterable[str], members: Sequence[StaffMember], shortlist: Sequence[Facts],
                    sheets: Collection[tuple[str, str]], min_scores: int) -> list[DomainProgress]:
    """Per business domain: shortlisted nominations, those with enough sheets to rank, sheets and the
    sheets expected (one per member who may score each)."""
    count: dict[str, int] = {}
    for nomination_id, _ in sheets:
        count[nomination_id] = count.get(nomination_id, 0) + 1
    committee = [m for m in members if m.role is Role.COMMITTEE and m.active]
    rows = []
    for domain in domains:
        mine = [f for f in shortlist if f.domain == domain]
        rows.append(DomainProgress(
            domain, len(mine), sum(1 for f in mine if count.get(f.nomination_id, 0) >= min_scores),
            sum(count.get(f.nomination_id, 0) for f in mine),
            sum(1 for f in mine for m in committee if may_score(m, f))))
    return [row for row in rows if row.nominations]


def entry_of(nomination_id: str, nominee_kind: str, sheets: Sequence[Sheet], campaign: Campaign, *,
             media_priority: bool = False, media_honours: int = 0) -> Entry | None:
    """The nomination's place in the ranking: the aggregate of the members' totals as the campaign says,
    and each criterion's share for the tie keys; None with fewer sheets than the campaign's min_scores."""
    scoring = campaign.scoring
    if len(sheets) < scoring.min_scores:
        return None
    score = aggregate([sheet.total for sheet in sheets], scoring.aggregation, scoring.trim)
    if score is None:
        return None
    return Entry(nomination_id, round(score, 4), media_priority, media_honours,
                 criterion_shares(sheets, campaign.rubric_for(nominee_kind)))
