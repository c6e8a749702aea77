from datetime import datetime, timedelta, timezone

import pytest

from services.intake.domain.flags import (PAST_HONOUREE, SAME_NOMINEE, SEAL_NOT_DETECTED, SHARED_FILE, Flag,
                                          group_flags)

pytestmark = pytest.mark.unit
T0 = datetime(2023, 2, 1, tzinfo=timezone.utc)


def flag(nomination_id: str, kind: str, minutes: int, **detail) -> Flag:
    return Flag(nomination_id, kind, detail, T0 + timedelta(minutes=minutes))


def shared(nomination_id: str, minutes: int, *others: str) -> Flag:
    return flag(nomination_id, SHARED_FILE, minutes, duplicates=[{"nomination_id": o} for o in others])


def test_group_flags_joins_the_two_flags_of_the_same_nominee_twice():
    groups = group_flags([flag("A", SAME_NOMINEE, 1, other_nomination_id="B"),
                          flag("B", SAME_NOMINEE, 1, other_nomination_id="A")])
    assert [(g.kind, g.nomination_ids) for g in groups] == [(SAME_NOMINEE, ["A", "B"])]


def test_group_flags_joins_a_file_shared_along_a_chain_into_one_group():
    groups = group_flags([shared("A", 1, "B"), shared("B", 1, "A"), shared("C", 2, "B"), shared("B", 2, "C")])
    assert [sorted(g.nomination_ids) for g in groups] == [["A", "B", "C"]]


def test_group_flags_keeps_different_findings_apart():
    groups = group_flags([shared("A", 1, "B"), shared("C", 2, "D"),
                          flag("A", SAME_NOMINEE, 3, other_nomination_id="E")])
    assert sorted((g.kind, tuple(sorted(g.nomination_ids))) for g in groups) == [
        (SHARED_FILE, ("A", "B")), (SHARED_FILE, ("C", "D")), (SAME_NOMINEE, ("A", "E"))]


def test_group_flags_keeps_one_group_per_nomination_for_findings_about_one():
    groups = group_flags([flag("A", PAST_HONOUREE, 1, reason="与 2021 年度获奖者同名"),
                          flag("B", PAST_HONOUREE, 2, reason="与 2020 年度获奖者同名"),
                          flag("A", SEAL_NOT_DETECTED, 3, confirmed_by_applicant=True)])
    assert [(g.kind, g.nomination_ids, g.reasons) for g in groups] == [
        (SEAL_NOT_DETECTED, ["A"], []), (PAST_HONOUREE, ["B"], ["与 2020 年度获奖者同名"]),
        (PAST_HONOUREE, ["A"], ["与 2021 年度获奖者同名"])]


def test_group_flags_puts_the_newest_finding_first_and_names_a_nomination_not_yet_flagged():
    groups = group_flags([shared("A", 1, "B"), flag("C", SAME_NOMINEE, 5, other_nomination_id="D")])
    assert [g.nomination_ids for g in groups] == [["C", "D"], ["A", "B"]]


def test_group_labels_are_chinese_and_an_unknown_kind_shows_its_code():
    groups = group_flags([flag("A", SAME_NOMINEE, 1, other_nomination_id="B"), flag("C", "new_kind", 2)])
    assert [g.label for g in groups] == ["new_kind", "同一人通过两个渠道被推荐"]


def test_a_long_group_names_the_nomination_on_screen_first_and_cuts_the_rest():
    [group] = group_flags([shared("A", 1, *[f"N{i}" for i in range(30)])])
    shown = group.shown("N29", limit=5)
    assert shown[:2] == ["N29", "A"] and len(shown) == 5 and len(group.nomination_ids) == 31
    assert group.shown(None, limit=3) == ["A", "N0", "N1"]


def test_file_match_text_says_identical_or_how_similar_and_a_state_not_sent():
    from services.intake.domain.flags import FileMatch, file_match_text

    assert file_match_text(FileMatch("2022-00001", "一寸免冠照", identical=True)) == "与 2022-00001 的一寸免冠照完全相同"
    assert (file_match_text(FileMatch("2022-00003", "证书", identical=False, distance=4, other_state_name="草稿"))
            == "与 2022-00003（草稿）的证书相似（差异 4/64）")
