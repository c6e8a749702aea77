"""A nomination's dossier: everything the record keeps of it, in one package with a manifest of SHA-256s.

    form/final.json        the final form data (the last submitted version)
    versions/vN.json       every submitted version
    files/<kind>-<id>-<name>  a copy of every file, checked against the hash recorded at submission
    review/decisions.json  every review decision with its scores and reasons (returned, advanced,
                           disqualified, candidates, honourees)
    audit/events.jsonl     the audit trail: every event of the nomination, in the order it happened
    messages/sent.json     every message sent about it (delivered or failed)
    manifest.json          what the package holds, each entry's SHA-256 and size, and each file's check
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from services.archive.domain.nominations import with_file_replaced

DECISION_TYPES = ("nomination.returned", "nomination.advanced", "nomination.disqualified", "candidates.published",
                  "honourees.confirmed", "objection.filed", "objection.resolved")
MESSAGE_TYPES = ("message.delivered", "message.failed")
SNAPSHOT_TYPES = ("nomination.submitted", "nomination.resubmitted")


FORMAT = "tuiju-dossier/1"


@dataclass
class Dossier:
    nomination_id: str
    reason: str
    entries: dict[str, bytes] = field(default_factory=dict)
    file_checks: list[dict] = field(default_factory=list)
    format: str = FORMAT

    def add_json(self, path: str, value) -> None:
        self.entries[path] = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()

    def add_file(self, ref: dict, data: bytes | None, folder: str = "files") -> None:
        actual = hashlib.sha256(data).hexdigest() if data is not None else None
        self.file_checks.append({"file_id": ref["file_id"], "kind": ref["kind"], "filename": ref.get("filename"),
                                 "sha256_recorded": ref["sha256"], "sha256_copied": actual,
                                 "matches": actual == ref["sha256"]})
        if data is not None:
            self.entries[f"{folder}/{ref['kind']}-{ref['file_id']}-{safe_name(ref.get('filename') or 'file')}"] = data

    def manifest(self, generated_at: str) -> dict:
        return {"format": self.format, "nomination_id": self.nomination_id, "reason": self.reason,
                "generated_at": generated_at, "files": self.file_checks,
                "entries": [{"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                            for path, data in sorted(self.entries.items())]}


def dossier_of(nomination_id: str, reason: str, envelopes: list[dict]) -> Dossier:
    """Everything but the file copies, from the nomination's events (oldest first)."""
    dossier = Dossier(nomination_id, reason)
    snapshots = sorted((e["payload"] for e in envelopes if e["type"] in SNAPSHOT_TYPES), key=lambda s: s["version"])
    if snapshots:
        dossier.add_json("form/final.json", snapshots[-1])
    for snapshot in snapshots:
        dossier.add_json(f"versions/v{snapshot['version']}.json", snapshot)
    dossier.add_json("review/decisions.json", [_decision(e, nomination_id) for e in envelopes if e["type"] in DECISION_TYPES])
    dossier.add_json("messages/sent.json", [e["payload"] | {"type": e["type"], "occurred_at": e["occurred_at"]}
                                            for e in envelopes if e["type"] in MESSAGE_TYPES])
    dossier.entries["audit/events.jsonl"] = b"".join(
        json.dumps(e, ensure_ascii=False, sort_keys=True).encode() + b"\n" for e in envelopes)
    return dossier


def final_files(envelopes: list[dict]) -> list[dict]:
    """The files of the last submitted version (envelopes oldest first), each file the applicant replaced
    after it (a flagged file, before the material check: `nomination.file_replaced`) swapped for the new one."""
    files, version = [], 0
    for envelope in envelopes:
        payload = envelope["payload"]
        if envelope["type"] in SNAPSHOT_TYPES and payload["version"] >= version:
            files, version = list(payload["files"]), payload["version"]
        elif envelope["type"] == "nomination.file_replaced":
            files = with_file_replaced(files, payload)
    return files


def _decision(envelope: dict, nomination_id: str) -> dict:
    payload = envelope["payload"]
    for listed in ("candidates", "honourees"):  # a campaign-wide list: only this nomination's entry
        if listed in payload:
            payload = {**payload, listed: [x for x in payload[listed] if x.get("nomination_id") == nomination_id]}
    return {"type": envelope["type"], "occurred_at": envelope["occurred_at"], "producer": envelope["producer"],
            "payload": payload}


def safe_name(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name)[-100:] or "file"
