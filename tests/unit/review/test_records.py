"""The audit chain, version diffs, the stage calendar, the R10 shortlist order and the staff import rules."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from services.review.domain.audit import GENESIS, ChainedEntry, entry_hash, verify
from services.review.domain.people import Role, check_staff_member
from services.review.domain.shortlist import ShortlistEntry, places_of, r10_order
from services.review.domain.stage_calendar import CLOSED, OPENED, due_changes
from services.review.domain.versions import (FILE_REFUSED, FLAG_NAMES, NO_SEAL, field_changes, file_changes,
                                             file_match_text, scan_flag)
from tests.unit.notify.builders import submission
from tests.unit.review.builders import SHANGHAI

pytestmark = pytest.mark.unit


def chain(n: int) -> list[ChainedEntry]:
    entries, previous = [], GENESIS
    for seq in range(1, n + 1):
        entry = {"seq": seq, "action": "approve", "by": "sub-wg", "target": f"N-{seq}"}
        digest = entry_hash(previous, entry)
        entries.append(ChainedEntry(seq, entry, previous, digest))
        previous = digest
    return entries


def test_audit_chain_verifies_when_untouched():
    assert verify(chain(5)).ok and verify(chain(5)).checked == 5


def test_audit_chain_detects_a_changed_entry():
    entries = chain(5)
    entries[2] = replace(entries[2], entry={**entries[2].entry, "by": "someone"})
    assert verify(entries).broken_at == 3


def test_audit_chain_detects_a_removed_entry():
    entries = chain(5)
    del entries[1]
    assert verify(entries).broken_at == 3


def test_audit_chain_detects_a_rehashed_entry_by_the_next_link():
    entries = chain(4)
    forged = {**entries[1].entry, "by": "x"}
    entries[1] = replace(entries[1], entry=forged, hash=entry_hash(entries[1].previous_hash, forged))
    assert verify(entries).broken_at == 3


def test_version_diff_names_changed_fields_with_labels_and_values():
    before = submission()
    after = submission(person={**before["person"], "phone": "13900000000"}, deeds="新的事迹")
    changes = field_changes(before, after)
    assert [(c.path, c.label, c.after) for c in changes] == [("person.phone", "联系电话", "13900000000"),
                                                             ("deeds", "事迹材料", "新的事迹")]


def test_version_diff_names_replaced_files(campaign):
    before = submission()
    replaced = [{**before["files"][0], "sha256": "1" * 64, "filename": "新报名表.pdf"}]
    assert [(c.path, c.after) for c in file_changes(before, submission(files=replaced), campaign)] == [
        ("sealed_form", ["新报名表.pdf"])]


def test_a_file_refused_by_its_scan_is_flagged_for_the_reviewers():
    assert scan_flag("certificate", {"verdict": "refused", "codes": ["pdf_active_content"]}, []) == FILE_REFUSED


def test_a_flagged_form_without_a_seal_keeps_its_own_flag():
    assert scan_flag("sealed_form", {"verdict": "flagged", "codes": ["seal_missing"]}, []) == NO_SEAL


def test_a_file_passed_by_its_scan_is_not_flagged():
    assert scan_flag("photo", {"verdict": "ok", "codes": []}, []) is None


def test_stage_changes_due_once_each_in_time_order(campaign):
    now = datetime(2023, 3, 1, 0, 0, 5, tzinfo=SHANGHAI)
    due = due_changes(campaign, now, announced=set())
    assert [(c.stage, c.kind) for c in due] == [("submission", OPENED), ("submission", CLOSED), ("review", OPENED)]
    assert due_changes(campaign, now, announced={(c.stage, c.kind) for c in due}) == []


def test_stage_closes_after_its_last_second(campaign):
    last_second = campaign.stage("submission").closes_at
    assert ("submission", CLOSED) not in {(c.stage, c.kind) for c in due_changes(campaign, last_second, set())}
    after = last_second + timedelta(seconds=1)
    assert ("submission", CLOSED) in {(c.stage, c.kind) for c in due_changes(campaign, after, set())}


def test_shortlist_order_puts_r10_media_priority_first():
    entries = [ShortlistEntry("a", "甲", False, 0, "2023-01-01", "approved"),
               ShortlistEntry("b", "乙", True, 1, "2023-02-01", "approved"),
               ShortlistEntry("c", "丙", True, 3, "2023-02-02", "approved")]
    assert [e.nomination_id for e in r10_order(entries)] == ["c", "b", "a"]


def test_places_count_against_the_campaign(campaign):
    places = places_of(campaign, 34)
    assert (places.left, places.full, places.label()) == (1, False, "已入围 34 / 35 名，余 1 名")


def test_staff_row_with_role_name_and_domains_text_is_read(campaign):
    member, errors = check_staff_member({"subject": "s1", "name": "张三", "role": "评审工作组",
                                         "domains": "伙食管理、学生公寓", "unit": "示例大学"}, campaign.domains)
    assert errors == {} and (member.role, member.domains) == (Role.WORKING_GROUP, ("伙食管理", "学生公寓"))


@pytest.mark.parametrize("row,field", [
    ({"name": "张三", "role": "secretariat"}, "subject"),
    ({"subject": "s", "name": "张三", "role": "boss"}, "role"),
    ({"subject": "s", "name": "张三", "role": "branch"}, "domains"),
    ({"subject": "s", "name": "张三", "role": "branch", "domains": "火星"}, "domains"),
    ({"subject": "s", "name": "张" * 201, "role": "auditor"}, "name"),
    ({"subject": "s", "name": "张三", "role": "working_group", "domains": "信息化", "cap": "0"}, "cap"),
])
def test_staff_row_problems_name_the_field(row, field, campaign):
    member, errors = check_staff_member(row, campaign.domains)
    assert member is None and field in errors


def test_a_repeated_file_is_said_with_the_other_nominations_reference_and_kind():
    assert file_match_text("2022-00001", "一寸免冠照", "identical", 0) == "与 2022-00001 的一寸免冠照完全相同"
    assert file_match_text("2022-00003", "最高荣誉证书扫描件", "perceptual", 4) == "与 2022-00003 的最高荣誉证书扫描件相似（差异 4/64）"
    assert file_match_text("", "一寸免冠照", "identical", 0) == "与一份未提交的申报的一寸免冠照完全相同"


def test_the_flag_of_a_repeated_file_names_any_material_not_only_certificates():
    assert FLAG_NAMES[scan_flag("photo", {}, [{"file_id": "f", "nomination_id": "n"}])] == "材料与其他推荐重复"
