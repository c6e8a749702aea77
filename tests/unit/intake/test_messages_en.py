"""Every refusal the intake can produce reads in English: a message code through the catalogs
(shared.i18n), a text not yet a code through messages_en.to_english.

The messages are produced by the code itself where it is cheap (the schemas on bad data, the domain's
rules, the scan's refusals); each IntakeRefusal subclass and each scan code must have samples here, so a
new refusal without English fails."""
from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from services.intake.domain import deadlines, eligibility, limits, nomination, quotas, submission
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.messages_en import (FIELD_LABELS_EN, LABELS, SCAN_REASONS, SCAN_TERMS, TYPE_HINTS_EN,
                                                has_english, scan_reason_to_english, to_english)
from services.intake.domain.priority import MEDIA_HONOUR_LEVELS
from shared.i18n import message
from shared.i18n.catalogs import render
from shared.scans import pdf_content, pipeline, scan_upload
from shared.scans.images import _DAMAGED, _too_large
from shared.scans.limits import ScanLimits
from shared.scans.sniff import REFUSED_TYPE_LABELS
from services.intake.schemas import FIELD_LABELS, flatten_errors, nomination_schema
from services.intake.service_layer.errors import FormInvalid, Ineligible, NotFound, WrongOrganisation
from services.intake.service_layer.organisations import InvitationUsed

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]
SCAN_SOURCES = [*(ROOT / "shared/scans").glob("*.py"), ROOT / "services/intake/service_layer/scans.py"]
# Chinese left in the English on purpose: the choices the form itself offers, and examples of them.
KEPT_CHINESE = {"中共党员", "群众", "中国人民大学", "后勤集团", "男", "女", "汉族", "个人", "团队", "年度",
                *MEDIA_HONOUR_LEVELS}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def stray_chinese(english: str) -> list[str]:
    """Chinese outside double quotes (where typed or campaign-specific values stay) and KEPT_CHINESE."""
    return [run for run in CJK.findall(re.sub(r'"[^"]*"', "", english)) if run not in KEPT_CHINESE]


def assert_translated(message: str, english: str | None = None) -> None:
    english = english if english is not None else to_english(message)
    assert has_english(message) or english != message, f"no English for: {message}"
    assert not stray_chinese(english), f"Chinese left in {english!r} (from {message!r})"


UNRESOLVED_CODE = re.compile(r"\b(?:intake|shared|campaign)\.[a-z_]")


def assert_speaks_both(refused) -> None:
    """A refusal (or a problem it lists) in Chinese and in English, with no code left unrendered."""
    refused = getattr(refused, "refusal", refused)
    if not getattr(refused, "code", ""):
        assert_translated(getattr(refused, "default", refused))
        return
    chinese, english = render(refused, "zh_Hans"), render(refused, "en")
    assert CJK.search(chinese) and not UNRESOLVED_CODE.search(chinese), chinese
    assert not UNRESOLVED_CODE.search(english), english
    assert not stray_chinese(english), f"Chinese left in {english!r} (from {chinese!r})"


def schema_messages(campaign, payload: dict, *, draft: bool = False) -> list[tuple[str, str]]:
    return flatten_errors(nomination_schema(campaign, draft=draft).validate(payload))


BAD_PERSON = {"name": "张3", "gender": "x", "ethnic_group": "火星族", "age": "abc", "political_status": "x",
              "phone": "123", "email": "bad", "unit": "a", "department": "a", "position": "x" * 51,
              "address": "a", "postcode": "12", "unknown_field": "?"}
BAD_TEAM = {"name": "a", "unit": "a", "department": "a", "address": "a", "postcode": "1",
            "leader": {"name": "1", "position": "x" * 51, "phone": "1", "email": "x"},
            "members": [{"name": "1", "role": "x" * 31}]}
BAD_HONOURS = [{"title": "a", "level": "宇宙级", "issuer": "a", "date": "yesterday"},
               {"title": "好人好事", "level": "校级", "issuer": "本校", "date": "2999-01-01"}, "not a row"]


@pytest.fixture(scope="module")
def form_messages(campaign) -> list[tuple[str, str]]:
    """Every kind of field message the registration form produces."""
    person_kind = {"campaign_id": "other", "channel": "nope", "nominee_kind": "person", "domain": "nope",
                   "deeds": "短", "person": BAD_PERSON, "team": BAD_TEAM, "media_honours": BAD_HONOURS * 6,
                   "contact": {"name": "1", "email": "x", "phone": "010-62512345"}}
    team_kind = {"campaign_id": campaign.id, "channel": "local_association", "nominee_kind": "team",
                 "team": {**BAD_TEAM, "members": []}, "media_honours": "not a list", "contact": "not a dict"}
    return [
        *schema_messages(campaign, {}),
        *schema_messages(campaign, {"nominee_kind": "robot", "recommender": 5, "deeds": 5}),
        *schema_messages(campaign, {"nominee_kind": "person", "person": {"age": 200}}, draft=True),
        *schema_messages(campaign, {"nominee_kind": "team", "team": {"leader": "x", "members": ["x"]}}),
        *schema_messages(campaign, {"person": "not a dict"}, draft=True),
        *schema_messages(campaign, {"nominee_kind": "person"}),
        *schema_messages(campaign, person_kind),
        *schema_messages(campaign, team_kind),
        *schema_messages(campaign, {"contact": {"phone": "010-62512345"}}, draft=True),
    ]


def test_field_labels_en_cover_every_field_label_path():
    assert set(FIELD_LABELS_EN) == set(FIELD_LABELS)
    assert all(label in LABELS for label in FIELD_LABELS.values())


def test_form_messages_each_have_english(form_messages):
    for _path, message in form_messages:
        assert_translated(message)


def test_form_messages_reach_every_field_of_the_form(form_messages):
    paths = {re.sub(r"\.\d+", "", path) for path, _ in form_messages}
    assert set(FIELD_LABELS) <= paths


def test_to_english_of_a_phone_message_names_the_field_in_english():
    assert to_english("联系电话：请输入 11 位手机号码，如 13812345678") == (
        "Phone: please enter an 11-digit mobile number, e.g. 13812345678")


def test_to_english_of_an_unknown_message_is_the_chinese_itself():
    assert to_english("这句话没有英文") == "这句话没有英文"
    assert not has_english("这句话没有英文")


def test_to_english_of_a_field_message_with_an_unknown_hint_is_the_chinese_itself():
    assert to_english("联系电话：随便写写") == "联系电话：随便写写"


def _all_subclasses(cls) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_all_subclasses(direct)}}


def _refusal(call) -> IntakeRefusal:
    with pytest.raises(IntakeRefusal) as caught:
        call()
    return caught.value


def _transition_refusals() -> list[IntakeRefusal]:
    states = [*nomination.STATE_NAMES, "unknown_state"]
    actions = [*nomination.ACTION_NAMES, "unknown_action"]
    refusals = []
    for state in states:
        for action in actions:
            try:
                nomination.transition(state, action)
            except nomination.InvalidTransition as refusal:
                refusals.append(refusal)
    return refusals


def _upload_refusals(campaign) -> list[IntakeRefusal]:
    refusals = []
    for upload in campaign.uploads:
        kind = next(k for k in campaign.nominee_kind_codes if upload.applies_to(k))
        for content_type, size, already in (("text/html", 1, 0), (upload.content_types[0], upload.max_bytes + 1, 0),
                                            (upload.content_types[0], 1, upload.max_count)):
            refusals.append(_refusal(lambda: nomination.check_upload_allowed(
                campaign, kind, upload.kind, content_type, size, already)))
    refusals.append(_refusal(lambda: nomination.check_upload_allowed(campaign, "person", "video", "video/mp4", 1, 0)))
    return refusals


def _uploads_incomplete(campaign) -> list[IntakeRefusal]:
    refusals = []
    for channel in campaign.channel_codes:
        for kind in campaign.nominee_kind_codes:
            for uploaded in ([], ["certificate"] * 9 + ["photo"] * 9 + ["video"]):
                refusals.append(_refusal(lambda: nomination.check_uploads_complete(
                    campaign, channel, uploaded, nominee_kind=kind)))
    return refusals


def _deadline_refusals(campaign) -> list[IntakeRefusal]:
    submission = campaign.submission
    return [
        _refusal(lambda: deadlines.ensure_submission_open(campaign, submission.opens_at - dt.timedelta(seconds=1))),
        _refusal(lambda: deadlines.ensure_submission_open(campaign, submission.closes_at + dt.timedelta(seconds=1))),
        _refusal(lambda: deadlines.ensure_correction_open(submission.closes_at, submission.closes_at
                                                          + dt.timedelta(days=1), campaign.time_zone)),
        _refusal(lambda: deadlines.ensure_correction_open(submission.closes_at, submission.closes_at
                                                          + dt.timedelta(days=1), "Europe/Paris")),
    ]


def _ineligible() -> Ineligible:
    honouree = eligibility.Honouree("person", "张三", "北京大学", 2021, "全国教育后勤系统“2021年度最美后勤人”")
    match = eligibility.match_past_honouree(eligibility.Nominee("person", "张三", "北京大学", None), [honouree])
    return Ineligible(match.reason)


def _verification_refusals() -> list[IntakeRefusal]:
    from services.intake.domain.contact import VerificationRefused, check_may_request_verification

    return [
        _refusal(lambda: check_may_request_verification(None, None, 0)),
        _refusal(lambda: check_may_request_verification("a@example.com", "a@example.com", 0)),
        _refusal(lambda: check_may_request_verification("a@example.com", None, 5)),
        VerificationRefused("intake.contact_no_verification_after_submit"),
        VerificationRefused("intake.contact_changed"), VerificationRefused("intake.contact_email_invalid"),
    ]


def _file_refusals() -> list[IntakeRefusal]:
    photo = submission.ScannedFile("photo", "一寸免冠照", "我的 照片.jpg", None)
    form = submission.ScannedFile("sealed_form", "加盖公章的纸质报名表", "form.pdf", "flagged", ("seal_missing",))
    return [
        _refusal(lambda: submission.check_files_ready([photo, form], seal_confirmed=False)),
        _refusal(lambda: submission.check_files_ready([form, photo.__class__(**{**photo.__dict__, "verdict": "refused"})],
                                                      seal_confirmed=False)),
        _refusal(lambda: submission.check_files_ready([form], seal_confirmed=False)),
        submission.FilesNotReady(message("intake.scans_pending", count=2), []),
    ]


@pytest.fixture(scope="module")
def refusals(campaign) -> dict[type, list[IntakeRefusal]]:
    """Samples of every IntakeRefusal subclass, made by the rules that raise them where possible."""
    self_channel = next(c for c in campaign.channels if c.is_self_nomination)
    organisation_channel = next(c for c in campaign.channels if not c.is_self_nomination)
    samples = [
        *_transition_refusals(), *_upload_refusals(campaign), *_uploads_incomplete(campaign),
        *_deadline_refusals(campaign), _ineligible(),
        _refusal(lambda: quotas.check_quota(campaign, organisation_channel.code, organisation_channel.quota)),
        _refusal(lambda: quotas.check_branch_member(["北京大学"], "清华大学后勤处")),
        _refusal(lambda: campaign.channel("nope")),
        _refusal(lambda: nomination.check_edit("submitted", ["person.phone", "deeds"], (), FIELD_LABELS)),
        _refusal(lambda: nomination.check_edit("returned", ["team.leader.email"], ["deeds"], FIELD_LABELS)),
        NotFound(), NotFound("file"), FormInvalid([("person.phone", "联系电话：必填")] * 3),
        WrongOrganisation("intake.wrong_organisation", channel=nomination.channel_term(organisation_channel, "person")),
        WrongOrganisation("intake.wrong_organisation", channel=nomination.channel_term(self_channel, "team")),
        nomination.UploadRefused("intake.upload_not_reopened"), nomination.UploadRefused("intake.files_locked"),
        nomination.UploadRefused("intake.sent_replace_not_delete"), nomination.UploadRefused(nomination.LAPSED_REFUSAL),
        _refusal(lambda: nomination.check_may_replace_flagged(campaign, campaign.submission.ends_before)),
        IntakeRefusal("intake.organisation_type_unknown", type="chairman"),
        IntakeRefusal("intake.password_too_short", min=10), IntakeRefusal("intake.sign_in_failed"),
        IntakeRefusal("intake.organisation_unknown"),
        IntakeRefusal("intake.no_longer_editable", state=nomination.state_term("submitted")),
        IntakeRefusal("第 3 行缺少：姓名、单位（所需列：姓名、单位、手机、活动名称、年度）"),
        IntakeRefusal("第 4 行「年度」须为四位数字"), IntakeRefusal("intake.password_too_long", max=200),
        IntakeRefusal("一次最多导入 5000 条记录（文件中有 6000 行），请分批导入"),
        IntakeRefusal("第 7 行「姓名」不能超过 200 个字"),
        _refusal(lambda: limits.check_withdrawal_reason("因" * 501)),
        *_file_refusals(), InvitationUsed(), *_verification_refusals(),
        _refusal(lambda: nomination.check_client_fields({"channel": "x", "recommender": "y"}, FIELD_LABELS)),
        _refusal(lambda: nomination.check_client_fields({"deeds": "", "votes": 1}, FIELD_LABELS)),
        _refusal(lambda: limits.check_draft_size({"deeds": "事" * 30_000})),
    ]
    by_class: dict[type, list[IntakeRefusal]] = {}
    for refusal in samples:
        by_class.setdefault(type(refusal), []).append(refusal)
    return by_class


def test_every_refusal_class_has_samples(refusals):
    assert _all_subclasses(IntakeRefusal) | {IntakeRefusal} <= set(refusals)


def test_every_refusal_sample_has_english(refusals):
    for samples in refusals.values():
        for refusal in samples:
            assert_speaks_both(refusal)
            for problem in getattr(refusal, "problems", ()):
                assert_speaks_both(problem)


def test_a_deadline_refusal_shows_the_time_in_each_language(campaign):
    with pytest.raises(deadlines.DeadlinePassed) as caught:
        deadlines.ensure_submission_open(campaign, campaign.submission.ends_before)
    shown = campaign.submission.closes_at.astimezone(campaign.zone)
    assert render(caught.value.refusal, "en") == (
        f"Submissions closed on {shown:%Y-%m-%d %H:%M:%S} Beijing time; nominations can no longer be created, "
        "changed or submitted")
    assert render(caught.value.refusal, "zh_Hans") == (
        f"材料报送已于北京时间 {shown.year}年{shown.month}月{shown.day}日 {shown:%H:%M:%S} 截止，不能再新建、修改或提交推荐")


def test_an_upload_type_refusal_names_the_upload_in_each_language(campaign):
    with pytest.raises(nomination.UploadRefused) as caught:
        nomination.check_upload_allowed(campaign, "person", "photo", "application/pdf", 1, 0)
    assert render(caught.value.refusal, "en") == "1-inch bareheaded photo: only JPEG, PNG files are accepted"
    assert render(caught.value.refusal, "zh_Hans") == "一寸免冠照只接受 JPEG、PNG 格式的文件"


WEB_MESSAGES = ["请选择要上传的文件", "链接无效或已被篡改，请使用邮件中的完整链接",
                "邀请链接无效，请联系活动秘书处", "邀请链接已过期，请联系活动秘书处重新发送邀请", "验证链接无效，请使用邮件中的完整链接",
                "验证链接已过期，请在申报页面重新发送验证邮件", "两次输入的密码不一致", "文件超过大小上限 20 MB / file exceeds 20971520 bytes",
                "表单中没有这一项", "已删除第 3 项表彰。", "第 2 项表彰·颁发单位：必填", "第 1 项表彰·获得日期：不能晚于今天",
                "推荐渠道：最多 30 个字", "撤回原因：最多 500 个字", "幂等键：最多 100 个字"]


@pytest.mark.parametrize("message", WEB_MESSAGES)
def test_web_layer_message_has_english(message):
    assert_translated(message)


def _scan_calls(path: Path) -> list[tuple[str, ast.expr]]:
    """(code, message expression) of each `Refusal("code", …)` and `….flag("code", …)` in a source file."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and len(node.args) == 2 and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("Refusal", "flag"):
                calls.append((node.args[0].value, node.args[1]))
    return calls


SCAN_CALLS = [call for path in SCAN_SOURCES for call in _scan_calls(path)]


def test_every_scan_code_in_the_source_has_english_patterns():
    assert {code for code, _ in SCAN_CALLS} == set(SCAN_REASONS)


def test_every_fixed_scan_reason_in_the_source_has_english():
    fixed = [(code, message.value) for code, message in SCAN_CALLS if isinstance(message, ast.Constant)]
    assert fixed
    for code, message in [*fixed, ("image_damaged", _DAMAGED)]:
        assert_translated(message, scan_reason_to_english(code, message))


def _scan_samples() -> list[tuple[str, str]]:
    """Reasons with values, made by the scan where cheap, else written as the scan writes them."""
    limits = ScanLimits()
    samples = [(scan_upload(b"", "photo", "n").findings.codes[0], scan_upload(b"", "photo", "n").findings.reasons[0])]
    exe = scan_upload(b"MZ\x90\x00" + bytes(100), "photo", "n").findings
    samples.append((exe.codes[0], exe.reasons[0]))
    samples += [("image_too_large", _too_large(size, limits).message) for size in ((30000, 30000), None)]
    try:
        pdf_content.refuse_active_content(list(pdf_content.ACTIVE_CONTENT))
    except pipeline.Refusal as refusal:
        samples.append((refusal.code, refusal.message))
    samples += [("unsupported_type", f"文件类型不受支持：仅接受 JPG、PNG、PDF（检测到 {label}）{hint}")
                for label in REFUSED_TYPE_LABELS.values() for hint in ("", *pipeline.TYPE_HINTS.values())]
    labels = "、".join(pipeline.PAYLOAD_LABELS.values())
    samples += [
        ("file_too_large", "文件过大：最大 20 MB，本文件 21.5 MB"),
        ("pdf_too_many_pages", "PDF 页数过多：最多 20 页，本文件有 31 页"),
        ("image_appended_data", f"图片末尾附带了额外数据（{labels}），可能被改动过："
                                "预览已去除这些数据，请上传相机或扫描仪生成的原始图片"),
        ("photo_aspect", "照片比例不符合一寸证件照（宽:高约 5:7，本照片 800×800 像素）：请上传一寸证件照"),
        ("photo_low_resolution", "照片分辨率偏低（100×140 像素，至少需 295×413）：请上传更清晰的证件照"),
    ]
    return samples


def test_scan_labels_and_hints_have_english():
    labels = [*REFUSED_TYPE_LABELS.values(), *pipeline.PAYLOAD_LABELS.values(), *pdf_content.ACTIVE_CONTENT.values()]
    assert set(labels) <= set(SCAN_TERMS)
    assert set(pipeline.TYPE_HINTS.values()) <= set(TYPE_HINTS_EN)


@pytest.mark.parametrize("code,message", _scan_samples())
def test_scan_reason_with_values_has_english(code, message):
    english = scan_reason_to_english(code, message)
    assert_translated(message, english)
    assert english == to_english(message)
