import pytest

from shared.i18n.catalogs import render

from services.intake.domain import client_fields, flagged_files, upload_rules
from services.intake.schemas.labels import FIELD_LABELS
from services.intake.domain.nomination import (
    allowed_actions, can_edit, check_edit, FieldLocked, holds_quota_place, InvalidTransition, NominationState, transition,
)
from services.intake.domain.upload_rules import (
    check_has_bytes, check_upload_allowed, check_uploads_complete, missing_uploads, required_uploads, upload_problems, UploadRefused, UploadsIncomplete,
)

pytestmark = pytest.mark.unit

COMPLETE_PERSON = ["photo", "sealed_form", "certificate", "certificate"]


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        ("draft", "submit", "submitted"),
        ("submitted", "return", "returned"),
        ("returned", "resubmit", "resubmitted"),
        ("resubmitted", "return", "returned"),
        ("draft", "withdraw", "withdrawn"),
        ("submitted", "withdraw", "withdrawn"),
        ("returned", "withdraw", "withdrawn"),
        ("resubmitted", "withdraw", "withdrawn"),
        ("submitted", "disqualify", "disqualified"),
        ("returned", "disqualify", "disqualified"),
        ("draft", "lapse", "lapsed"),
    ],
)
def test_transition_allowed(state, action, after):
    assert transition(state, action) == after
    assert isinstance(transition(state, action), NominationState)


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "resubmit"),
        ("draft", "return"),
        ("submitted", "submit"),
        ("returned", "submit"),
        ("resubmitted", "resubmit"),
        ("withdrawn", "submit"),
        ("withdrawn", "withdraw"),
        ("disqualified", "resubmit"),
        ("draft", "disqualify"),
        ("submitted", "lapse"),
        ("lapsed", "submit"),
        ("lapsed", "withdraw"),
    ],
)
def test_transition_refused(state, action):
    with pytest.raises(InvalidTransition):
        transition(state, action)


def test_transition_refusal_says_what_the_applicant_may_do():
    with pytest.raises(InvalidTransition) as caught:
        transition("returned", "submit")
    assert caught.value.message == "推荐当前状态为“已退回待修改”，不能提交；当前可进行的操作：重新提交、撤回"


def test_transition_refusal_after_withdrawal_says_it_is_over():
    with pytest.raises(InvalidTransition) as caught:
        transition("withdrawn", "resubmit")
    assert caught.value.message == "推荐当前状态为“已撤回”，不能重新提交；此推荐已结束，不能再进行任何操作"


def test_transition_refusal_of_unknown_state_or_action():
    with pytest.raises(InvalidTransition, match="无法识别的推荐状态“lost”"):
        transition("lost", "submit")
    with pytest.raises(InvalidTransition, match="无法识别的操作“approve”"):
        transition("draft", "approve")


def test_allowed_actions_of_a_draft():
    assert allowed_actions("draft") == ["submit", "lapse", "withdraw"]


@pytest.mark.parametrize(
    ("state", "holds"),
    [("draft", False), ("submitted", True), ("returned", True), ("resubmitted", True),
     ("withdrawn", False), ("disqualified", True), ("lapsed", False)],
)
def test_holds_quota_place_from_submission_until_withdrawal(state, holds):
    assert holds_quota_place(state) is holds


def test_can_edit_a_draft_anywhere():
    assert can_edit("draft", "person.phone") is True


@pytest.mark.parametrize("state", ["submitted", "resubmitted", "withdrawn", "disqualified", "lapsed"])
def test_can_edit_nothing_once_submitted(state):
    assert can_edit(state, "deeds", returned_fields=["deeds"]) is False


def test_can_edit_returned_only_what_the_return_opened():
    opened = ["person.phone", "deeds", "files.certificate"]
    assert can_edit("returned", "person.phone", opened) is True
    assert can_edit("returned", "files.certificate", opened) is True
    assert can_edit("returned", "person.name", opened) is False
    assert can_edit("returned", "deeds_extra", opened) is False


def test_can_edit_returned_section_opens_its_fields():
    assert can_edit("returned", "person.unit", ["person"]) is True


def test_check_edit_names_the_locked_fields_in_chinese():
    labels = {"person.name": "姓名", "domain": "所属业务领域"}
    with pytest.raises(FieldLocked) as caught:
        check_edit("returned", ["deeds", "person.name", "domain"], ["deeds"], labels)
    assert caught.value.message == "退回修改时只能修改退回意见指出的内容，以下内容不能修改：姓名、所属业务领域"
    assert caught.value.fields == ("person.name", "domain")


def test_check_edit_refuses_changes_to_a_submitted_nomination():
    with pytest.raises(FieldLocked, match="推荐状态为“已提交”，以下内容不能修改：deeds"):
        check_edit("submitted", ["deeds"])


def test_check_edit_passes_opened_fields():
    assert check_edit("returned", ["deeds"], ["deeds"]) is None


def test_required_uploads_for_a_person(campaign):
    kinds = [u.kind for u in required_uploads(campaign, "self", "person")]
    assert kinds == ["photo", "sealed_form", "certificate"]


def test_required_uploads_for_a_team_need_no_portrait(campaign):
    kinds = [u.kind for u in required_uploads(campaign, "branch", "team")]
    assert kinds == ["sealed_form", "certificate"]


@pytest.mark.parametrize("channel", ["local_association", "council_unit", "member_unit", "branch", "self"])
def test_missing_uploads_every_channel_needs_the_sealed_form(campaign, channel):
    uploaded = ["photo", "certificate", "certificate"]
    assert missing_uploads(campaign, channel, uploaded, nominee_kind="person") == ["sealed_form"]


def test_missing_uploads_counts_the_two_certificates(campaign):
    uploaded = ["photo", "sealed_form", "certificate"]
    assert missing_uploads(campaign, "branch", uploaded, nominee_kind="person") == ["certificate"]


def test_missing_uploads_none_when_complete(campaign):
    assert missing_uploads(campaign, "self", COMPLETE_PERSON + ["media_proof"], nominee_kind="person") == []


def chinese(messages) -> list[str]:
    return [render(m, "zh_Hans") for m in messages]


def test_upload_problems_self_nomination_without_seal_is_invalid(campaign):
    problems = upload_problems(campaign, "self", ["photo", "certificate", "certificate"], nominee_kind="person")
    assert chinese(problems) == ["个人自荐须上传加盖申请人单位公章的报名表（申请人单位意见），否则报名无效"]


def test_upload_problems_of_a_team_nominating_itself_say_team_self_nomination(campaign):
    problems = upload_problems(campaign, "self", ["certificate", "certificate"], nominee_kind="team")
    assert chinese(problems) == ["团队自荐须上传加盖申请人单位公章的报名表（申请人单位意见），否则报名无效"]
    assert render(problems[0], "en").startswith("A team self-nomination must include")


def test_upload_problems_organisation_without_seal(campaign):
    problems = upload_problems(campaign, "branch", ["photo", "certificate", "certificate"], nominee_kind="person")
    assert chinese(problems) == ["请上传加盖所在单位（或部门）公章的纸质报名表"]


def test_upload_problems_too_many_and_not_asked_for(campaign):
    uploaded = COMPLETE_PERSON + ["certificate", "video"]
    problems = upload_problems(campaign, "member_unit", uploaded, nominee_kind="person")
    assert chinese(problems) == ["最高荣誉证书扫描件最多上传 2 份，现有 3 份", "本推荐不需要“video”类材料，请删除"]


def test_upload_problems_team_photo_not_asked_for(campaign):
    uploaded = ["photo", "sealed_form", "certificate", "certificate"]
    assert chinese(upload_problems(campaign, "branch", uploaded, nominee_kind="team")) == ["本推荐不需要“photo”类材料，请删除"]


def test_check_uploads_complete_refuses_with_every_problem(campaign):
    with pytest.raises(UploadsIncomplete) as caught:
        check_uploads_complete(campaign, "branch", [], nominee_kind="person")
    assert chinese(caught.value.problems) == [
        "请上传一寸免冠照（需 1 份，已上传 0 份）",
        "请上传加盖所在单位（或部门）公章的纸质报名表",
        "请上传最高荣誉证书扫描件（需 2 份，已上传 0 份）",
    ]


def test_check_uploads_complete_passes(campaign):
    assert check_uploads_complete(campaign, "self", COMPLETE_PERSON, nominee_kind="person") is None


def test_check_upload_allowed_returns_the_requirement(campaign):
    upload = check_upload_allowed(campaign, "person", "photo", "image/jpeg", 1024, already=0)
    assert upload.name == "一寸免冠照"


@pytest.mark.parametrize(
    ("kind", "content_type", "size", "already", "message"),
    [
        ("photo", "application/pdf", 1024, 0, "一寸免冠照只接受 JPEG、PNG 格式的文件"),
        ("photo", "image/png", 6 * 1024 * 1024, 0, "一寸免冠照文件大小 6 MB 超过上限 5 MB"),
        ("certificate", "application/pdf", 1024, 2, "最高荣誉证书扫描件最多上传 2 份，请先删除一份再上传"),
        ("video", "video/mp4", 1024, 0, "本推荐不需要“video”类材料"),
        ("k" * 4000, "video/mp4", 1024, 0, f"本推荐不需要“{'k' * 30}…”类材料"),
    ],
)
def test_check_upload_allowed_refuses(campaign, kind, content_type, size, already, message):
    with pytest.raises(UploadRefused) as caught:
        check_upload_allowed(campaign, "person", kind, content_type, size, already)
    assert caught.value.message == message



def test_a_stored_file_of_no_bytes_is_refused_naming_its_slot(campaign):
    upload = check_upload_allowed(campaign, "person", "photo", "image/jpeg", 0, already=0)  # 0: size not declared
    check_has_bytes(upload, 1)
    with pytest.raises(UploadRefused) as caught:
        check_has_bytes(upload, 0)
    assert caught.value.message == "一寸免冠照是空文件（0 字节），请重新选择文件上传"

def test_a_change_to_a_server_owned_field_is_refused_naming_it():
    with pytest.raises(client_fields.NotClientWritable) as refused:
        client_fields.check_client_fields({"deeds": "…", "channel": "self", "nominee_kind": "team"}, FIELD_LABELS)
    assert refused.value.message == "以下内容由系统设定，不能修改：推荐渠道、推荐对象类型"
    assert refused.value.fields == ("channel", "nominee_kind")


def test_a_change_to_the_sections_the_applicant_fills_in_is_accepted():
    client_fields.check_client_fields({s: None for s in client_fields.CLIENT_SECTIONS}, FIELD_LABELS)


def test_server_fields_override_what_the_data_says():
    data = client_fields.with_server_fields({"channel": "branch", "nominee_kind": "team", "deeds": "x"},
                                         campaign_id="c", channel="self", nominee_kind="person")
    assert data == {"channel": "self", "nominee_kind": "person", "deeds": "x", "campaign_id": "c"}


def test_no_flagged_file_is_replaced_once_review_has_decided(campaign):
    early = campaign.submission.opens_at
    assert flagged_files.check_may_replace_flagged(campaign, early) is None
    with pytest.raises(upload_rules.UploadRefused, match="评审已作出决定（材料审核通过），已提交的材料不能再更换"):
        flagged_files.check_may_replace_flagged(campaign, early, review_stage="approved")
