"""Every refusal the intake's rules and use cases can produce, sampled, reads in Chinese and in English; an
IntakeRefusal subclass without samples here fails."""
from __future__ import annotations

import datetime as dt

import pytest

from services.intake.domain import (channels, client_fields, deadlines, eligibility, flagged_files, limits, nomination,
                                    quotas, submission, upload_rules)
from services.intake.domain.errors import IntakeRefusal
from shared.i18n import message
from shared.i18n.catalogs import render
from services.intake.field_messages import field_problem
from services.intake.schemas.labels import FIELD_LABELS
from services.intake.service_layer.errors import FormInvalid, Ineligible, NotFound, WrongOrganisation
from services.intake.service_layer.organisations import InvitationUsed
from tests.unit.intake.bilingual import assert_speaks_both

pytestmark = pytest.mark.unit


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
            refusals.append(_refusal(lambda: upload_rules.check_upload_allowed(
                campaign, kind, upload.kind, content_type, size, already)))
    refusals.append(_refusal(lambda: upload_rules.check_upload_allowed(campaign, "person", "video", "video/mp4", 1, 0)))
    return refusals


def _uploads_incomplete(campaign) -> list[IntakeRefusal]:
    refusals = []
    for channel in campaign.channel_codes:
        for kind in campaign.nominee_kind_codes:
            for uploaded in ([], ["certificate"] * 9 + ["photo"] * 9 + ["video"]):
                refusals.append(_refusal(lambda: upload_rules.check_uploads_complete(
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
    return Ineligible(match.refusal)


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
        NotFound(), NotFound("file"), FormInvalid([("person.phone", field_problem("person.phone", "intake.hint.required"))] * 3),
        WrongOrganisation("intake.wrong_organisation", channel=channels.channel_term(organisation_channel, "person")),
        WrongOrganisation("intake.wrong_organisation", channel=channels.channel_term(self_channel, "team")),
        upload_rules.UploadRefused("intake.upload_not_reopened"), upload_rules.UploadRefused("intake.files_locked"),
        upload_rules.UploadRefused("intake.sent_replace_not_delete"), upload_rules.UploadRefused(nomination.LAPSED_REFUSAL),
        _refusal(lambda: flagged_files.check_may_replace_flagged(campaign, campaign.submission.ends_before)),
        IntakeRefusal("intake.organisation_type_unknown", type="chairman"),
        IntakeRefusal("intake.password_too_short", min=10), IntakeRefusal("intake.sign_in_failed"),
        IntakeRefusal("intake.organisation_unknown"),
        IntakeRefusal("intake.no_longer_editable", state=nomination.state_term("submitted")),
        IntakeRefusal("intake.password_too_long", max=200),
        _refusal(lambda: limits.check_withdrawal_reason("因" * 501)),
        *_file_refusals(), InvitationUsed(), *_verification_refusals(),
        _refusal(lambda: client_fields.check_client_fields({"channel": "x", "recommender": "y"}, FIELD_LABELS)),
        _refusal(lambda: client_fields.check_client_fields({"deeds": "", "votes": 1}, FIELD_LABELS)),
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
    with pytest.raises(upload_rules.UploadRefused) as caught:
        upload_rules.check_upload_allowed(campaign, "person", "photo", "application/pdf", 1, 0)
    assert render(caught.value.refusal, "en") == "1-inch bareheaded photo: only JPEG, PNG files are accepted"
    assert render(caught.value.refusal, "zh_Hans") == "一寸免冠照只接受 JPEG、PNG 格式的文件"
