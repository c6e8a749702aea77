"""The committee's list on the real PostgreSQL: the ranking waits for every sheet and for the recorded
decision of a tie at the line, then exactly the campaign's number is confirmed in one act; publication
releases every decision at once (candidates.published, nomination.advanced to not_selected); a
disqualified candidate's place goes to the next of the ranking, recorded and published."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import decisions, list_changes, outbox, reviews
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import Action
from services.review.domain.transitions import Request
from services.review.service_layer.audit import verify_trail
from services.review.service_layer.candidates import confirm_list, publish_notice, record_tie
from services.review.service_layer.decisions import decide_nomination
from services.review.service_layer.public_notice import build_notice
from services.review.service_layer.scoring import submit_sheet
from shared.campaign import Refusal
from tests.integration.review.committee import seed_shortlisted, split, standing_committee

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign(candidates=4)]
TOTALS = [90, 88, 86, 82, 82, 70, 65, 60]  # the 4th and 5th tie on every key at a line of 4


@pytest.fixture()
def scored(review):
    """Eight shortlisted nominations, each scored TOTALS[i] by three members."""
    secretariat, members = standing_committee(review)
    ids = seed_shortlisted(review, secretariat, len(TOTALS), uuid.uuid4().hex[:8])
    for nomination_id, total in zip(ids, TOTALS):
        for member in members[:2]:
            submit_sheet(review, nomination_id, member, split(total), "评语")
    return {"ids": ids, "secretariat": secretariat, "members": members}


def states(review, ids) -> list[str]:
    with review.engine.connect() as conn:
        found = dict(conn.execute(sa.select(reviews.c.nomination_id, reviews.c.state).where(reviews.c.nomination_id.in_(ids))).all())
    return [found[i] for i in ids]


def events(review, event_type: str) -> list[dict]:
    with review.engine.connect() as conn:
        return [row.envelope["payload"] for row in conn.execute(
            sa.select(outbox.c.envelope).where(outbox.c.event_type == event_type).order_by(outbox.c.id))
            if row.envelope["payload"].get("campaign_id") == review.campaign.id]


def test_exactly_n_confirmed_after_every_sheet_and_the_tie_decided_then_released_and_refilled(review, scored):
    ids, secretariat, members = scored["ids"], scored["secretariat"], scored["members"]
    with pytest.raises(Refusal, match="8 份入围推荐的评分人数不足"):
        confirm_list(review, secretariat)
    for nomination_id, total in zip(ids, TOTALS):
        submit_sheet(review, nomination_id, members[2], split(total), "评语")
    with pytest.raises(Refusal, match="分界处有 1 组并列"):
        confirm_list(review, secretariat)
    with pytest.raises(Refusal, match="并列的全部推荐"):
        record_tie(review, secretariat, [ids[4], ids[5]], "表决")
    with pytest.raises(Refusal, match="只有协会秘书处"):
        record_tie(review, members[0], [ids[4], ids[3]], "表决")
    record_tie(review, secretariat, [ids[4], ids[3]], "评审委员会表决 3:0")

    assert confirm_list(review, secretariat) == [ids[0], ids[1], ids[2], ids[4]]
    assert states(review, ids) == ["candidate"] * 3 + ["not_selected", "candidate"] + ["not_selected"] * 3
    with pytest.raises(Refusal, match="已经确认"):
        confirm_list(review, secretariat)
    with pytest.raises(Refusal, match="不在评审委员会评分环节"):
        submit_sheet(review, ids[0], StaffMember("late", "迟到委员", Role.COMMITTEE), split(80), "迟了")
    assert events(review, "candidates.published") == []  # nobody hears before the publication

    publish_notice(review, secretariat)
    published, = events(review, "candidates.published")
    assert [(c["nomination_id"], c["rank"]) for c in published["candidates"]] == [
        (ids[0], 1), (ids[1], 2), (ids[2], 3), (ids[4], 4)]
    advanced = [e for e in events(review, "nomination.advanced") if e["to_stage"] == "not_selected"]
    assert sorted(e["nomination_id"] for e in advanced) == sorted([ids[3], *ids[5:]])
    with pytest.raises(Refusal, match="已经公示"):
        publish_notice(review, secretariat)

    decide_nomination(review, ids[1], secretariat, Request(Action.DISQUALIFY, reason="证书伪造",
                                                             evidence=("发证单位回函",)))
    assert states(review, ids)[:5] == ["candidate", "disqualified", "candidate", "candidate", "candidate"]
    disqualified = [e for e in events(review, "nomination.disqualified") if e["nomination_id"] == ids[1]]
    assert disqualified[0]["replacement_nomination_id"] == ids[3]  # the next of the ranking, by the tie decision
    latest = events(review, "candidates.published")[-1]
    assert latest["candidates"] == [{"nomination_id": ids[3], "rank": 4, "nominee_name": latest["candidates"][0]["nominee_name"],
                                     "unit": latest["candidates"][0]["unit"], "domain": latest["candidates"][0]["domain"],
                                     "replaces": ids[1]}]
    with review.engine.connect() as conn:
        change = conn.execute(sa.select(list_changes).where(list_changes.c.campaign_id == review.campaign.id)).one()
        refill = conn.execute(sa.select(decisions.c.action, decisions.c.by).where(
            decisions.c.nomination_id == ids[3]).order_by(decisions.c.id.desc())).first()
    assert (change.left_id, change.came_in_id, change.why) == (ids[1], ids[3], "disqualified")
    assert tuple(refill) == ("refill", secretariat.subject)
    with review.sessions() as session:
        notice = build_notice(session, review.campaign.id)
    assert [c.nomination_id for c in notice.candidates] == [ids[0], ids[2], ids[4], ids[3]]  # in ranking order
    assert (notice.changes[0].why, notice.changes[0].came_in) == ("disqualified", notice.candidates[3].name)
    assert verify_trail(review.engine).ok
