"""The committee's scoring rules: who may score which nomination and when, what a sheet needs, progress
per member and per domain, and a nomination's ranking entry from its sheets."""
from __future__ import annotations

from dataclasses import replace

import pytest

from shared.campaign import Refusal
from services.review.domain.committee import ScoringFacts, domain_progress, entry_of, member_progress, sheet_for
from services.review.domain.conflicts import NomineeTies
from services.review.domain.scoring import Sheet
from services.review.domain.states import State
from tests.unit.review.builders import AFTER_REVIEW, COMMITTEE, DOMAIN, DURING_REVIEW, EVERYONE, facts

pytestmark = pytest.mark.unit

SCORES = {"jiangren": 25, "jiangxin": 26, "jiangpin": "27", "shiji": 8}
SHORTLISTED = ScoringFacts(facts(State.SHORTLISTED))


def test_sheet_of_a_committee_member_on_a_shortlisted_nomination(campaign):
    sheet = sheet_for(SHORTLISTED, COMMITTEE, SCORES, " 事迹突出 ", campaign=campaign, now=DURING_REVIEW)
    assert (sheet.member, sheet.total, sheet.comment) == (COMMITTEE.subject, 86, "事迹突出")


@pytest.mark.parametrize("member", [m for m in EVERYONE if m is not COMMITTEE], ids=lambda m: m.role.value)
def test_scoring_refused_to_every_other_role(member, campaign):
    with pytest.raises(Refusal, match="只有评审委员会委员可以评分"):
        sheet_for(SHORTLISTED, member, SCORES, "好", campaign=campaign, now=DURING_REVIEW)


@pytest.mark.parametrize("ties,declared,message", [
    (NomineeTies(unit="某某大学（后勤处）"), frozenset(), "您所在的单位"),
    (NomineeTies(unit="新疆大学", recommender_name="委员所在协会"), frozenset(), "您所在的组织"),
    (NomineeTies(unit="新疆大学"), frozenset({COMMITTEE.subject}), "已声明"),
])
def test_scoring_refused_for_a_conflict_of_interest(ties, declared, message, campaign):
    member = replace(COMMITTEE, organisation_name="委员所在协会")
    conflicted = ScoringFacts(facts(State.SHORTLISTED, ties=ties, declared_conflicts=declared))
    with pytest.raises(Refusal, match=f"{message}.*回避原则（R12）"):
        sheet_for(conflicted, member, SCORES, "好评", campaign=campaign, now=DURING_REVIEW)


@pytest.mark.parametrize("state", [s for s in State if s is not State.SHORTLISTED])
def test_scoring_refused_outside_the_shortlist(state, campaign):
    with pytest.raises(Refusal, match="不在评审委员会评分环节"):
        sheet_for(ScoringFacts(facts(state)), COMMITTEE, SCORES, "好评", campaign=campaign, now=DURING_REVIEW)


def test_scoring_refused_after_the_review_stage_closed(campaign):
    with pytest.raises(Refusal, match="截止，不能再评分"):
        sheet_for(SHORTLISTED, COMMITTEE, SCORES, "好评", campaign=campaign, now=AFTER_REVIEW)


def test_a_submitted_sheet_is_final(campaign):
    scored = replace(SHORTLISTED, scored_by=frozenset({COMMITTEE.subject}))
    with pytest.raises(Refusal, match="提交后不能修改"):
        sheet_for(scored, COMMITTEE, SCORES, "好评", campaign=campaign, now=DURING_REVIEW)


@pytest.mark.parametrize("comment", ["", " ", "好"])
def test_a_sheet_needs_a_short_comment(comment, campaign):
    with pytest.raises(Refusal, match="评语"):
        sheet_for(SHORTLISTED, COMMITTEE, SCORES, comment, campaign=campaign, now=DURING_REVIEW)


def test_team_nomination_is_scored_on_the_team_rubric(campaign):
    team = ScoringFacts(facts(State.SHORTLISTED, nominee_kind="team"))
    with pytest.raises(Refusal, match="最美服务团队：请打分"):
        sheet_for(team, COMMITTEE, {"jiangren": 20, "jiangxin": 20, "jiangpin": 20, "shiji": 10}, "好评",
                  campaign=campaign, now=DURING_REVIEW)
    sheet = sheet_for(team, COMMITTEE, {"jiangren": 20, "jiangxin": 20, "jiangpin": 20, "zuimei_tuandui": 30,
                                        "shiji": 10}, "团队协作好", campaign=campaign, now=DURING_REVIEW)
    assert sheet.total == 100


OTHER = replace(COMMITTEE, subject="sub-com-2", name="评委王", unit="新疆大学")
SHORTLIST = [facts(State.SHORTLISTED, nomination_id="N-1"),
             facts(State.SHORTLISTED, nomination_id="N-2", domain="学生公寓", ties=NomineeTies(unit="示例学院")),
             facts(State.SHORTLISTED, nomination_id="N-3")]  # OTHER is of N-1's and N-3's unit (新疆大学)


def test_progress_per_member_leaves_out_their_conflicts():
    progress = member_progress([COMMITTEE, OTHER, *EVERYONE[:2]], SHORTLIST, {("N-1", COMMITTEE.subject)})
    assert [(p.subject, p.expected, p.scored, p.open) for p in progress] == [
        (COMMITTEE.subject, 3, 1, 2), (OTHER.subject, 1, 0, 1)]


def test_progress_per_domain_counts_nominations_ready_to_rank():
    sheets = {("N-1", "a"), ("N-1", "b"), ("N-3", "a"), ("N-2", "a"), ("N-2", "b")}
    rows = domain_progress(["伙食管理", "学生公寓", "物业管理"], [COMMITTEE, OTHER], SHORTLIST, sheets, min_scores=2)
    assert [(r.domain, r.nominations, r.ready, r.sheets, r.expected_sheets) for r in rows] == [
        (DOMAIN, 2, 1, 3, 2), ("学生公寓", 1, 1, 2, 2)]


def test_entry_waits_for_the_campaigns_minimum_of_sheets(campaign):
    sheets = [Sheet("N-1", f"m{i}", {"jiangren": s, "jiangxin": 20, "jiangpin": 20, "shiji": 5}) for i, s in
              enumerate((30, 10, 20))]
    assert entry_of("N-1", "person", sheets[:2], campaign) is None
    entry = entry_of("N-1", "person", sheets, campaign, media_priority=True)
    assert (entry.score, entry.media_priority) == (65.0, True)  # trimmed mean of 75, 55, 65
    assert entry.criteria["jiangren"] == pytest.approx(20 / 30)
