import pytest

from services.archive.domain.segments import (
    GENESIS, SegmentPlan, canonical_json, link_problems, manifest_of, segment_bytes, segment_lines,
    segment_problems, sha256,
)

pytestmark = pytest.mark.unit


def line(offset: int, campaign: str = "c1") -> dict:
    return {"event_id": f"e{offset}", "offset": offset, "occurred_at": f"2023-02-0{offset % 9 + 1}T00:00:00+00:00",
            "campaign_id": campaign, "public": {"payload": {"nominee_name": "王秀兰"}}}


def plan(seq: int = 1, previous: str = GENESIS, offsets=(3, 4, 9)) -> SegmentPlan:
    return SegmentPlan(seq, "nominations", 2, tuple(line(o, f"c{o % 2}") for o in offsets), previous, "2053-01-01")


def test_segment_bytes_read_back_as_the_same_lines_with_chinese_intact():
    lines = plan().lines
    assert segment_lines(segment_bytes(lines)) == list(lines)


def test_segment_bytes_are_the_same_for_the_same_events():
    assert segment_bytes(plan().lines) == segment_bytes(plan().lines)


def test_segment_key_names_topic_partition_and_offset_range():
    assert plan().segment_key == "segments/nominations/002/00000000000000000003-00000000000000000009.jsonl.gz"
    assert plan(seq=12).manifest_key == "manifests/000000000012.json"


def test_manifest_names_the_segment_hash_its_range_and_the_previous_manifest():
    data = segment_bytes(plan().lines)
    manifest = manifest_of(plan(previous="ab" * 32), data)
    assert manifest["segment_sha256"] == sha256(data)
    assert (manifest["first_offset"], manifest["last_offset"], manifest["events"]) == (3, 9, 3)
    assert manifest["previous_manifest_sha256"] == "ab" * 32
    assert manifest["campaign_ids"] == ["c0", "c1"]


def test_segment_problems_none_for_the_segment_of_the_manifest():
    data = segment_bytes(plan().lines)
    assert segment_problems(manifest_of(plan(), data), data) == []


def test_segment_problems_when_one_byte_changes():
    data = segment_bytes(plan().lines)
    manifest = manifest_of(plan(), data)
    changed = bytearray(data)
    changed[20] ^= 0x01
    assert "SHA-256" in segment_problems(manifest, bytes(changed))[0]


def test_segment_problems_when_the_manifest_counts_other_events():
    data = segment_bytes(plan().lines)
    manifest = {**manifest_of(plan(), data), "events": 2}
    assert "events differ" in segment_problems(manifest, data)[0]


def test_link_problems_none_for_a_manifest_linked_to_the_previous():
    first = canonical_json(manifest_of(plan(), segment_bytes(plan().lines)))
    second = manifest_of(plan(seq=2, previous=sha256(first)), segment_bytes(plan().lines))
    assert link_problems(second, 2, sha256(first)) == []


def test_link_problems_when_a_manifest_is_missing_or_relinked():
    manifest = manifest_of(plan(seq=3, previous="11" * 32), segment_bytes(plan().lines))
    problems = link_problems(manifest, 2, "22" * 32)
    assert any("out of sequence" in p for p in problems) and any("chain broken" in p for p in problems)
