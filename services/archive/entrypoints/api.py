"""The archive's JSON and file APIs for staff (session or bearer token): every answer holds nominees' data,
so every one needs a staff role. Downloads stream; refusals are JSON {"ok": false, "error", "code"}."""
from __future__ import annotations

import re
import tempfile

from flask import Blueprint, Response, current_app, jsonify, request, send_file

from services.archive.bootstrap import Archive
from services.archive.service_layer import reports
from services.archive.service_layer.dossiers import DossierUnavailable, open_dossier
from services.archive.service_layer.handlers import events_for_key
from services.archive.service_layer.public_records import PublicRecordUnavailable, open_public_record
from services.archive.service_layer.search import Query, search
from shared.auth import staff_required

bp = Blueprint("archive_api", __name__, url_prefix="/api")
READERS = ("secretariat", "auditor")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IDENTIFIER = re.compile(r"^[A-Za-z0-9_.:@-]{1,100}$")


def archive() -> Archive:
    return current_app.extensions["archive"]


def refuse(message: str, code: str, status: int) -> tuple[Response, int]:
    return jsonify(ok=False, error=message, code=code), status


def campaign_id() -> str | None:
    value = request.args.get("campaign") or archive().campaign.id
    return value if IDENTIFIER.match(value) else None


@bp.get("/events/<key>")
@staff_required(*READERS)
def events(key: str):
    if not IDENTIFIER.match(key):
        return refuse("编号格式不正确", "bad_key", 400)
    with archive().sessions() as session:
        return jsonify(ok=True, events=events_for_key(session, key))


@bp.get("/dossiers/<nomination_id>.zip")
@staff_required(*READERS)
def dossier(nomination_id: str):
    return _package(nomination_id, open_dossier, DossierUnavailable, "dossier")


@bp.get("/dossiers/<nomination_id>/public.zip")
@staff_required(*READERS)
def public_record(nomination_id: str):
    """An honouree's public-record part: sealed in clear, it remains after the purge."""
    return _package(nomination_id, open_public_record, PublicRecordUnavailable, "public-record")


def _package(nomination_id: str, opener, unavailable: type[Exception], name: str):
    """A sealed package as a download with its SHA-256, or the reason it cannot be had."""
    if not IDENTIFIER.match(nomination_id):
        return refuse("编号格式不正确", "bad_key", 400)
    try:
        package, digest = opener(archive(), nomination_id)
    except unavailable as reason:
        return refuse(str(reason), f"{name.replace('-', '_')}_unavailable", 404)
    return Response(package, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}-{nomination_id}.zip"', "X-Content-SHA256": digest})


@bp.get("/exports/<which>.xlsx")
@staff_required(*READERS)
def export_list(which: str):
    campaign = campaign_id()
    if which not in reports.LISTS or campaign is None:
        return refuse("没有这种名单", "unknown_list", 404)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    reports.write_list(archive(), campaign, which, out)
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=f"{campaign}-{which}.xlsx")


@bp.get("/statistics")
@staff_required(*READERS)
def statistics():
    campaign = campaign_id()
    if campaign is None:
        return refuse("活动编号格式不正确", "bad_campaign", 400)
    return jsonify(ok=True, campaign_id=campaign, tables=reports.statistics(archive(), campaign))


@bp.get("/statistics.xlsx")
@staff_required(*READERS)
def statistics_workbook():
    campaign = campaign_id()
    if campaign is None:
        return refuse("活动编号格式不正确", "bad_campaign", 400)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    reports.write_statistics_workbook(archive(), campaign, out)
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=f"{campaign}-statistics.xlsx")


@bp.get("/exports/files.zip")
@staff_required("secretariat")
def domain_files():
    campaign, domain = campaign_id(), request.args.get("domain", "")
    if campaign is None or domain not in archive().campaign.domains:
        return refuse("请选择本活动的业务领域", "unknown_domain", 400)
    return Response(reports.domain_files(archive(), campaign, domain), mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{_quoted(campaign + '-' + domain)}.zip"})


@bp.get("/search")
@staff_required(*READERS)
def search_api():
    query = Query.from_args(request.args)
    if query.empty:
        return refuse("请至少填写一个查询条件", "empty_query", 400)
    return jsonify(ok=True, results=search(archive(), query))


def _quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text)
