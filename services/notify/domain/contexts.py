"""The placeholders of each event message, built from the event and the recipient (one builder a message).

Every value is JSON (str, int, bool, lists of str), so a planned message can be stored and rendered again.
Labels follow the recipient's language; the reasons people wrote stay as they wrote them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from services.notify.domain import labels
from services.notify.domain.model import NominationInfo, Recipient, common_context


@dataclass(frozen=True)
class Occasion:
    """One message's inputs: the event, the part of it about this nomination, and who hears."""

    event_type: str
    payload: Mapping
    entry: Mapping  # the payload itself, or one entry of a list event (a candidate, an honouree)
    nomination: NominationInfo
    recipient: Recipient

    @property
    def lang(self) -> str:
        return self.recipient.language


def _about_nominee(o: Occasion) -> dict[str, Any]:
    """The common placeholders and the nominee's name, and the nomination's reference (申报编号)."""
    return {**_nominee_only(o),
            "reference": o.payload.get("reference") or o.entry.get("reference") or o.nomination.reference}


def _nominee_only(o: Occasion) -> dict[str, Any]:
    """Without the reference: an objector, who knows the candidate from the public notice, has no use for it."""
    return {**common_context(o.nomination.campaign, o.recipient), "nominee_name": o.nomination.nominee_name}


def submission_received(o: Occasion) -> dict[str, Any]:
    return {
        **_about_nominee(o),
        "domain": o.nomination.domain,
        "channel_label": labels.channel_label(o.payload.get("channel", ""), o.lang, o.payload.get("nominee_kind", "")),
        "status_url": o.nomination.status_url,
        "submitted_at_local": labels.beijing_time(o.payload.get("submitted_at"), o.lang),
    }


def resubmission_received(o: Occasion) -> dict[str, Any]:
    files_by_id = {file["file_id"]: file for file in o.payload.get("files") or []}
    changed = [labels.field_label(name, o.lang) for name in o.payload.get("changed_fields") or []]
    changed += [_changed_file_label(ref, files_by_id, o.lang) for ref in o.payload.get("changed_files") or []]
    return {
        **_about_nominee(o),
        "version": int(o.payload.get("version") or 1),
        "changed": changed,
        "status_url": o.nomination.status_url,
        "submitted_at_local": labels.beijing_time(o.payload.get("submitted_at"), o.lang),
    }


def _changed_file_label(ref: str, files_by_id: Mapping[str, Mapping], lang: str) -> str:
    file = files_by_id.get(ref)
    if file is None:
        return labels.file_label(ref, lang)
    kind = labels.file_label(file["kind"], lang)
    return f"{kind}（{file['filename']}）" if file.get("filename") else kind


def withdrawn(o: Occasion) -> dict[str, Any]:
    return {**_about_nominee(o), "reason": o.payload.get("reason") or ""}


SEAL_MISSING = "seal_missing"


def file_needs_action(file: Mapping) -> bool:
    """A file its scan refused or flagged, unless the only flag is the missing seal and the applicant has
    already confirmed at submission that the form is sealed (the secretariat checks it in the material check)."""
    if file.get("verdict") == "refused":
        return True
    if file.get("verdict") != "flagged":
        return False
    confirmed = file.get("seal_confirmed_by_applicant") and set(_codes(file)) <= {SEAL_MISSING}
    return not confirmed


def _codes(file: Mapping) -> list[str]:
    return [str(code) for code in file.get("codes") or (file.get("findings") or {}).get("codes") or []]


def scan_needs_action(o: Occasion) -> dict[str, Any]:
    """One scanned file (upload.scanned), or the files of a submission that need action. `submitted`: the
    nomination is submitted already (no box left to tick at submission: the file is replaced, or left as it is)."""
    submission = "files" in o.payload
    files = [f for f in o.payload.get("files") or [] if file_needs_action(f)] if submission else [o.payload]
    return {
        **_about_nominee(o),
        "file_label": "、".join(labels.file_label(f.get("kind", ""), o.lang) for f in files),
        "filename": "、".join(f.get("filename") or "" for f in files if f.get("filename")),
        "verdict": "refused" if any(f.get("verdict") == "refused" for f in files) else "flagged",
        "reasons": [reason for f in files for reason in f.get("reasons") or []],
        "codes": [code for f in files for code in _codes(f)],
        "replace_until": o.payload.get("replace_until") or "",
        "submitted": submission or bool(o.payload.get("replace_until")),
        "status_url": o.nomination.status_url,
    }


def returned_for_correction(o: Occasion) -> dict[str, Any]:
    return {
        **_about_nominee(o),
        "reason": o.payload.get("reason") or "",
        "fields": [labels.field_label(name, o.lang) for name in fields_to_correct(o.payload)],
        "files": [labels.file_label(ref, o.lang) for ref in o.payload.get("files") or []],
        "deadline_local": labels.beijing_time(o.payload.get("correction_deadline"), o.lang),
        "status_url": o.nomination.status_url,
    }


def fields_to_correct(payload: Mapping) -> list[str]:
    """The returned fields, as sent (`fields`) or as the Marshmallow schema loads them (`fields_to_correct`)."""
    return list(payload.get("fields") or payload.get("fields_to_correct") or [])


def stage_result(o: Occasion) -> dict[str, Any]:
    return {**_about_nominee(o), "domain": o.nomination.domain, "status_url": o.nomination.status_url}


def selected_for_public_notice(o: Occasion) -> dict[str, Any]:
    return {
        **_about_nominee(o),
        "domain": o.entry.get("domain") or o.nomination.domain,
        "rank": int(o.entry.get("rank") or 0),
        "notice_url": o.payload.get("notice_url") or "",
        "opens_at_local": labels.beijing_time(o.payload.get("opens_at"), o.lang),
        "closes_at_local": labels.beijing_time(o.payload.get("closes_at"), o.lang),
    }


def objection_received(o: Occasion) -> dict[str, Any]:
    return {**_nominee_only(o), "objection_id": o.payload["objection_id"], "summary": o.payload.get("summary") or ""}


def objection_outcome(o: Occasion) -> dict[str, Any]:
    is_objector = o.recipient.kind == "objector"
    return {
        **_nominee_only(o),
        "objection_id": o.payload["objection_id"],
        "is_objector": is_objector,
        "outcome": o.payload["outcome"],
        "outcome_label": labels.outcome_label(o.payload["outcome"], o.lang),
        "reason": o.payload.get("reason") or "",
        # The nominee is told the outcome, not what the objector wrote.
        "summary": (o.payload.get("summary") or "") if is_objector else "",
    }


def disqualified(o: Occasion) -> dict[str, Any]:
    return {
        **_about_nominee(o),
        "stage_label": labels.stage_label(o.payload.get("stage", ""), o.lang),
        "rule_label": labels.rule_label(o.payload.get("rule", ""), o.lang),
        "reason": o.payload.get("reason") or "",
        "status_url": o.nomination.status_url,
    }


def honouree_announced(o: Occasion) -> dict[str, Any]:
    return {**_about_nominee(o), "domain": o.entry.get("domain") or o.nomination.domain}


_UPDATE_BY_EVENT = {
    "nomination.submitted": "submitted",
    "nomination.resubmitted": "resubmitted",
    "nomination.withdrawn": "withdrawn",
    "nomination.returned": "returned",
    "nomination.disqualified": "disqualified",
    "candidates.published": "selected_for_public_notice",
    "honourees.confirmed": "honouree",
}
_UPDATES_WITH_REASON = {"withdrawn", "returned", "disqualified"}


def recommender_update(o: Occasion) -> dict[str, Any]:
    update = o.payload["to_stage"] if o.event_type == "nomination.advanced" else _UPDATE_BY_EVENT[o.event_type]
    return {
        **_about_nominee(o),
        "domain": o.nomination.domain,
        "update": update,
        "reason": (o.payload.get("reason") or "") if update in _UPDATES_WITH_REASON else "",
        "deadline_local": labels.beijing_time(o.payload.get("correction_deadline"), o.lang),
        "notice_url": o.payload.get("notice_url") or "",
    }


CONTEXT_BUILDERS: dict[str, Callable[[Occasion], dict[str, Any]]] = {
    "submission_received": submission_received,
    "resubmission_received": resubmission_received,
    "withdrawn": withdrawn,
    "scan_needs_action": scan_needs_action,
    "returned_for_correction": returned_for_correction,
    "shortlisted": stage_result,
    "not_shortlisted": stage_result,
    "selected_for_public_notice": selected_for_public_notice,
    "objection_received": objection_received,
    "objection_outcome": objection_outcome,
    "disqualified": disqualified,
    "honouree_announced": honouree_announced,
    "recommender_update": recommender_update,
}
