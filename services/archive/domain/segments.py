"""Segments of the immutable archive and the chain of their manifests.

A segment is the events of one topic partition over a range of offsets: one JSON line per event, gzip'd.
Each line holds the event's public record (its envelope without personal data) in clear, and the whole
envelope sealed with its campaign's data key. Each segment has a manifest: its place (topic, partition,
offsets), its SHA-256, and the SHA-256 of the manifest before it, so that changing, removing or
inserting any segment or manifest breaks the chain from there on."""
from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass

FORMAT = "tuiju-archive-segment/1"
GENESIS = "0" * 64


@dataclass(frozen=True)
class SegmentPlan:
    seq: int
    topic: str
    partition: int
    lines: tuple[dict, ...]
    previous_manifest_sha256: str
    retain_until: str

    @property
    def first_offset(self) -> int:
        return self.lines[0]["offset"]

    @property
    def last_offset(self) -> int:
        return self.lines[-1]["offset"]

    @property
    def segment_key(self) -> str:
        return f"segments/{self.topic}/{self.partition:03d}/{self.first_offset:020d}-{self.last_offset:020d}.jsonl.gz"

    @property
    def manifest_key(self) -> str:
        return manifest_key(self.seq)

    @property
    def campaign_ids(self) -> list[str]:
        return sorted({line["campaign_id"] for line in self.lines})


def manifest_key(seq: int) -> str:
    return f"manifests/{seq:012d}.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def segment_bytes(lines: tuple[dict, ...] | list[dict]) -> bytes:
    body = b"".join(canonical_json(line) + b"\n" for line in lines)
    return gzip.compress(body, mtime=0)


def segment_lines(data: bytes) -> list[dict]:
    return [json.loads(line) for line in gzip.decompress(data).splitlines() if line]


def manifest_of(plan: SegmentPlan, segment: bytes) -> dict:
    lines = plan.lines
    return {
        "format": FORMAT,
        "seq": plan.seq,
        "topic": plan.topic,
        "partition": plan.partition,
        "first_offset": plan.first_offset,
        "last_offset": plan.last_offset,
        "events": len(lines),
        "first_occurred_at": min(line["occurred_at"] for line in lines),  # ISO 8601 in UTC: they sort as text
        "last_occurred_at": max(line["occurred_at"] for line in lines),
        "campaign_ids": plan.campaign_ids,
        "segment_key": plan.segment_key,
        "segment_sha256": sha256(segment),
        "segment_size": len(segment),
        "previous_manifest_sha256": plan.previous_manifest_sha256,
        "retain_until": plan.retain_until,
    }


def link_problems(manifest: dict, expected_seq: int, previous_sha256: str) -> list[str]:
    """What is wrong with a manifest's place in the chain."""
    problems = []
    if manifest.get("format") != FORMAT:
        problems.append(f"清单 {expected_seq} 格式不对 / manifest {expected_seq}: unknown format")
    if manifest.get("seq") != expected_seq:
        problems.append(f"清单序号应为 {expected_seq}，实为 {manifest.get('seq')} / manifest out of sequence")
    if manifest.get("previous_manifest_sha256") != previous_sha256:
        problems.append(f"清单 {expected_seq} 与上一份清单的链接断开 / manifest {expected_seq}: chain broken")
    return problems


def segment_problems(manifest: dict, segment: bytes) -> list[str]:
    """What is wrong with a segment against its manifest: its hash, its events, its offsets."""
    seq = manifest.get("seq")
    if sha256(segment) != manifest.get("segment_sha256"):
        return [f"分段 {manifest.get('segment_key')} 的 SHA-256 与清单 {seq} 不符 / segment hash differs from manifest"]
    lines = segment_lines(segment)
    offsets = [line["offset"] for line in lines]
    if len(lines) != manifest["events"] or offsets != sorted(offsets) or \
            (offsets and (offsets[0], offsets[-1]) != (manifest["first_offset"], manifest["last_offset"])):
        return [f"分段 {manifest['segment_key']} 的事件与清单 {seq} 不符 / segment events differ from manifest"]
    return []
