"""Notify's routing of review's decisions: shortlisting, advances, disqualification, the candidate list,
objections, honourees, stage changes."""
import pytest

from tests.unit.notify.builders import (CAMPAIGN_ID, CONTACT_EMAIL, NOMINEE_EMAIL, RECOMMENDER_EMAIL,
                                        InMemoryDirectory, submission)
from tests.unit.notify.routing_events import advanced, objection, plan, sent

pytestmark = pytest.mark.unit


@pytest.fixture
def directory():
    return InMemoryDirectory().remember(submission())


def test_shortlisting_tells_contact_nominee_and_recommender(directory):
    planned = plan("nomination.advanced", advanced("shortlisted"), directory)
    assert sent(planned) == [
        ("shortlisted", CONTACT_EMAIL, "email"),
        ("shortlisted", NOMINEE_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
    ]
    assert planned[2].context["update"] == "shortlisted"


def test_not_shortlisted_tells_contact_nominee_and_recommender(directory):
    planned = plan("nomination.advanced", advanced("not_shortlisted"), directory)
    assert [m.template for m in planned] == ["not_shortlisted", "not_shortlisted", "recommender_update"]
    assert planned[2].context["update"] == "not_shortlisted"


@pytest.mark.parametrize("stage", ["candidate", "honouree", "checked"])
def test_advance_told_by_a_later_event_sends_nothing(directory, stage):
    assert plan("nomination.advanced", advanced(stage), directory) == []


def test_advance_of_unknown_nomination_sends_nothing():
    assert plan("nomination.advanced", advanced("shortlisted"), InMemoryDirectory()) == []


def test_disqualification_tells_everyone_concerned_with_rule_and_reason(directory):
    payload = {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "stage": "review", "rule": "R11",
               "reason": "证书系伪造。", "replacement_nomination_id": "N-9"}
    planned = plan("nomination.disqualified", payload, directory)
    assert [m.template for m in planned] == ["disqualified", "disqualified", "recommender_update"]
    assert planned[0].context["rule_label"] == "弄虚作假、徇私舞弊的，一经查实，取消参与资格"
    assert planned[0].context["stage_label"] == "材料审核"
    assert planned[2].context["reason"] == "证书系伪造。"


def test_candidate_list_tells_each_known_candidate(directory):
    directory.remember(submission(nomination_id="N-2", contact={"name": "周", "email": "zhou@a.cn", "phone": None},
                                  person=None, recommender=None))
    payload = {"campaign_id": CAMPAIGN_ID, "notice_url": "https://tuiju.example.cn/notice",
               "opens_at": "2023-03-13T01:00:00+00:00", "closes_at": "2023-03-19T10:00:00+00:00",
               "candidates": [
                   {"nomination_id": "N-1", "rank": 1, "nominee_name": "王秀兰", "unit": "某大学", "domain": "伙食管理"},
                   {"nomination_id": "N-2", "rank": 2, "nominee_name": "王秀兰", "unit": "某大学", "domain": "伙食管理"},
                   {"nomination_id": "N-404", "rank": 3, "nominee_name": "无名", "unit": "", "domain": "信息化"},
               ]}
    planned = plan("candidates.published", payload, directory)
    assert sent(planned) == [
        ("selected_for_public_notice", CONTACT_EMAIL, "email"),
        ("selected_for_public_notice", NOMINEE_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
        ("selected_for_public_notice", "zhou@a.cn", "email"),
    ]
    assert planned[3].context["rank"] == 2
    assert planned[0].context["closes_at_local"] == "2023年3月19日 18:00（北京时间）"
    assert planned[2].context["notice_url"] == "https://tuiju.example.cn/notice"


def test_candidate_list_tells_a_recommender_about_each_of_its_candidates(directory):
    directory.remember(submission(nomination_id="N-2", nominee_name="赵刚"))
    payload = {"campaign_id": CAMPAIGN_ID, "notice_url": None,
               "opens_at": "2023-03-13T01:00:00+00:00", "closes_at": "2023-03-19T10:00:00+00:00",
               "candidates": [
                   {"nomination_id": "N-1", "rank": 1, "nominee_name": "王秀兰", "unit": "某大学", "domain": "伙食管理"},
                   {"nomination_id": "N-2", "rank": 2, "nominee_name": "赵刚", "unit": "某大学", "domain": "伙食管理"},
               ]}
    planned = plan("candidates.published", payload, directory)
    told = [m for m in planned if m.recipient.kind == "recommender"]
    assert [m.context["nominee_name"] for m in told] == ["王秀兰", "赵刚"]
    assert len({m.dedup_key for m in planned}) == len(planned)


def test_objection_is_acknowledged_to_the_objector_only(directory):
    planned = plan("objection.filed", objection(), directory)
    assert sent(planned) == [("objection_received", "objector@example.com", "email")]
    assert planned[0].context["summary"] == "获奖情况不实。"


def test_anonymous_objection_sends_nothing(directory):
    assert plan("objection.filed", objection(objector_email=None), directory) == []


def test_objection_outcome_tells_objector_and_nominee_without_the_summary(directory):
    payload = objection(outcome="dismissed", reason="经核实属实。")
    planned = plan("objection.resolved", payload, directory)
    assert sent(planned) == [
        ("objection_outcome", "objector@example.com", "email"),
        ("objection_outcome", CONTACT_EMAIL, "email"),
        ("objection_outcome", NOMINEE_EMAIL, "email"),
    ]
    assert [(m.context["is_objector"], m.context["summary"]) for m in planned] == [
        (True, "获奖情况不实。"), (False, ""), (False, ""),
    ]
    assert planned[0].context["outcome_label"] == "异议不成立"


def test_honourees_are_congratulated_and_recommenders_told(directory):
    payload = {"campaign_id": CAMPAIGN_ID, "honourees": [
        {"nomination_id": "N-1", "nominee_name": "王秀兰", "unit": "某大学", "domain": "伙食管理", "media_priority": True}]}
    planned = plan("honourees.confirmed", payload, directory)
    assert [m.template for m in planned] == ["honouree_announced", "honouree_announced", "recommender_update"]
    assert planned[2].context["update"] == "honouree"


@pytest.mark.parametrize("event_type", ["campaign.stage_opened", "campaign.stage_closed"])
def test_stage_change_sends_nothing(directory, event_type):
    payload = {"campaign_id": CAMPAIGN_ID, "stage": "review", "at_utc": "2023-02-28T16:00:00+00:00",
               "at_local": "2023-03-01 00:00:00"}
    assert plan(event_type, payload, directory) == []
