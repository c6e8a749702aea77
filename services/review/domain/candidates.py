"""The committee's list (R4c, R4d, R5, R11, R12): who may record a tie's order, confirm exactly the
campaign's number of candidates, publish the public notice (公示) and, after it, confirm the honourees
(通报); the notice's window; the balance of a list across domains, channels and nominee kinds. Plain rules:
the use cases (service_layer/candidates.py) load what they need and store what comes back."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from shared.campaign import Campaign, Refusal
from services.review.domain.people import Role, StaffMember
from services.review.domain.ranking import Selection, TieDecision, tie_groups

MAX_TIE_REASON = 500


@dataclass(frozen=True)
class ListState:
    """Where a campaign's confirmed list stands (None fields: not yet)."""

    confirmed_at: datetime | None = None
    published_at: datetime | None = None
    notice_closes_at: datetime | None = None
    announced_at: datetime | None = None


def _secretariat(actor: StaffMember, what: str) -> None:
    if actor.role is not Role.SECRETARIAT or not actor.active:
        raise Refusal(f"只有协会秘书处可以{what}（代评审委员会记录）")


def tie_decision(actor: StaffMember, order: Sequence[str], reason: str, *, ties: Sequence[Sequence[str]],
                 state: ListState) -> TieDecision:
    """The recorded order of one group of nominations tied on every key: it must name exactly the members
    of one such group, each once, with the committee's reason (a vote, a further criterion)."""
    _secretariat(actor, "记录并列名次的决定")
    if state.confirmed_at is not None:
        raise Refusal("候选人名单已确认，不能再更改并列名次")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TIE_REASON:
        raise Refusal(f"请写明评审委员会决定此名次的理由（不超过{MAX_TIE_REASON}字）")
    if len(set(order)) != len(order) or not any(set(order) == set(group) for group in ties):
        raise Refusal("名次须包含并列的全部推荐，且每份只出现一次")
    return TieDecision(tuple(order), by=actor.subject, reason=reason)


def tied_groups(entries, scoring) -> list[tuple[str, ...]]:
    """Every group of two or more nominations equal on the score and every tie key."""
    return [tuple(sorted(e.nomination_id for e in group)) for group in tie_groups(entries, scoring) if len(group) > 1]


def check_may_confirm(actor: StaffMember, selection: Selection, places: int, *, unscored: Collection[str],
                      state: ListState) -> None:
    """Exactly `places` candidates, in one act: every shortlisted nomination scored by enough members, no
    undecided tie at the line, and at least as many ranked as there are places."""
    _secretariat(actor, "确认候选人名单")
    if state.confirmed_at is not None:
        raise Refusal("候选人名单已经确认")
    if unscored:
        raise Refusal(f"还有 {len(unscored)} 份入围推荐的评分人数不足，全部评完后方可确认名单")
    if selection.unresolved:
        raise Refusal(f"名单分界处有 {len(selection.unresolved)} 组并列，须先记录评审委员会的决定")
    if len(selection.ordered) < places:
        raise Refusal(f"入围并已评分的推荐只有 {len(selection.ordered)} 份，少于活动规定的 {places} 名候选人")
    if len(selection.selected) != places:
        raise Refusal(f"名单须恰好 {places} 名候选人")


def notice_window(campaign: Campaign, now: datetime) -> tuple[datetime, datetime]:
    """The public notice opens now and runs `public_notice_days` days counting today, to the end of the
    last day (local time)."""
    local = now.astimezone(campaign.zone)
    last_day = local.date() + timedelta(days=campaign.public_notice_days - 1)
    return now, datetime.combine(last_day, time(23, 59, 59), tzinfo=campaign.zone)


def check_may_publish(actor: StaffMember, state: ListState) -> None:
    _secretariat(actor, "发布公示")
    if state.confirmed_at is None:
        raise Refusal("候选人名单尚未确认，不能发布公示")
    if state.published_at is not None:
        raise Refusal("候选人名单已经公示")


def notice_is_open(state: ListState, now: datetime) -> bool:
    return state.published_at is not None and state.announced_at is None and now <= state.notice_closes_at


def check_may_announce(actor: StaffMember, state: ListState, now: datetime, *, candidates: int, places: int,
                       open_objections: int) -> None:
    """After the notice period, with every objection resolved and the list full again."""
    _secretariat(actor, "确认通报表扬名单")
    if state.published_at is None:
        raise Refusal("候选人名单尚未公示")
    if state.announced_at is not None:
        raise Refusal("通报表扬名单已经确认")
    if now <= state.notice_closes_at:
        raise Refusal(f"公示期至 {state.notice_closes_at:%Y-%m-%d %H:%M} 结束，公示期满后方可确认")
    if open_objections:
        raise Refusal(f"还有 {open_objections} 件异议尚未处理完毕")
    if candidates != places:
        raise Refusal(f"候选人现为 {candidates} 名，与活动规定的 {places} 名不符，请先递补")


@dataclass(frozen=True)
class BalanceRow:
    value: str
    selected: int
    ranked: int


def balance(selected: Iterable[str], ranked: Iterable[str], order: Sequence[str] = ()) -> list[BalanceRow]:
    """How many of each value (a domain, a channel) the list holds against all that were ranked, in
    `order` first and then by how many were ranked."""
    chosen, among = Counter(selected), Counter(ranked)
    known = [value for value in order if value in among]
    rest = sorted((value for value in among if value not in known), key=lambda v: (-among[v], v))
    return [BalanceRow(value, chosen.get(value, 0), among[value]) for value in [*known, *rest]]
