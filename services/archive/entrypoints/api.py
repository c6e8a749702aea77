"""The archive's JSON and file APIs for staff (session or bearer token): every answer holds nominees' data,
so every one needs a staff role. Downloads stream; refusals are JSON {"ok": false, "error", "code", "errors"}.
OpenAPI 3 at /api/v1/openapi.json (flask-smorest, from the schemas of api_schemas.py); the paths stay under
/api/ where the pages and tools have always found them."""
from __future__ import annotations

import tempfile
from urllib.parse import quote

from flask import Response, current_app, send_file
from flask_smorest import Blueprint

from services.archive.bootstrap import Archive
from services.archive.entrypoints.api_schemas import (
    IDENTIFIER, XLSX, CampaignArgs, DomainFilesArgs, EventsOut, SearchArgs, SearchOut, StatisticsOut, binary,
)
from services.archive.service_layer import reports
from services.archive.service_layer.dossiers import DossierUnavailable, open_dossier
from services.archive.service_layer.handlers import events_for_key
from services.archive.service_layer.public_records import PublicRecordUnavailable, open_public_record
from services.archive.service_layer.search import Query, search
from shared.api import refusals as document_refusals, refused
from shared.auth import staff_required
from shared.db import reading

bp = Blueprint("archive_api", __name__, url_prefix="/api",
               description="档案 / archive: event record, dossiers, lists, statistics, search (staff only)")
READERS = ("secretariat", "auditor")
REFUSALS = {400: "请求有误（说明见 error 与 code）", 401: "未登录或令牌无效", 403: "没有查看的权限（需 secretariat 或 auditor）",
            404: "没有这一项", 422: "参数不符合要求（逐项见 errors）"}


def archive() -> Archive:
    return current_app.extensions["archive"]


def refusals(*statuses: int):
    return document_refusals(bp, REFUSALS, *statuses)


def file_answer(media_type: str, description: str):
    return bp.doc(responses={200: binary(media_type, description)})


def campaign_of(args: dict) -> str:
    return args.get("campaign") or archive().campaign.id


@bp.route("/events/<key>", methods=["GET"])
@staff_required(*READERS)
@bp.response(200, EventsOut)
@refusals(400, 401, 403)
def events(key: str):
    """Every event recorded under one key: a nomination's id, a campaign's, or a staff member's subject (sign-ins)."""
    if not IDENTIFIER.match(key):
        return refused("编号格式不正确", "bad_key", 400)
    with reading(archive().sessions) as session:
        return {"ok": True, "events": events_for_key(session, key)}


@bp.route("/dossiers/<nomination_id>.zip", methods=["GET"])
@staff_required(*READERS)
@file_answer("application/zip", "完整档案（ZIP；X-Content-SHA256 为其 SHA-256）")
@refusals(400, 401, 403, 404)
def dossier(nomination_id: str):
    """A nomination's sealed dossier (form, versions, files, decisions, events, messages), once it is sealed."""
    return _package(nomination_id, open_dossier, DossierUnavailable, "dossier")


@bp.route("/dossiers/<nomination_id>/public.zip", methods=["GET"])
@staff_required(*READERS)
@file_answer("application/zip", "公开档案（ZIP；X-Content-SHA256 为其 SHA-256）")
@refusals(400, 401, 403, 404)
def public_record(nomination_id: str):
    """An honouree's public-record part: sealed in clear, it remains after the purge."""
    return _package(nomination_id, open_public_record, PublicRecordUnavailable, "public-record")


def _package(nomination_id: str, opener, unavailable: type[Exception], name: str):
    """A sealed package as a download with its SHA-256, or the reason it cannot be had."""
    if not IDENTIFIER.match(nomination_id):
        return refused("编号格式不正确", "bad_key", 400)
    try:
        package, digest = opener(archive(), nomination_id)
    except unavailable as reason:
        return refused(str(reason), f"{name.replace('-', '_')}_unavailable", 404)
    return Response(package, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}-{nomination_id}.zip"', "X-Content-SHA256": digest})


@bp.route("/exports/<which>.xlsx", methods=["GET"])
@staff_required(*READERS)
@bp.arguments(CampaignArgs, location="query")
@file_answer(XLSX, "名单（Excel：汇总表与每个业务领域一张表）")
@refusals(401, 403, 404)
def export_list(args: dict, which: str):
    """A list as Excel: `candidates` (候选人名单), `honourees` (获评名单) or `nominations` (全部申报名单)."""
    if which not in reports.LISTS:
        return refused("没有这种名单（candidates、honourees 或 nominations）", "unknown_list", 404)
    campaign = campaign_of(args)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    reports.write_list(archive(), campaign, which, out)
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=f"{campaign}-{which}.xlsx")


@bp.route("/statistics", methods=["GET"])
@staff_required(*READERS)
@bp.arguments(CampaignArgs, location="query")
@bp.response(200, StatisticsOut)
@refusals(401, 403)
def statistics(args: dict):
    """The campaign's counts by domain, province, channel, recommender, stage and objection outcome."""
    campaign = campaign_of(args)
    return {"ok": True, "campaign_id": campaign, "tables": reports.statistics(archive(), campaign)}


@bp.route("/statistics.xlsx", methods=["GET"])
@staff_required(*READERS)
@bp.arguments(CampaignArgs, location="query")
@file_answer(XLSX, "统计（Excel，每张统计表一页）")
@refusals(401, 403)
def statistics_workbook(args: dict):
    """The same statistics as an Excel workbook."""
    campaign = campaign_of(args)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    reports.write_statistics_workbook(archive(), campaign, out)
    out.seek(0)
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=f"{campaign}-statistics.xlsx")


@bp.route("/exports/files.zip", methods=["GET"])
@staff_required("secretariat")
@bp.arguments(DomainFilesArgs, location="query")
@file_answer("application/zip", "该业务领域每份申报的全部文件（ZIP，边生成边下载）")
@refusals(400, 401, 403)
def domain_files(args: dict):
    """Every file of a domain's nominations, one folder per nominee (the secretariat's only)."""
    campaign, domain = campaign_of(args), args["domain"]
    if domain not in archive().campaign.domains:
        return refused("请选择本活动的业务领域", "unknown_domain", 400)
    return Response(reports.domain_files(archive(), campaign, domain), mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(campaign + '-' + domain)}.zip"})


@bp.route("/search", methods=["GET"])
@staff_required(*READERS)
@bp.arguments(SearchArgs, location="query")
@bp.response(200, SearchOut)
@refusals(400, 401, 403)
def search_api(args: dict):
    """Past campaigns' nominations and imported honourees by name, unit, year, domain and outcome (at least one)."""
    query = Query(name=args["name"].strip(), unit=args["unit"].strip(), year=args["year"],
                  domain=args["domain"].strip(), outcome=args["outcome"])
    if query.empty:
        return refused("请至少填写一个查询条件", "empty_query", 400)
    return {"ok": True, "results": search(archive(), query)}
