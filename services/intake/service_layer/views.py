"""What the applicant's pages and the API show of one nomination, read in one go."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import sqlalchemy as sa

from services.intake.adapters.orm import uploads
from services.intake.bootstrap import Intake
from services.intake.domain.deadlines import format_local
from services.intake.domain.flagged_files import NEEDS_REPLACING, SENT_STATES, may_replace_flagged, replaceable_until
from services.intake.domain.nomination import REVIEW_STAGE_NAMES, can_edit, NominationState, state_name
from services.intake.domain.upload_rules import allowed_uploads, upload_problems
from services.intake.domain.contact import is_verified
from services.intake.domain.quotas import NotBranchMember, check_branch_member
from services.intake.domain.submission import SEAL_MISSING
from services.intake.service_layer.contacts import contact_email
from services.intake.service_layer.nominations import form_of, form_problems
from services.intake.service_layer.view_rows import ViewRows, read_view_rows
from services.intake.service_layer.snapshots import nominee_name, reference_of
from shared.campaign.parts import ONE_SECOND
from shared.db import reading
from shared.scans.findings import reason_messages

PARTS = {
    "basic": ("基本信息", ("person", "team", "domain", "contact")),
    "deeds": ("事迹材料与媒体表彰", ("deeds", "media_honours")),
}
SHORT_UPLOAD_NAMES = {"photo": "照片", "sealed_form": "盖章报名表", "certificate": "荣誉证书"}
VERDICT_NAMES = {"ok": "检查通过", "flagged": "需要注意", "refused": "未通过", None: "检查中"}


def part_state(part: str, data: dict, problems: list[tuple[str, str]]) -> str:
    roots = PARTS[part][1]
    started = any(data.get(root) not in (None, "", [], {}) for root in roots)
    if not started:
        return "not_started"
    if any(path.split(".")[0] in roots for path, _ in problems):
        return "in_progress"
    return "completed"


@dataclass
class FileView:
    id: str
    kind: str
    kind_name: str
    filename: str
    size: int
    status: str
    verdict: str | None
    verdict_name: str
    reasons: list  # Messages (shared.scans.findings.reason_messages)
    has_preview: bool
    codes: list[str] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return self.verdict is None

    @property
    def seal_not_detected(self) -> bool:
        return SEAL_MISSING in self.codes


@dataclass
class NominationView:
    id: str
    reference: str
    state: str
    state_name: str
    channel: str
    channel_name: str
    nominee_kind: str
    nominee_name: str
    data: dict
    files: list[FileView]
    problems: list[tuple[str, str]]
    upload_problems: list[str]
    rule_problems: list  # the campaign's rules the form breaks, said before the last press (a branch's unit)
    parts: dict[str, str]
    version: int
    versions: list[dict] = field(default_factory=list)
    submitted_at: str | None = None
    correction_deadline: str | None = None
    open_fields: list[str] = field(default_factory=list)
    open_files: list[str] = field(default_factory=list)
    return_reason: str | None = None
    recommender: str | None = None
    editable: bool = False
    usual_scan_seconds: int | None = None
    contact_email: str | None = None
    contact_verified: bool = False
    channel_title: str = ""
    files_title: str = ""
    replaceable_kinds: list[str] = field(default_factory=list)
    replace_until: str | None = None
    review_stage: str | None = None  # where review's decisions took it (nomination.advanced)
    review_stage_at: str | None = None
    changed_from: dict[str, str] = field(default_factory=dict)  # a correction's fields: the value as sent (修改前)

    @property
    def review_stage_name(self) -> str | None:
        return REVIEW_STAGE_NAMES.get(self.review_stage) if self.review_stage else None

    @property
    def ready(self) -> bool:
        return not self.problems and not self.upload_problems and not self.rule_problems

    def may_edit(self, path: str) -> bool:
        """A draft's every field; a returned nomination's fields the review opened (and below them)."""
        return can_edit(self.state, path, self.open_fields)

    def may_edit_any(self, paths) -> bool:
        """Whether any of `paths`, or a field below one of them, may change (a row's 修改 link)."""
        return any(self.may_edit(path) or (self.state == NominationState.RETURNED and any(
            opened.startswith(f"{path}.") for opened in self.open_fields)) for path in paths)

    @property
    def is_draft(self) -> bool:
        return self.state == NominationState.DRAFT

    @property
    def scans_pending(self) -> list[FileView]:
        return [f for f in self.files if f.pending]

    @property
    def scans_refused(self) -> list[FileView]:
        return [f for f in self.files if f.verdict == "refused"]

    @property
    def seal_not_detected(self) -> bool:
        return any(f.seal_not_detected for f in self.files)


def nomination_view(intake: Intake, nomination_id: str) -> NominationView:
    """One nomination as the applicant's pages and the API show it: two queries (view_rows.py)."""
    with reading(intake.sessions) as session:
        rows = read_view_rows(session, intake, nomination_id)
    return view_of(intake, rows)


def view_of(intake: Intake, rows: ViewRows) -> NominationView:
    """The view of the rows read_view_rows read (in the caller's session)."""
    campaign, row, files, versions = intake.campaign, rows.row, rows.files, rows.versions
    zone = campaign.time_zone
    names = {u.kind: u.name for u in allowed_uploads(campaign, row.nominee_kind)}
    problems = form_problems(intake, form_of(row))
    missing = upload_problems(campaign, row.channel, [f.kind for f in files], nominee_kind=row.nominee_kind)
    parts = _parts(row.data, problems, files, missing)
    replaceable = [] if row.review_stage else _replaceable(intake, row.state, files, rows.closed)
    email = contact_email(row.data)
    return NominationView(
        id=row.id, reference=reference_of(campaign, row), state=row.state, state_name=state_name(row.state, row.version),
        channel=row.channel, channel_name=campaign.channel(row.channel).name, nominee_kind=row.nominee_kind,
        nominee_name=nominee_name(row.data), data=row.data,
        files=[_file_view(f, names) for f in files], problems=problems, upload_problems=missing, parts=parts,
        version=row.version, versions=[{"version": v.version, "at": format_local(v.created_at, zone)} for v in versions],
        submitted_at=format_local(row.submitted_at, zone) if row.submitted_at else None,
        correction_deadline=format_local(row.correction_deadline, zone) if row.correction_deadline else None,
        open_fields=list(row.open_fields or []), open_files=list(row.open_files or []),
        return_reason=row.return_reason, recommender=rows.organisation.name if rows.organisation else None,
        rule_problems=_branch_problems(campaign.channel(row.channel), row, rows.organisation),
        editable=row.state in (NominationState.DRAFT, NominationState.RETURNED),
        usual_scan_seconds=usual_scan_seconds(intake) if any(f.verdict is None for f in files) else None,
        channel_title=channel_title(campaign, row.channel, row.nominee_kind),
        replaceable_kinds=sorted({f.kind for f in replaceable}), replace_until=_replace_until(intake, replaceable),
        files_title="、".join(SHORT_UPLOAD_NAMES.get(u.kind, u.name)
                              for u in allowed_uploads(campaign, row.nominee_kind) if u.min_count),
        contact_email=email, contact_verified=is_verified(email, row.contact_verified_email),
        changed_from=rows.changed_from, review_stage=row.review_stage,
        review_stage_at=format_local(row.review_stage_at, zone) if row.review_stage_at else None,
    )


def _parts(data: dict, problems: list, files: list, missing: list) -> dict[str, str]:
    parts = {part: part_state(part, data, problems) for part in PARTS}
    parts["files"] = "completed" if not missing else ("in_progress" if files else "not_started")
    return parts


def _branch_problems(channel, row, organisation) -> list:
    """R2d said on the check page: a branch's nominee whose unit is not one of its committee member units."""
    unit = (row.data.get("person") or row.data.get("team") or {}).get("unit")
    editable = row.state in (NominationState.DRAFT, NominationState.RETURNED)
    if not (channel.nominees_from_member_units and organisation is not None and unit and editable):
        return []
    try:
        check_branch_member(organisation.member_units or [], unit)
    except NotBranchMember as refused:
        return [refused.refusal]
    return []


def _replaceable(intake: Intake, state: str, files, closed: bool) -> list:
    """The flagged or refused files a sent nomination may still replace (until the material check, or a
    while after a verdict that came late); `closed`: the close of submissions was announced."""
    if state not in SENT_STATES:
        return []
    now = intake.clock()
    return [f for f in files if f.verdict in NEEDS_REPLACING
            and may_replace_flagged(intake.campaign, now, f.scanned_at, closed_by_announcement=closed)]


def _replace_until(intake: Intake, replaceable: list) -> str | None:
    if not replaceable:
        return None
    until = max(replaceable_until(intake.campaign, f.scanned_at) for f in replaceable) - ONE_SECOND
    return format_local(until, intake.campaign.time_zone)


def channel_title(campaign, channel: str, nominee_kind: str) -> str:
    """The channel as the nomination is put forward (团队自荐 for a team nominating itself)."""
    return campaign.channel(channel).name_for(nominee_kind)


USUAL_SCAN_MAX_AGE = 15.0  # seconds


def usual_scan_seconds(intake: Intake) -> int | None:
    """The median time from upload to scan result over the last 200 scans, in whole seconds (at least 1),
    read at most every USUAL_SCAN_MAX_AGE seconds per process: every poll of a page with a file being
    checked shows it, and the query sorts the uploads by their scan time."""
    now = time.monotonic()
    read_at, value = intake.recent_figures.get("usual_scan_seconds", (None, None))
    if read_at is None or now - read_at > USUAL_SCAN_MAX_AGE:
        value = _usual_scan_seconds(intake)
        intake.recent_figures["usual_scan_seconds"] = (now, value)
    return value


def _usual_scan_seconds(intake: Intake) -> int | None:
    recent = (sa.select((sa.extract("epoch", uploads.c.scanned_at) - sa.extract("epoch", uploads.c.created_at))
                        .label("seconds"))
              .where(uploads.c.scanned_at.is_not(None)).order_by(uploads.c.scanned_at.desc()).limit(200).subquery())
    with reading(intake.sessions) as session:
        median = session.execute(sa.select(sa.func.percentile_cont(0.5).within_group(recent.c.seconds))).scalar()
    return None if median is None else max(1, round(median))


def _file_view(upload, names: dict) -> FileView:
    findings = upload.findings or {}
    return FileView(
        id=upload.id, kind=upload.kind, kind_name=names.get(upload.kind, upload.kind), filename=upload.filename,
        size=upload.size, status=upload.status, verdict=upload.verdict, verdict_name=VERDICT_NAMES.get(upload.verdict, ""),
        reasons=reason_messages(findings), has_preview=bool(upload.derivatives),
        codes=list(findings.get("codes", [])),
    )


def file_view_of(intake: Intake, upload, nominee_kind: str) -> FileView:
    """One file's row as the pages and the API show it (the answer to its upload)."""
    return _file_view(upload, {u.kind: u.name for u in allowed_uploads(intake.campaign, nominee_kind)})
