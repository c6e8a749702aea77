import json
from datetime import datetime, timezone

import pytest

from services.notify.domain.catalogue import TEMPLATE_VARIABLES
from services.notify.domain.preferences import Preferences
from services.notify.domain.routing import ROUTED_EVENT_TYPES, plan_messages
from services.notify.domain.templates import render
from tests.unit.notify.builders import (
    CAMPAIGN_ID,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    NOMINEE_EMAIL,
    RECOMMENDER_EMAIL,
    InMemoryDirectory,
    envelope,
    submission,
    team_submission,
)

pytestmark = pytest.mark.unit


@pytest.fixture
def directory():
    return InMemoryDirectory().remember(submission())


def sent(planned):
    """(template, address, channel) of each planned message, in order."""
    return [(m.template, m.recipient.address(m.channel), m.channel) for m in planned]


def plan(event_type, payload, directory, event_id="E-1"):
    return plan_messages(envelope(event_type, payload, event_id), directory)


def returned(**changes):
    payload = {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "fields": ["person.phone", "deeds"],
               "files": ["certificate"], "reason": "证书与事迹不符。",
               "correction_deadline": "2023-03-10T10:00:00+00:00", "returned_by": "reviewer-3"}
    payload.update(changes)
    return payload


def advanced(to_stage):
    return {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "from_stage": "checked", "to_stage": to_stage,
            "decided_by": "branch-2", "scores": None}


def scanned(verdict):
    return {"nomination_id": "N-1", "file_id": "F-1", "kind": "sealed_form", "filename": "报名表.pdf",
            "verdict": verdict, "reasons": ["未识别到红色公章。"], "findings": {"seal_found": False}}


def objection(**changes):
    payload = {"nomination_id": "N-1", "objection_id": "OBJ-1", "objector_email": "Objector@Example.com",
               "summary": "获奖情况不实。"}
    payload.update(changes)
    return payload


def test_submission_tells_contact_with_status_link_and_recommender():
    planned = plan("nomination.submitted", submission(), InMemoryDirectory())
    assert sent(planned) == [
        ("submission_received", CONTACT_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
    ]
    assert planned[0].context["status_url"] == "https://tuiju.example.cn/status/abc"
    assert planned[0].context["submitted_at_local"] == "2023年2月20日 10:30（北京时间）"
    assert planned[1].context["update"] == "submitted"


def test_submission_dedup_key_is_event_address_and_channel():
    planned = plan("nomination.submitted", submission(), InMemoryDirectory(), event_id="E-42")
    assert [m.dedup_key for m in planned] == [f"E-42:{CONTACT_EMAIL}:email", f"E-42:{RECOMMENDER_EMAIL}:email"]
    assert {(m.event_id, m.event_type) for m in planned} == {("E-42", "nomination.submitted")}


def test_replayed_event_plans_the_same_dedup_keys(directory):
    first = plan("nomination.returned", returned(), directory, event_id="E-7")
    again = plan("nomination.returned", returned(), directory, event_id="E-7")
    assert [m.dedup_key for m in first] == [m.dedup_key for m in again]


def test_submission_keeps_stored_sms_choice_of_contact(directory):
    directory.set_preferences("N-1", "contact", Preferences(sms=True))
    planned = plan("nomination.submitted", submission(version=1), directory)
    assert sent(planned)[:2] == [
        ("submission_received", CONTACT_EMAIL, "email"),
        ("submission_received", CONTACT_PHONE, "sms"),
    ]


def test_submission_by_recommender_as_its_own_contact_sends_once():
    payload = submission(contact={"name": "上海市教育后勤协会", "email": RECOMMENDER_EMAIL.upper(), "phone": None})
    assert sent(plan("nomination.submitted", payload, InMemoryDirectory())) == [
        ("submission_received", RECOMMENDER_EMAIL, "email"),
    ]


def test_self_nomination_tells_only_the_contact():
    payload = submission(channel="self", recommender=None)
    assert sent(plan("nomination.submitted", payload, InMemoryDirectory())) == [
        ("submission_received", CONTACT_EMAIL, "email"),
    ]


def test_submission_without_reachable_contact_falls_back_to_nominee():
    payload = submission(channel="self", recommender=None, contact={"name": "王秀兰", "email": "不是邮箱", "phone": None})
    assert sent(plan("nomination.submitted", payload, InMemoryDirectory())) == [
        ("submission_received", NOMINEE_EMAIL, "email"),
    ]


def test_resubmission_lists_changes_in_chinese_labels(directory):
    payload = submission(version=2, changed_fields=["person.phone", "deeds"], changed_files=["F-1"])
    planned = plan("nomination.resubmitted", payload, directory)
    assert sent(planned) == [
        ("resubmission_received", CONTACT_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
    ]
    assert planned[0].context["changed"] == ["联系电话", "事迹材料", "加盖公章的纸质报名表（报名表.pdf）"]
    assert planned[0].context["version"] == 2
    assert planned[1].context["update"] == "resubmitted"


def test_withdrawal_tells_contact_and_recommender(directory):
    payload = {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "by": "applicant", "reason": "工作调动。"}
    planned = plan("nomination.withdrawn", payload, directory)
    assert sent(planned) == [("withdrawn", CONTACT_EMAIL, "email"), ("recommender_update", RECOMMENDER_EMAIL, "email")]
    assert planned[1].context["reason"] == "工作调动。"


@pytest.mark.parametrize("verdict", ["flagged", "refused"])
def test_scan_needing_action_tells_the_contact(directory, verdict):
    planned = plan("upload.scanned", scanned(verdict), directory)
    assert sent(planned) == [("scan_needs_action", CONTACT_EMAIL, "email")]
    assert planned[0].context["reasons"] == ["未识别到红色公章。"]
    assert planned[0].context["verdict"] == verdict
    assert planned[0].context["file_label"] == "加盖公章的纸质报名表"


def test_scan_that_passed_sends_nothing(directory):
    assert plan("upload.scanned", scanned("ok"), directory) == []


def test_scan_of_a_draft_notify_has_not_seen_sends_nothing():
    assert plan("upload.scanned", scanned("refused"), InMemoryDirectory()) == []


def test_return_tells_contact_fields_deadline_and_recommender(directory):
    planned = plan("nomination.returned", returned(), directory)
    assert sent(planned) == [
        ("returned_for_correction", CONTACT_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
    ]
    context = planned[0].context
    assert context["fields"] == ["联系电话", "事迹材料"]
    assert context["files"] == ["最高荣誉证书扫描件"]
    assert context["deadline_local"] == "2023年3月10日 18:00（北京时间）"
    assert planned[1].context["deadline_local"] == "2023年3月10日 18:00（北京时间）"


def test_return_as_loaded_by_the_schema_is_read_alike(directory):
    loaded = returned(correction_deadline=datetime(2023, 3, 10, 10, tzinfo=timezone.utc))
    loaded["fields_to_correct"] = loaded.pop("fields")
    assert plan("nomination.returned", loaded, directory) == plan("nomination.returned", returned(), directory)


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


def test_team_nomination_tells_the_team_leader(directory):
    directory.remember(team_submission(nomination_id="N-2"))
    payload = {**advanced("shortlisted"), "nomination_id": "N-2"}
    assert ("shortlisted", "zhaog@school.edu.cn", "email") in sent(plan("nomination.advanced", payload, directory))


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


def test_english_recipient_gets_english_labels(directory):
    directory.set_preferences("N-1", "contact", Preferences(), lang="en")
    planned = plan("nomination.returned", returned(), directory)
    assert planned[0].lang == "en"
    assert planned[0].context["fields"] == ["phone", "deeds"]
    assert planned[0].context["deadline_local"] == "10 March 2023, 18:00 (Beijing time)"


def test_email_opt_out_with_sms_opt_in_sends_sms_only(directory):
    directory.set_preferences("N-1", "contact", Preferences(email=False, sms=True))
    planned = plan("nomination.returned", returned(), directory)
    assert sent(planned)[0] == ("returned_for_correction", CONTACT_PHONE, "sms")


def test_sms_opt_in_does_not_send_an_email_only_message(directory):
    directory.set_preferences("N-1", "contact", Preferences(sms=True))
    planned = plan("nomination.withdrawn", {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "by": "x"}, directory)
    assert ("withdrawn", CONTACT_PHONE, "sms") not in sent(planned)


def test_demo_campaign_message_says_demo_in_subject():
    planned = plan("nomination.submitted", submission(is_demo=True), InMemoryDirectory())
    rendered = render(planned[0].template, planned[0].lang, planned[0].channel, planned[0].context)
    assert rendered.subject.startswith("【演示】")


def every_event():
    directory = InMemoryDirectory().remember(submission())
    directory.set_preferences("N-1", "contact", Preferences(sms=True))
    directory.set_preferences("N-1", "nominee", Preferences(sms=True), lang="en")
    events = [
        ("nomination.submitted", submission()),
        ("nomination.resubmitted", submission(version=2, changed_fields=["deeds"], changed_files=[])),
        ("nomination.withdrawn", {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "by": "x", "reason": ""}),
        ("upload.scanned", scanned("refused")),
        ("nomination.returned", returned()),
        ("nomination.advanced", advanced("shortlisted")),
        ("nomination.advanced", advanced("not_shortlisted")),
        ("nomination.disqualified", {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "stage": "review",
                                     "rule": "R11", "reason": "伪造。", "replacement_nomination_id": None}),
        ("candidates.published", {"campaign_id": CAMPAIGN_ID, "notice_url": None,
                                  "opens_at": "2023-03-13T01:00:00Z", "closes_at": "2023-03-19T10:00:00Z",
                                  "candidates": [{"nomination_id": "N-1", "rank": 1, "nominee_name": "王秀兰",
                                                  "unit": None, "domain": "伙食管理"}]}),
        ("objection.filed", objection()),
        ("objection.resolved", objection(outcome="upheld", reason="属实。")),
        ("honourees.confirmed", {"campaign_id": CAMPAIGN_ID, "honourees": [
            {"nomination_id": "N-1", "nominee_name": "王秀兰", "unit": None, "domain": "伙食管理"}]}),
    ]
    return [message for index, (event_type, payload) in enumerate(events)
            for message in plan(event_type, payload, directory, event_id=f"E-{index}")]


def test_every_routed_event_type_is_exercised_here():
    assert {m.event_type for m in every_event()} == ROUTED_EVENT_TYPES


def test_every_planned_context_has_exactly_the_catalogue_placeholders():
    for message in every_event():
        assert set(message.context) == TEMPLATE_VARIABLES[message.template], message.template


def test_every_planned_message_renders_and_stores_as_json():
    for message in every_event():
        rendered = render(message.template, message.lang, message.channel, message.context)
        assert rendered.body
        json.dumps(message.context)


def test_every_planned_dedup_key_is_unique():
    keys = [m.dedup_key for m in every_event()]
    assert len(keys) == len(set(keys))


def test_events_made_and_read_by_the_shared_envelope_route_alike(directory):
    from shared.events import new_event, parse_event

    made = new_event("nomination.returned", "N-1", returned(), producer="review")
    read = parse_event(made.to_json())
    planned = plan_messages(read, directory)
    assert sent(planned) == [
        ("returned_for_correction", CONTACT_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
    ]
    assert planned[0].dedup_key == f"{made.event_id}:{CONTACT_EMAIL}:email"


@pytest.mark.parametrize("event_type,payload", [
    ("nomination.submitted", submission()),
    ("nomination.resubmitted", submission(version=2, changed_fields=["deeds"], changed_files=["F-1"])),
    ("upload.scanned", scanned("flagged")),
    ("nomination.returned", returned()),
    ("nomination.advanced", advanced("shortlisted")),
    ("objection.resolved", objection(outcome="upheld", reason="属实。")),
])
def test_test_payloads_satisfy_the_shared_event_schemas(event_type, payload):
    from shared.events import new_event

    new_event(event_type, "N-1", payload, producer="test")


def test_a_submission_with_a_flagged_file_also_tells_the_applicant_the_materials_need_attention():
    payload = submission()
    payload["files"][0].update(verdict="flagged", reasons=["未检测到公章：请上传加盖单位公章的报名表扫描件"])
    planned = plan("nomination.submitted", payload, InMemoryDirectory())
    attention = [m for m in planned if m.template == "scan_needs_action"]
    assert CONTACT_EMAIL in {m.recipient.address(m.channel) for m in attention}
    assert attention[0].context["reasons"] == ["未检测到公章：请上传加盖单位公章的报名表扫描件"]
    assert "submission_received" in [m.template for m in planned]
    assert len({m.dedup_key for m in planned}) == len(planned)


def test_a_submission_whose_files_all_passed_sends_no_attention_message():
    assert "scan_needs_action" not in [m.template for m in plan("nomination.submitted", submission(), InMemoryDirectory())]
