"""Notify's routing of what happens to a nomination on the applicant's side: submission, resubmission,
withdrawal, scans, a return; preferences and languages; the materials' attention message. Review's decisions:
test_routing_review.py; every event at once: test_routing_coverage.py."""
from datetime import datetime, timezone

import pytest

from services.notify.domain.preferences import Preferences
from services.notify.domain.templates import render
from tests.unit.notify.builders import (CAMPAIGN_ID, CONTACT_EMAIL, CONTACT_PHONE, NOMINEE_EMAIL, RECOMMENDER_EMAIL,
                                        InMemoryDirectory, submission, team_submission)
from tests.unit.notify.routing_events import advanced, plan, returned, scanned, sent

pytestmark = pytest.mark.unit


@pytest.fixture
def directory():
    return InMemoryDirectory().remember(submission())


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


def test_team_nomination_tells_the_team_leader(directory):
    directory.remember(team_submission(nomination_id="N-2"))
    payload = {**advanced("shortlisted"), "nomination_id": "N-2"}
    assert ("shortlisted", "zhaog@school.edu.cn", "email") in sent(plan("nomination.advanced", payload, directory))


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


SEAL_REASON = "未检测到公章：请上传加盖单位公章的报名表扫描件"


def test_a_form_whose_missing_seal_the_applicant_confirmed_brings_no_attention_message():
    payload = submission()
    payload["files"][0].update(verdict="flagged", reasons=[SEAL_REASON], codes=["seal_missing"],
                               seal_confirmed_by_applicant=True)
    assert "scan_needs_action" not in [m.template for m in plan("nomination.submitted", payload, InMemoryDirectory())]


def test_after_submission_the_attention_message_lists_only_what_needs_action_and_never_says_tick_the_box():
    payload = submission()
    payload["files"][0].update(verdict="flagged", reasons=[SEAL_REASON], codes=["seal_missing"],
                               seal_confirmed_by_applicant=True)
    payload["files"].append({**payload["files"][0], "file_id": "F-2", "kind": "certificate", "filename": "证书.jpg",
                             "reasons": ["与另一申报的证书相同"], "codes": ["duplicate"],
                             "seal_confirmed_by_applicant": False})
    [attention] = [m for m in plan("nomination.submitted", payload, InMemoryDirectory())
                   if m.template == "scan_needs_action" and m.channel == "email"]
    assert attention.context["reasons"] == ["与另一申报的证书相同"] and attention.context["submitted"] is True
    for lang in ("zh", "en"):
        body = render("scan_needs_action", lang, "email", attention.context).body
        assert "更换材料" in body and "勾选" not in body and "when you submit" not in body


def test_a_team_nominating_itself_is_told_of_as_a_team_self_nomination():
    def channel_line(payload, lang):
        [received] = [m for m in plan("nomination.submitted", payload, InMemoryDirectory())
                      if m.template == "submission_received" and m.channel == "email"]
        return render("submission_received", lang, "email", {**received.context}).body

    team = team_submission(channel="self", recommender=None)
    assert "推荐渠道：团队自荐" in channel_line(team, "zh") and "个人" not in channel_line(team, "zh")
    from services.notify.domain.labels import channel_label

    assert (channel_label("self", "en", "team"), channel_label("self", "en", "person")) == (
        "team self-nomination", "self-nomination")
    assert "推荐渠道：个人自荐" in channel_line(submission(channel="self", recommender=None), "zh")
