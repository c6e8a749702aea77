"""The secretariat's acts on the committee's list, each one transaction (the campaign's list row locked):
1. record the committee's order of a tie;
2. confirm exactly the campaign's number of candidates: the ranking is stored as confirmed, the first N
   become candidates and the rest the reserve in ranking order, each with a decision row, one audit entry;
3. publish: the notice opens for `public_notice_days`, and every decision goes out at once through the
   outbox: `candidates.published` (the candidates, ranked) and `nomination.advanced` to not_selected;
4. fill a vacancy (a candidate disqualified or withdrawn): the next of the reserve in the confirmed
   ranking takes the place, recorded, and published (`candidates.published` naming the newcomer);
5. after the notice, with every objection resolved, confirm the honourees: each candidate becomes an
   honouree, `honourees.confirmed` (the archive records them, notify tells them), the announcement opens."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import candidate_lists, decisions, list_changes, objections, reviews, tie_decisions
from services.review.domain.candidates import (
    check_may_announce, check_may_confirm, check_may_publish, notice_window, tie_decision,
)
from services.review.domain.people import StaffMember
from services.review.domain.ranking import refill
from services.review.domain.states import Action, State
from services.review.service_layer import audit
from services.review.service_layer.ranking import RankedRow, confirmed_ranking, list_row, list_state, live_ranking
from shared.campaign import Refusal
from shared.db import on_commit
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

if TYPE_CHECKING:
    from services.review.bootstrap import Review

LIST_LOCK_ID = 7_420_204
ON_THE_LIST = (State.CANDIDATE, State.NOT_SELECTED)


def _lock(session: Session) -> None:
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(LIST_LOCK_ID)))


def record_tie(review: "Review", actor: StaffMember, order: list[str], reason: str) -> None:
    with review.sessions.begin() as session:
        _lock(session)
        ranking = live_ranking(session, review.campaign) if list_row(session, review.campaign.id) is None else None
        state = list_state(list_row(session, review.campaign.id))
        decided = tie_decision(actor, order, reason, ties=ranking.ties if ranking else [], state=state)
        now = review.clock()
        session.execute(sa.insert(tie_decisions).values(campaign_id=review.campaign.id, ordered=list(decided.order),
                                                        reason=decided.reason, by=actor.subject, by_name=actor.name, at=now))
        audit.record(session, actor=actor.subject, actor_role=actor.role.value, action="ranking.tie_decided",
                     target=review.campaign.id, details={"order": list(decided.order), "reason": decided.reason}, at=now)


def confirm_list(review: "Review", actor: StaffMember) -> list[str]:
    """Returns the candidates, in rank order."""
    campaign = review.campaign
    with review.sessions.begin() as session:
        _lock(session)
        ranking = live_ranking(session, campaign)
        check_may_confirm(actor, ranking.selection, campaign.candidates, unscored=ranking.unscored,
                          state=list_state(list_row(session, campaign.id)))
        now = review.clock()
        session.execute(sa.insert(candidate_lists).values(
            campaign_id=campaign.id, places=campaign.candidates, ranking=[_stored(row) for row in ranking.rows],
            confirmed_by=actor.subject, confirmed_by_name=actor.name, confirmed_at=now))
        for row in ranking.rows:
            _move(session, row.nomination_id, State.SHORTLISTED, State.CANDIDATE if row.selected else State.NOT_SELECTED,
                  Action.SELECT if row.selected else Action.RESERVE, actor, now, reason=f"排名第 {row.rank} 位")
        chosen = [row.nomination_id for row in ranking.rows if row.selected]
        audit.record(session, actor=actor.subject, actor_role=actor.role.value, action="candidates.confirmed",
                     target=campaign.id, details={"places": campaign.candidates, "candidates": chosen,
                                                  "reserve": [r.nomination_id for r in ranking.rows if not r.selected],
                                                  "aggregation": campaign.scoring.aggregation}, at=now)
        return chosen


def publish_notice(review: "Review", actor: StaffMember) -> tuple[datetime, datetime]:
    """The notice opens; every candidate and every nominee of the reserve hears at once (one batch)."""
    campaign = review.campaign
    with review.sessions.begin() as session:
        _lock(session)
        row = list_row(session, campaign.id, lock=True)
        check_may_publish(actor, list_state(row))
        now = review.clock()
        opens, closes = notice_window(campaign, now)
        session.execute(sa.update(candidate_lists).where(candidate_lists.c.campaign_id == campaign.id).values(
            published_by=actor.subject, published_at=now, notice_opens_at=opens, notice_closes_at=closes,
            version=candidate_lists.c.version + 1))
        ranking = confirmed_ranking(session, campaign, list_row(session, campaign.id))
        add_to_outbox(session, _published(review, ranking.candidates, opens, closes))
        for row_ in ranking.rows:
            if row_.state == State.NOT_SELECTED:
                add_to_outbox(session, new_event("nomination.advanced", row_.nomination_id, {
                    "nomination_id": row_.nomination_id, "campaign_id": campaign.id, "from_stage": State.SHORTLISTED.value,
                    "to_stage": State.NOT_SELECTED.value, "decided_by": actor.subject,
                    "scores": {"score": row_.score, "rank": row_.rank}}, producer="review"))
        on_commit(session, review.public_changed)
        audit.record(session, actor=actor.subject, actor_role=actor.role.value, action="candidates.published",
                     target=campaign.id, details={"opens_at": opens.isoformat(), "closes_at": closes.isoformat(),
                                                  "candidates": len(ranking.candidates)}, at=now)
        return opens, closes


def fill_vacancy(session: Session, review: "Review", leaving: str, *, by: StaffMember | None, at: datetime,
                 why: str, objection_id: str | None = None) -> str | None:
    """In the caller's transaction, after `leaving` left the list: the next of the reserve takes the place
    (None when there is no confirmed list, it is announced already, or the reserve is used up)."""
    campaign = review.campaign
    row = list_row(session, campaign.id, lock=True)
    if row is None or row.announced_at is not None:
        return None
    ranked = [item["nomination_id"] for item in row.ranking]
    if leaving not in ranked:
        return None
    states = dict(session.execute(sa.select(reviews.c.nomination_id, reviews.c.state)
                                  .where(reviews.c.nomination_id.in_(ranked))).all())
    on_list = [nid for nid in ranked if states.get(nid) == State.CANDIDATE] + [leaving]
    gone = [nid for nid in ranked if states.get(nid) not in ON_THE_LIST]
    _, came_in = refill(on_list, ranked, gone)
    newcomer = came_in[0] if came_in else None
    if newcomer is not None:
        _move(session, newcomer, State.NOT_SELECTED, State.CANDIDATE, Action.REFILL, by, at,
              reason=f"递补因{'取消资格' if why == 'disqualified' else '撤回'}而空出的名额")
    who, role = (by.subject, by.role.value) if by else (audit.SYSTEM, audit.SYSTEM)
    session.execute(sa.insert(list_changes).values(campaign_id=campaign.id, at=at, by=who, left_id=leaving,
                                                   came_in_id=newcomer, why=why, objection_id=objection_id))
    session.execute(sa.update(candidate_lists).where(candidate_lists.c.campaign_id == campaign.id)
                    .values(version=candidate_lists.c.version + 1))
    on_commit(session, review.public_changed)
    audit.record(session, actor=who, actor_role=role, action="candidates.refilled", target=campaign.id,
                 details={"left": leaving, "came_in": newcomer, "why": why, "objection": objection_id}, at=at)
    if newcomer is not None and row.published_at is not None:
        ranking = confirmed_ranking(session, campaign, list_row(session, campaign.id))
        add_to_outbox(session, _published(review, [r for r in ranking.candidates if r.nomination_id == newcomer],
                                          row.notice_opens_at, row.notice_closes_at, ranking.candidates, leaving))
    return newcomer


def confirm_honourees(review: "Review", actor: StaffMember) -> list[str]:
    """Returns the honourees, in rank order."""
    campaign = review.campaign
    with review.sessions.begin() as session:
        _lock(session)
        row = list_row(session, campaign.id, lock=True)
        ranking = confirmed_ranking(session, campaign, row) if row is not None else None
        open_objections = session.execute(sa.select(sa.func.count()).select_from(objections).where(
            objections.c.campaign_id == campaign.id, objections.c.state == "open")).scalar_one()
        now = review.clock()
        check_may_announce(actor, list_state(row), now, candidates=len(ranking.candidates) if ranking else 0,
                           places=row.places if row else campaign.candidates, open_objections=open_objections)
        for candidate in ranking.candidates:
            _move(session, candidate.nomination_id, State.CANDIDATE, State.HONOUREE, Action.ANNOUNCE, actor, now)
        session.execute(sa.update(candidate_lists).where(candidate_lists.c.campaign_id == campaign.id).values(
            announced_by=actor.subject, announced_at=now, version=candidate_lists.c.version + 1))
        add_to_outbox(session, new_event("honourees.confirmed", campaign.id, {
            "campaign_id": campaign.id, "honourees": [
                {"nomination_id": c.nomination_id, "nominee_name": c.nominee_name, "unit": c.unit, "domain": c.domain,
                 "media_priority": c.media_priority} for c in ranking.candidates]}, producer="review"))
        on_commit(session, review.public_changed)
        honoured = [c.nomination_id for c in ranking.candidates]
        audit.record(session, actor=actor.subject, actor_role=actor.role.value, action="honourees.confirmed",
                     target=campaign.id, details={"honourees": honoured}, at=now)
        return honoured


def _published(review: "Review", rows: list[RankedRow], opens: datetime, closes: datetime,
               whole: list[RankedRow] | None = None, replaces: str | None = None):
    """`candidates.published` of `rows`, numbered by their place in the whole list of candidates."""
    place = {row.nomination_id: n for n, row in enumerate(whole or rows, start=1)}
    return new_event("candidates.published", review.campaign.id, {
        "campaign_id": review.campaign.id, "opens_at": opens.isoformat(), "closes_at": closes.isoformat(),
        "notice_url": f"{review.settings.review_url}/notice/",
        "candidates": [{"nomination_id": r.nomination_id, "rank": place[r.nomination_id], "nominee_name": r.nominee_name,
                        "unit": r.unit, "domain": r.domain, **({"replaces": replaces} if replaces else {})}
                       for r in rows]}, producer="review")


def _move(session: Session, nomination_id: str, from_state: State, to_state: State, action: Action,
          actor: StaffMember | None, at: datetime, *, reason: str = "") -> None:
    moved = session.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id,
                                                     reviews.c.state == from_state)
                            .values(state=to_state, updated_at=at).returning(reviews.c.nomination_id)).first()
    if moved is None:
        raise Refusal(f"推荐 {nomination_id} 的状态刚刚发生了变化，请刷新页面后重试")
    session.execute(sa.insert(decisions).values(
        nomination_id=nomination_id, action=action.value, from_state=from_state.value, to_state=to_state.value,
        by=actor.subject if actor else audit.SYSTEM, by_name=actor.name if actor else "系统",
        by_role=actor.role.value if actor else audit.SYSTEM, at=at, reason=reason))


def _stored(row: RankedRow) -> dict:
    return {"nomination_id": row.nomination_id, "rank": row.rank, "score": row.score, "criteria": row.criteria,
            "sheets": row.sheets, "selected": row.selected}
