"""The secretariat's read-only pages of nominations: the list (search, filters and page in the URL), its
Excel export, one nomination as staff see it (never the applicant's private link: staff do not act as
the applicant), and its files. Staff signed in with the secretariat's or the auditor's role reach them."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request

from services.intake.adapters.exports import chunks, export_row, nominations_workbook
from services.intake.domain.deadlines import format_local
from services.intake.domain.flags import FLAG_LABELS
from services.intake.domain.nomination import STATE_NAMES, NominationState
from services.intake.domain.staff_list import (KIND_LABELS, NO_DOMAIN, NO_DOMAIN_LABEL, ORDERS, domain_label,
                                               parse_list_query)
from services.intake.service_layer import staff_views
from shared.auth import protect_blueprint

bp = Blueprint("staff", __name__, url_prefix="/admin/nominations")
# Every page here only reads: the auditors may open them as well as the secretariat.
protect_blueprint(bp, "secretariat", "auditor")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAFE_TO_OPEN = {"image/jpeg", "image/png", "application/pdf"}


def intake():
    return current_app.extensions["intake"]


@bp.app_template_filter("beijing_short")
def beijing_short(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(intake().campaign.time_zone)).strftime("%m-%d %H:%M")


@bp.app_template_filter("domain_label")
def _domain_label(domain: str | None) -> str:
    return domain_label(domain)


@bp.get("")
def nominations_list():
    query = parse_list_query(request.args, intake().campaign)
    found = staff_views.find_nominations(intake(), query)
    organisations = staff_views.organisation_choices(intake())
    return render_template("staff_list.html", query=query, found=found, organisations=organisations,
                           kinds=KIND_LABELS, orders=ORDERS, no_domain=NO_DOMAIN, no_domain_label=NO_DOMAIN_LABEL)


@bp.get("/export.xlsx")
def export():
    campaign = intake().campaign
    query = parse_list_query(request.args, campaign)

    def when(moment):
        return format_local(moment, campaign.time_zone) if moment else ""

    rows = (export_row(campaign, listed, data, version, _state_name(listed.state),
                       "；".join(FLAG_LABELS.get(kind, kind) for kind in kinds), when)
            for listed, data, version, kinds in staff_views.export_nominations(intake(), query))
    workbook = nominations_workbook(rows, "申报")
    stamp = intake().clock().astimezone(ZoneInfo(campaign.time_zone)).strftime("%Y%m%d-%H%M")
    return Response(chunks(workbook), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="nominations-{stamp}.xlsx"'})


@bp.get("/<reference>")
def nomination_detail(reference: str):
    view = staff_views.nomination_for_staff(intake(), reference)
    if view is None:
        abort(404)
    groups, named = staff_views.flag_groups(intake(), view.id)
    return render_template("staff_nomination.html", v=view, groups=groups, named=named, flag_labels=FLAG_LABELS,
                           matches=staff_views.file_matches(intake(), view.id))


@bp.get("/<reference>/files/<upload_id>")
def nomination_file(reference: str, upload_id: str):
    view = staff_views.nomination_for_staff(intake(), reference)
    upload = staff_views.staff_file(intake(), view.id, upload_id) if view else None
    if upload is None:
        abort(404)
    data = intake().store.get_bytes(upload.object_key, max_size=upload.size + 1)
    # A refused file (a disguised program, a bomb) is only ever saved, never shown by the browser.
    shown = upload.verdict in ("ok", "flagged") and upload.content_type in SAFE_TO_OPEN
    disposition = "inline" if shown else "attachment"
    return Response(data, mimetype=upload.content_type if shown else "application/octet-stream", headers={
        "Content-Disposition": f'{disposition}; filename="{view.reference}-{upload.kind}{_extension(upload)}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


def _extension(upload) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}.get(upload.content_type, "")


def _state_name(state: str) -> str:
    return STATE_NAMES.get(NominationState(state), state)
