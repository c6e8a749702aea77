"""Everything the nomination page and its API show: every form field with its label, the files with their
scan findings and previews, every version with what changed, and the history of decisions (with the flagged files
the applicant replaced after submission)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import (file_replacements, nomination_versions, nominations, reviews, scan_findings,
                                          staff)
from services.review.domain.people import StaffMember
from services.review.domain.states import state_name
from services.review.domain.transitions import RULES, Facts
from services.review.domain.versions import FLAG_NAMES, Change, field_changes, file_changes, file_match_text
from services.review.service_layer.decisions import history
from shared.campaign import Campaign
from shared.campaign.form_fields import returnable_fields

PREVIEW_SECONDS = 120


@dataclass(frozen=True)
class FileView:
    file_id: str
    kind: str
    kind_name: str
    filename: str
    verdict: str
    reasons: list
    flag_name: str
    pages: int
    matches: list = field(default_factory=list)  # file_match_text of each other nomination's file it repeats


@dataclass(frozen=True)
class VersionView:
    version: int
    received_at: object
    event_type: str
    changes: list[Change]
    file_changes: list[Change]


@dataclass(frozen=True)
class ReplacementView:
    """A flagged file the applicant replaced after submission, as the history shows it."""

    at: object
    kind: str
    kind_name: str
    replaced_filename: str
    filename: str
    file_id: str
    action: str = "file_replaced"


@dataclass
class NominationPage:
    nomination_id: str
    snapshot: dict
    state: str
    state_name: str
    assignee: str
    fields: list[tuple[str, str, object]]  # (path, label, value)
    files: list[FileView]
    versions: list[VersionView]
    history: list
    actions: list[str] = field(default_factory=list)
    objections: list = field(default_factory=list)  # filed on the public notice (secretariat and auditors)
    replacements: list[ReplacementView] = field(default_factory=list)

    @property
    def timeline(self) -> list:
        """The decisions and the applicant's replacements of flagged files, in time order."""
        return sorted([*self.history, *self.replacements], key=lambda entry: entry.at)


def nomination_page(session: Session, campaign: Campaign, facts: Facts, member: StaffMember) -> NominationPage:
    row = session.execute(sa.select(nominations.c.snapshot).where(nominations.c.nomination_id == facts.nomination_id)).one()
    snapshot = row.snapshot
    assignee = session.execute(sa.select(staff.c.name).select_from(reviews.join(staff, staff.c.subject == reviews.c.assigned_to))
                               .where(reviews.c.nomination_id == facts.nomination_id)).scalar() or ""
    return NominationPage(
        nomination_id=facts.nomination_id, snapshot=snapshot, state=facts.state.value,
        state_name=state_name(facts.state), assignee=assignee,
        fields=[(path, label, _value(snapshot, path)) for path, label in returnable_fields(facts.nominee_kind).items()],
        files=_files(session, campaign, facts.nomination_id, snapshot), versions=_versions(session, campaign, facts.nomination_id),
        history=history(session, facts.nomination_id), replacements=_replacements(session, campaign, facts.nomination_id),
        actions=[action.value for action, rule in RULES.items()
                 if member.role in rule.roles and facts.state in rule.from_states],
        objections=_objections(session, campaign, facts.nomination_id, member))


def _objections(session: Session, campaign: Campaign, nomination_id: str, member: StaffMember) -> list:
    from services.review.service_layer.objections import objections_of

    if member.role.value not in ("secretariat", "auditor"):
        return []
    return objections_of(session, campaign.id, nomination_id=nomination_id)


def _value(snapshot: dict, path: str) -> object:
    value: object = snapshot
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _files(session: Session, campaign: Campaign, nomination_id: str, snapshot: dict) -> list[FileView]:
    found = {row.file_id: row for row in session.execute(sa.select(scan_findings).where(
        scan_findings.c.nomination_id == nomination_id))}
    names = {upload.kind: upload.name for upload in campaign.uploads}
    views = []
    for ref in snapshot.get("files") or []:
        scan = found.get(ref["file_id"])
        views.append(FileView(
            file_id=ref["file_id"], kind=ref["kind"], kind_name=names.get(ref["kind"], ref["kind"]),
            filename=ref.get("filename") or "", verdict=scan.verdict if scan else "pending",
            reasons=list(scan.reasons) if scan else [], flag_name=FLAG_NAMES.get(scan.flag, "") if scan and scan.flag else "",
            pages=int((scan.findings or {}).get("pages") or 1) if scan else 0,
            matches=_matches(session, names, scan.duplicates) if scan and scan.duplicates else []))
    return views


def _matches(session: Session, kind_names: dict, duplicates: list) -> list[str]:
    """Each repeated file said with the other nomination's reference (申报编号) and its file's kind, as far as
    review knows them: a draft in intake never reached review."""
    duplicates = [d for d in duplicates if isinstance(d, dict)][:20]
    file_ids = {str(d.get("file_id")) for d in duplicates}
    nomination_ids = {str(d.get("nomination_id")) for d in duplicates}
    kinds = dict(session.execute(sa.select(scan_findings.c.file_id, scan_findings.c.kind)
                                 .where(scan_findings.c.file_id.in_(file_ids))).all())
    references = dict(session.execute(sa.select(nominations.c.nomination_id, nominations.c.snapshot["reference"].astext)
                                      .where(nominations.c.nomination_id.in_(nomination_ids))).all())
    return [file_match_text(references.get(str(d.get("nomination_id"))) or "",
                            kind_names.get(kinds.get(str(d.get("file_id"))), "材料"),
                            str(d.get("match")), int(d.get("distance") or 0)) for d in duplicates]


def _replacements(session: Session, campaign: Campaign, nomination_id: str) -> list[ReplacementView]:
    names = {upload.kind: upload.name for upload in campaign.uploads}
    rows = session.execute(sa.select(file_replacements).where(file_replacements.c.nomination_id == nomination_id)
                           .order_by(file_replacements.c.at)).all()
    return [ReplacementView(row.at, row.kind, names.get(row.kind, row.kind), row.replaced_filename,
                            row.file.get("filename") or "", row.file.get("file_id") or "") for row in rows]


def _versions(session: Session, campaign: Campaign, nomination_id: str) -> list[VersionView]:
    rows = session.execute(sa.select(nomination_versions).where(nomination_versions.c.nomination_id == nomination_id)
                           .order_by(nomination_versions.c.version)).all()
    views, previous = [], None
    for row in rows:
        changes = field_changes(previous, row.snapshot) if previous else []
        files = file_changes(previous, row.snapshot, campaign) if previous else []
        views.append(VersionView(row.version, row.received_at, row.event_type, changes, files))
        previous = row.snapshot
    return list(reversed(views))


def preview_key(nomination_id: str, file_id: str, page: int) -> str:
    """Where intake's scan worker put a file's preview (originals are never served to reviewers)."""
    name = "preview.jpg" if page <= 1 else f"preview-{page}.jpg"
    return f"derived/{nomination_id}/{file_id}/{name}"


def preview_url(store, nomination_id: str, file_id: str, page: int) -> str:
    return store.presigned_get(preview_key(nomination_id, file_id, page), expires=timedelta(seconds=PREVIEW_SECONDS))


def file_in_current_version(session: Session, nomination_id: str, file_id: str) -> bool:
    snapshot = session.execute(sa.select(nominations.c.snapshot).where(nominations.c.nomination_id == nomination_id)).scalar()
    return any(ref.get("file_id") == file_id for ref in (snapshot or {}).get("files") or [])
