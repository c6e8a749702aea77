"""The rules of the committee's list: tie decisions, confirming exactly N, the notice's window, publishing,
the announcement after the notice, and the balance across domains."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from shared.campaign import Refusal, Scoring
from services.review.domain.candidates import (
    ListState, balance, check_may_announce, check_may_confirm, check_may_publish, notice_is_open, notice_window,
    tie_decision, tied_groups,
)
from services.review.domain.ranking import Entry, select
from tests.unit.review.builders import COMMITTEE, DURING_REVIEW, SECRETARIAT, SHANGHAI

pytestmark = pytest.mark.unit
SCORING = Scoring(aggregation="mean", trim=0, min_scores=3, tie_keys=("media_priority",))
ENTRIES = [Entry("a", 90), Entry("b", 80), Entry("c", 80), Entry("d", 70)]
CONFIRMED = ListState(confirmed_at=DURING_REVIEW)
PUBLISHED = ListState(DURING_REVIEW, DURING_REVIEW, DURING_REVIEW + timedelta(days=7))


def test_tie_decision_names_exactly_one_tied_group_with_a_reason():
    ties = tied_groups(ENTRIES, SCORING)
    assert ties == [("b", "c")]
    decided = tie_decision(SECRETARIAT, ["c", "b"], " 委员会表决 5:4 ", ties=ties, state=ListState())
    assert (decided.order, decided.reason, decided.by) == (("c", "b"), "委员会表决 5:4", SECRETARIAT.subject)
    assert select(ENTRIES, 2, SCORING, [decided]).selected == ("a", "c")


@pytest.mark.parametrize("order,reason,message", [
    (["c", "b"], "", "理由"),
    (["c", "d"], "表决", "并列的全部推荐"),
    (["c", "c"], "表决", "只出现一次"),
    (["c", "b", "d"], "表决", "并列的全部推荐"),
])
def test_tie_decision_refusals(order, reason, message):
    with pytest.raises(Refusal, match=message):
        tie_decision(SECRETARIAT, order, reason, ties=[("b", "c")], state=ListState())


def test_only_the_secretariat_records_and_only_before_confirmation():
    with pytest.raises(Refusal, match="只有协会秘书处"):
        tie_decision(COMMITTEE, ["c", "b"], "表决", ties=[("b", "c")], state=ListState())
    with pytest.raises(Refusal, match="已确认"):
        tie_decision(SECRETARIAT, ["c", "b"], "表决", ties=[("b", "c")], state=CONFIRMED)


def test_confirmation_of_exactly_n():
    check_may_confirm(SECRETARIAT, select(ENTRIES, 3, SCORING), 3, unscored=[], state=ListState())


@pytest.mark.parametrize("places,unscored,state,message", [
    (2, [], ListState(), "并列"),  # b and c straddle the line at 2
    (3, ["x"], ListState(), "评分人数不足"),
    (5, [], ListState(), "少于活动规定的 5 名"),
    (3, [], CONFIRMED, "已经确认"),
])
def test_confirmation_refusals(places, unscored, state, message):
    with pytest.raises(Refusal, match=message):
        check_may_confirm(SECRETARIAT, select(ENTRIES, places, SCORING), places, unscored=unscored, state=state)


def test_notice_runs_its_days_counting_today_to_the_end_of_the_last(campaign):
    now = datetime(2023, 3, 13, 9, 30, tzinfo=SHANGHAI)
    opens, closes = notice_window(campaign, now)
    assert (opens, closes) == (now, datetime(2023, 3, 19, 23, 59, 59, tzinfo=SHANGHAI))  # 7 days
    assert notice_is_open(ListState(now, now, closes), closes) and not notice_is_open(
        ListState(now, now, closes), closes + timedelta(seconds=1))


def test_publication_needs_a_confirmed_list_once():
    with pytest.raises(Refusal, match="尚未确认"):
        check_may_publish(SECRETARIAT, ListState())
    check_may_publish(SECRETARIAT, CONFIRMED)
    with pytest.raises(Refusal, match="已经公示"):
        check_may_publish(SECRETARIAT, PUBLISHED)


def test_announcement_waits_for_the_end_of_the_notice_and_every_objection():
    after = PUBLISHED.notice_closes_at + timedelta(seconds=1)
    check_may_announce(SECRETARIAT, PUBLISHED, after, candidates=100, places=100, open_objections=0)
    for now, open_objections, candidates, message in (
            (PUBLISHED.notice_closes_at, 0, 100, "公示期满后"), (after, 2, 100, "2 件异议"),
            (after, 0, 99, "请先递补")):
        with pytest.raises(Refusal, match=message):
            check_may_announce(SECRETARIAT, PUBLISHED, now, candidates=candidates, places=100,
                               open_objections=open_objections)
    with pytest.raises(Refusal, match="尚未公示"):
        check_may_announce(SECRETARIAT, CONFIRMED, after, candidates=100, places=100, open_objections=0)


def test_balance_counts_the_list_against_the_ranked_in_the_campaigns_order():
    rows = balance(["学生公寓", "伙食管理", "伙食管理"], ["伙食管理", "学生公寓", "伙食管理", "信息化", "伙食管理"],
                   order=("伙食管理", "学生公寓", "物业管理"))
    assert [(r.value, r.selected, r.ranked) for r in rows] == [("伙食管理", 2, 3), ("学生公寓", 1, 1), ("信息化", 0, 1)]
