"""The flags raised for the secretariat, grouped: one entry per finding, naming every nomination in it.

A flag is stored per nomination (its kind and what was found). The same finding concerns several
nominations: the same nominee through two channels flags both; a file shared by three nominations flags
all three. `group_flags` joins the flags of one kind that name one another (transitively: A shares a file
with B, and B with C, is one group of three) and keeps each of the other kinds per nomination.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping

SAME_NOMINEE = "same_nominee_twice"
SHARED_FILE = "file_used_by_another_nomination"
PAST_HONOUREE = "possible_past_honouree"
SEAL_NOT_DETECTED = "seal_not_detected"
FILE_REFUSED_AFTER_SUBMISSION = "file_refused_after_submission"
FLAG_LABELS = {
    SAME_NOMINEE: "同一人通过两个渠道被推荐",
    SHARED_FILE: "材料与其他申报重复（可能弄虚作假）",
    PAST_HONOUREE: "可能为往届获奖者（单位部分相同）",
    SEAL_NOT_DETECTED: "报名表未识别出公章（申请人确认已盖章，材料审核时请核对）",
    FILE_REFUSED_AFTER_SUBMISSION: "提交后材料检查未通过（已邮件通知申请人更换）",
}


# A file shared by a hundred nominations names the first of them; the group's size is said in full.
SHOWN_PER_GROUP = 12


@dataclass(frozen=True)
class Flag:
    nomination_id: str
    kind: str
    detail: Mapping
    created_at: datetime


@dataclass
class FlagGroup:
    kind: str
    nomination_ids: list[str]
    reasons: list[str] = field(default_factory=list)
    latest_at: datetime | None = None

    @property
    def label(self) -> str:
        return FLAG_LABELS.get(self.kind, self.kind)

    def shown(self, first: str | None = None, limit: int = SHOWN_PER_GROUP) -> list[str]:
        """The nominations to name (`first` leading, when it is in the group); a long group is cut short."""
        ordered = [first] if first in self.nomination_ids else []
        return (ordered + [nid for nid in self.nomination_ids if nid != first])[:limit]


def linked_nominations(flag: Flag) -> set[str]:
    """The nominations a flag names besides its own."""
    if flag.kind == SAME_NOMINEE:
        return {flag.detail["other_nomination_id"]} if flag.detail.get("other_nomination_id") else set()
    if flag.kind == SHARED_FILE:
        return {d["nomination_id"] for d in flag.detail.get("duplicates") or [] if d.get("nomination_id")}
    return set()


def group_flags(flags: Iterable[Flag]) -> list[FlagGroup]:
    """The groups, newest first; the nominations of a group in the order their flags came."""
    flags = list(flags)
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for flag in flags:
        for other in linked_nominations(flag):
            parent[root((flag.kind, other))] = root((flag.kind, flag.nomination_id))
    groups: dict[tuple[str, str], FlagGroup] = {}
    for flag in sorted(flags, key=lambda f: f.created_at):
        group = groups.setdefault(root((flag.kind, flag.nomination_id)), FlagGroup(flag.kind, []))
        for nomination_id in (flag.nomination_id, *sorted(linked_nominations(flag))):
            if nomination_id not in group.nomination_ids:
                group.nomination_ids.append(nomination_id)
        reason = flag.detail.get("reason")
        if reason and reason not in group.reasons:
            group.reasons.append(str(reason))
        group.latest_at = flag.created_at
    return sorted(groups.values(), key=lambda g: g.latest_at, reverse=True)


@dataclass(frozen=True)
class FileMatch:
    """Another nomination's file that one of this nomination's files repeats (tester's A-1)."""

    other_reference: str
    other_kind_name: str
    identical: bool
    distance: int = 0
    other_state_name: str = ""


def file_match_text(match: FileMatch) -> str:
    """`与 2022-00001 的一寸免冠照完全相同`, `与 2022-00003（草稿）的证书相似（差异 4/64）`."""
    other = f"{match.other_reference}（{match.other_state_name}）" if match.other_state_name else f"{match.other_reference} "
    how = "完全相同" if match.identical else f"相似（差异 {match.distance}/64）"
    return f"与 {other}的{match.other_kind_name}{how}"
