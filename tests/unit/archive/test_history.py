"""The archive page's history of one nomination: the steps a reader needs, with their reasons, in order, and
the files of its latest submission."""
from datetime import datetime, timedelta, timezone

import pytest

from services.archive.domain.history import LoggedEvent, history, latest_files
from services.archive.domain.nominations import STAGE_LABELS

pytestmark = pytest.mark.unit

T0 = datetime(2023, 2, 1, 2, 0, tzinfo=timezone.utc)
KINDS = {"photo": "一寸免冠照", "sealed_form": "加盖公章的纸质报名表"}


def at(minutes: int, event_type: str, **payload) -> LoggedEvent:
    return LoggedEvent(event_type, T0 + timedelta(minutes=minutes), payload)


def files(*names: str, verdict: str | None = None) -> list[dict]:
    return [{"kind": kind, "filename": name, "verdict": verdict} for kind, name in zip(("sealed_form", "photo"), names)]


def test_the_steps_come_in_order_with_their_reasons():
    steps = history([
        at(30, "nomination.resubmitted", version=2, files=files("表.pdf")),
        at(0, "nomination.submitted", version=1, files=files("表.pdf")),
        at(10, "nomination.returned", reason="报名表未盖章", fields=["deeds"]),
        at(50, "nomination.advanced", from_stage="material_check", to_stage="shortlisted"),
        at(60, "nomination.disqualified", stage="shortlisted", rule="R9", reason="曾获往届表彰"),
    ], STAGE_LABELS)
    assert [(s.what, s.detail) for s in steps] == [
        ("提交申报", ""), ("退回修改", "理由：报名表未盖章"), ("按退回意见重新提交", "第 2 版"),
        ("进入下一阶段", "材料审核 → 推举入围"), ("取消资格", "理由：曾获往届表彰")]


def test_a_withdrawal_says_by_whom_and_why_and_an_objection_its_outcome():
    steps = history([at(0, "nomination.withdrawn", by="applicant", reason="个人原因"),
                     at(5, "objection.filed", summary="事迹与实际不符"),
                     at(9, "objection.resolved", summary="事迹与实际不符", outcome="dismissed", reason="经核实")], {})
    assert [s.detail for s in steps] == ["由申报人撤回；理由：个人原因", "事迹与实际不符", "异议不成立；理由：经核实"]


def test_only_scans_that_did_not_pass_are_steps_and_quiet_events_are_left_out():
    steps = history([at(0, "upload.scanned", verdict="ok", filename="照片.jpg"),
                     at(1, "upload.scanned", verdict="refused", filename="证书.jpg", reasons=["文件已损坏"]),
                     at(2, "nomination.draft_saved", changed=["deeds"]),
                     at(3, "message.delivered", recipient="a@b.cn")], {})
    assert [(s.what, s.detail) for s in steps] == [("文件检查未通过", "证书.jpg；不予接受；文件已损坏")]


def test_a_purged_payload_shows_what_remains():
    steps = history([at(0, "nomination.returned"), at(1, "nomination.advanced")], {})
    assert [(s.what, s.detail) for s in steps] == [("退回修改", ""), ("进入下一阶段", "？ → ？")]


def test_the_files_are_those_of_the_latest_submission_by_kind_name():
    filed = latest_files([at(0, "nomination.submitted", files=files("旧表.pdf", "照片.jpg")),
                          at(20, "nomination.resubmitted", files=files("新表.pdf", "照片.jpg", verdict="flagged")),
                          at(30, "nomination.returned", reason="x")], KINDS)
    assert [(f.kind_name, f.filename, f.note) for f in filed] == [
        ("加盖公章的纸质报名表", "新表.pdf", "需人工核对"), ("一寸免冠照", "照片.jpg", "需人工核对")]


def test_no_files_before_a_submission_and_an_unnamed_file_says_so():
    assert latest_files([at(0, "nomination.returned", reason="x")], KINDS) == []
    [filed] = latest_files([at(0, "nomination.submitted", files=[{"kind": "media_proof", "filename": None}])], KINDS)
    assert (filed.kind_name, filed.filename) == ("media_proof", "（未记录文件名）")
