"""What changed between two submitted versions of a nomination: each form field that differs (with its
label and both values) and each kind of upload whose files were replaced."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.campaign import Campaign
from shared.campaign.form_fields import field_label, returnable_fields


@dataclass(frozen=True)
class Change:
    path: str
    label: str
    before: object
    after: object


def value_at(snapshot: Mapping, path: str) -> object:
    value: object = snapshot
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def field_changes(before: Mapping, after: Mapping) -> list[Change]:
    """The form fields whose values differ, in the form's order."""
    kind = after.get("nominee_kind") or before.get("nominee_kind") or "person"
    return [Change(path, label, value_at(before, path), value_at(after, path))
            for path, label in returnable_fields(kind).items()
            if value_at(before, path) != value_at(after, path)]


def file_changes(before: Mapping, after: Mapping, campaign: Campaign) -> list[Change]:
    """The upload kinds whose set of files (by content hash) differs, with the file names before and after."""
    changes = []
    for upload in campaign.uploads:
        old, new = _files_of(before, upload.kind), _files_of(after, upload.kind)
        if {f.get("sha256") for f in old} != {f.get("sha256") for f in new}:
            changes.append(Change(upload.kind, upload.name, [f.get("filename") for f in old],
                                  [f.get("filename") for f in new]))
    return changes


def _files_of(snapshot: Mapping, kind: str) -> list[Mapping]:
    return [f for f in snapshot.get("files") or [] if f.get("kind") == kind]


def changed_paths(before: Mapping, after: Mapping) -> list[str]:
    return [change.path for change in field_changes(before, after)]


def label_of(path: str) -> str:
    return field_label(path)


# What makes a nomination flagged in every list: the same certificate in another nomination (R11's fraud
# signal), a sealed form without a detected seal (R2c, R13), or a file its scan refused after the
# nomination was submitted (on the last evening submissions do not wait for the scans; the applicant is
# asked to replace it).
DUPLICATE_CERTIFICATE, NO_SEAL, FILE_REFUSED = "duplicate_certificate", "no_seal", "file_refused"
FLAG_NAMES = {DUPLICATE_CERTIFICATE: "材料与其他推荐重复", NO_SEAL: "报名表未检出公章",
              FILE_REFUSED: "材料检查未通过（待申请人更换）"}


def scan_flag(kind: str, findings: Mapping, duplicates: list) -> str | None:
    if isinstance(findings, Mapping) and findings.get("verdict") == "refused":
        return FILE_REFUSED
    if duplicates:
        return DUPLICATE_CERTIFICATE
    seal = findings.get("seal") if isinstance(findings, Mapping) else None
    codes = findings.get("codes", []) if isinstance(findings, Mapping) else []
    if kind == "sealed_form" and ("seal_missing" in codes or (isinstance(seal, Mapping) and seal.get("found") is False)):
        return NO_SEAL
    return None


def file_match_text(other_reference: str, other_kind_name: str, match: str, distance: int) -> str:
    """Which other nomination's file this one repeats, as intake's secretariat reads it (tester's A-1):
    `与 2022-00001 的一寸免冠照完全相同`, `与一份未提交的申报的证书相似（差异 4/64）`. The code of the flag stays
    `duplicate_certificate` (stored, in URLs) although photos and forms can repeat too."""
    other = f"与 {other_reference} 的" if other_reference else "与一份未提交的申报的"
    how = "完全相同" if match == "identical" else f"相似（差异 {int(distance)}/64）"
    return f"{other}{other_kind_name}{how}"
