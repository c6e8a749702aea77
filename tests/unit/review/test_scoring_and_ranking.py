"""R14 scoring and R4c ranking to exactly N: aggregations, blind scoring, ties, refill."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

from shared.campaign import Refusal, Scoring
from services.review.domain.ranking import Entry, TieDecision, refill, select
from services.review.domain.scoring import aggregate, check_sheet, may_see_others

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("method,trim,totals,expected", [
    ("mean", 0, [70, 80, 90], 80.0),
    ("median", 0, [70, 80, 95, 99], 87.5),
    ("trimmed_mean", 1, [10, 80, 82, 84, 100], 82.0),
    ("trimmed_mean", 1, [80, 90], None),
    ("mean", 0, [], None),
])
def test_aggregations(method, trim, totals, expected):
    assert aggregate(totals, method, trim) == expected


def test_sheet_on_the_person_rubric_is_checked(campaign):
    assert check_sheet(campaign, "person", {"jiangren": "28", "jiangxin": 27, "jiangpin": 30, "shiji": 9}, "好") == {
        "jiangren": 28, "jiangxin": 27, "jiangpin": 30, "shiji": 9}


@pytest.mark.parametrize("scores,message", [
    ({"jiangren": 31, "jiangxin": 1, "jiangpin": 1, "shiji": 1}, "匠人觉悟：须为 0 到 30"),
    ({"jiangren": 1, "jiangxin": 1, "jiangpin": 1}, "事迹感召力：请打分"),
    ({"jiangren": 1, "jiangxin": 1, "jiangpin": 1, "shiji": "2.5"}, "事迹感召力：须为"),
    ({"jiangren": 1, "jiangxin": 1, "jiangpin": 1, "shiji": 1, "zuimei_tuandui": 5}, "没有“zuimei_tuandui”"),
])
def test_sheet_refusals_name_the_criterion(scores, message, campaign):
    with pytest.raises(Refusal, match=message):
        check_sheet(campaign, "person", scores, "")


def test_team_rubric_has_the_team_criterion(campaign):
    scores = {"jiangren": 20, "jiangxin": 20, "jiangpin": 20, "zuimei_tuandui": 30, "shiji": 10}
    assert sum(check_sheet(campaign, "team", scores, "").values()) == 100


def test_blind_scoring_shows_others_only_after_ones_own():
    assert may_see_others("m1", {"m2", "m3"}) is False
    assert may_see_others("m1", {"m1", "m2"}) is True


SCORING = Scoring(aggregation="trimmed_mean", trim=1, min_scores=3, tie_keys=("media_priority", "criterion:jiangren"))


def entries_400(seed: int = 7) -> list[Entry]:
    rng = random.Random(seed)
    return [Entry(f"N-{i:03d}", round(rng.uniform(60, 95), 1), media_priority=rng.random() < 0.3,
                  criteria={"jiangren": rng.random()}) for i in range(400)]


def test_exactly_100_selected_from_400_shortlisted():
    selection = select(entries_400(), 100, SCORING)
    assert selection.complete and len(selection.selected) == 100 == len(set(selection.selected))
    worst_in = min(e.score for e in selection.ordered[:100])
    assert all(e.score <= worst_in for e in selection.ordered[100:])


def test_tie_broken_by_media_priority_then_criterion():
    entries = [Entry("a", 80, False, criteria={"jiangren": 0.9}), Entry("b", 80, True, criteria={"jiangren": 0.1}),
               Entry("c", 80, False, criteria={"jiangren": 0.95})]
    assert select(entries, 2, SCORING).selected == ("b", "c")


def test_tie_at_the_line_waits_for_a_recorded_decision():
    entries = [Entry("a", 90), Entry("b", 80), Entry("c", 80)]
    undecided = select(entries, 2, SCORING)
    assert (undecided.selected, undecided.unresolved) == ((), (("b", "c"),))
    decided = select(entries, 2, SCORING, decisions=[TieDecision(("c", "b"), by="committee", reason="投票 5:4")])
    assert decided.selected == ("a", "c")


def test_tie_below_the_line_needs_no_decision():
    entries = [Entry("a", 90), Entry("b", 85), Entry("c", 80), Entry("d", 80)]
    assert select(entries, 2, SCORING).selected == ("a", "b")


def test_selection_is_independent_of_input_order():
    entries = entries_400()
    shuffled = entries[:]
    random.Random(1).shuffle(shuffled)
    assert select(entries, 100, SCORING).selected == select(shuffled, 100, SCORING).selected


def test_refill_after_disqualification_takes_the_next_ranked():
    ranking = [f"N-{i}" for i in range(10)]
    confirmed = ranking[:5]
    new_list, came_in = refill(confirmed, ranking, disqualified=["N-2"])
    assert (new_list, came_in) == (["N-0", "N-1", "N-3", "N-4", "N-5"], ["N-5"])
    again, came_in = refill(new_list, ranking, disqualified=["N-2", "N-0", "N-6"])
    assert (again, came_in) == (["N-1", "N-3", "N-4", "N-5", "N-7"], ["N-7"])


def test_excluded_nomination_makes_room_for_the_next():
    entries = [Entry("a", 90), Entry("b", 85), Entry("c", 80)]
    assert select(entries, 2, replace(SCORING), excluded=["a"]).selected == ("b", "c")
