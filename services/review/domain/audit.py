"""The audit trail's chain (R12: every decision attributable and auditable): each entry carries the hash of
the one before, so changing, removing or reordering any entry breaks every hash after it."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(entry: Mapping) -> bytes:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def entry_hash(previous: str, entry: Mapping) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical JSON."""
    return hashlib.sha256(previous.encode() + b"\n" + canonical(entry)).hexdigest()


@dataclass(frozen=True)
class ChainedEntry:
    seq: int
    entry: Mapping
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(entries: Iterable[ChainedEntry]) -> Verdict:
    """Walks the chain in order: each entry must follow the one before (seq + 1), name its hash, and hash
    to what it says."""
    previous, expected_seq, checked = GENESIS, 1, 0
    for item in entries:
        if item.seq != expected_seq:
            return Verdict(checked, item.seq, f"第 {expected_seq} 条缺失或顺序被改动（读到第 {item.seq} 条）")
        if item.previous_hash != previous:
            return Verdict(checked, item.seq, f"第 {item.seq} 条记录的前一条哈希不符")
        if entry_hash(previous, item.entry) != item.hash:
            return Verdict(checked, item.seq, f"第 {item.seq} 条的内容被改动（哈希不符）")
        previous, expected_seq, checked = item.hash, expected_seq + 1, checked + 1
    return Verdict(checked)
