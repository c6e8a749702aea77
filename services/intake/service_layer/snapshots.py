"""The full snapshot of a nomination that its submitted and resubmitted events carry."""
from __future__ import annotations

import sqlalchemy as sa

from services.intake.adapters.orm import nominations
from services.intake.domain.priority import has_media_priority
from shared.reference_numbers import format_reference


def reference_of(campaign, nomination) -> str:
    """The nomination's short reference (申报编号), as every page, form, event and mail shows it."""
    return format_reference(campaign.year, nomination.reference_number)


def reference_for(session, campaign, nomination_id: str) -> str:
    number = session.execute(sa.select(nominations.c.reference_number)
                             .where(nominations.c.id == nomination_id)).scalar_one()
    return format_reference(campaign.year, number)


def nominee_name(data: dict) -> str:
    if data.get("nominee_kind") == "team":
        return (data.get("team") or {}).get("name", "")
    return (data.get("person") or {}).get("name", "")


def nominee_unit(data: dict) -> str:
    section = data.get("team") if data.get("nominee_kind") == "team" else data.get("person")
    section = section or {}
    return " ".join(part for part in (section.get("unit"), section.get("department")) if part)


def file_ref(upload, seal_confirmed: bool = False) -> dict:
    """The file as events carry it, with its scan's verdict and reasons (a flagged file stays flagged for
    the material check; `seal_confirmed_by_applicant` when no seal was detected and the applicant said
    the form is sealed)."""
    findings = upload.findings or {}
    ref = {
        "file_id": upload.id, "kind": upload.kind, "object_key": upload.object_key, "sha256": upload.sha256,
        "size": upload.size, "content_type": upload.content_type, "filename": upload.filename,
        "verdict": upload.verdict, "reasons": list(findings.get("reasons", [])),
        "codes": list(findings.get("codes", [])),
    }
    if seal_confirmed and "seal_missing" in findings.get("codes", []):
        ref["seal_confirmed_by_applicant"] = True
    return ref


def snapshot(*, nomination_id: str, reference: str, version: int, channel: str, nominee_kind: str, data: dict,
             organisation, campaign, files, status_url: str, submitted_at, seal_confirmed: bool = False) -> dict:
    recommender = None
    if organisation is not None:
        recommender = {"org_id": organisation.id, "name": organisation.name, "type": organisation.type,
                       "email": organisation.email}
    return {
        "nomination_id": nomination_id,
        "reference": reference,
        "campaign_id": campaign.id,
        "campaign_name": campaign.name,
        "is_demo": campaign.is_demo,
        "version": version,
        "channel": channel,
        "recommender": recommender,
        "nominee_kind": nominee_kind,
        "nominee_name": nominee_name(data),
        "person": data.get("person"),
        "team": data.get("team"),
        "domain": data["domain"],
        "deeds": data["deeds"],
        "media_honours": data.get("media_honours", []),
        "media_priority": has_media_priority(data.get("media_honours", [])),
        "contact": data["contact"],
        "status_url": status_url,
        "files": [file_ref(upload, seal_confirmed) for upload in files],
        "submitted_at": submitted_at.isoformat(),
    }


def changed_fields(before: dict, after: dict) -> list[str]:
    """Dotted paths of the form fields whose values differ between two versions."""
    changed = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            changed += [f"{key}.{path}" for path in changed_fields(old, new)]
        elif old != new:
            changed.append(key)
    return changed


FORM_KEYS = ("person", "team", "domain", "deeds", "media_honours", "contact")


def previous_values(previous_snapshot: dict, data: dict) -> dict[str, str]:
    """For each form field a correction changed since the version sent, its value as sent (修改前), as text."""
    before = {key: previous_snapshot.get(key) for key in FORM_KEYS}
    return {path: _as_text(_value_at(before, path)) for path in changed_fields(before, {k: data.get(k) for k in FORM_KEYS})}


def _value_at(data: dict, path: str):
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _as_text(value) -> str:
    if value in (None, "", [], {}):
        return "（空）"
    if isinstance(value, list):
        return "、".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value)
