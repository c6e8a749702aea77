"""The honouree import as JSON, for the secretariat's tools: a bearer token of the identity provider (the
`tuiju-tools` client's credentials, or a secretariat user's token), the same two steps as the page:

    POST /api/honourees/preview   the list (multipart `file`, or the body itself as text/csv or .xlsx)
                                  -> every row it would record, every problem by row, and a token
    POST /api/honourees/import    {"token": "..."} -> all rows recorded, or none

A session cookie alone cannot make these changes (no CSRF token is asked of a bearer request). Documented in
the archive's OpenAPI (/api/v1/openapi.json) with the other operations."""
from __future__ import annotations

import re

from flask import current_app, request
from flask_smorest import Blueprint

from services.archive.adapters.honouree_files import MAX_BYTES, XLSX
from services.archive.entrypoints.api_schemas import UPLOAD, ImportedOut, ImportIn, PreviewOut
from services.archive.service_layer.honouree_imports import ImportRefused, confirm_import, stage_import
from services.archive.service_layer.registry import ImportPreview
from shared.api import refusals as document_refusals, refused
from shared.auth import bearer_required_for_changes, staff_required

bp = Blueprint("archive_honouree_api", __name__, url_prefix="/api/honourees",
               description="往届获评者 / honourees: importing earlier campaigns' lists (secretariat, bearer token)")
bearer_required_for_changes(bp)
ROW = re.compile(r"^第 (\d+) 行")
SHOWN_ROWS = 5000
REFUSALS = {400: "文件或请求无法处理（说明见 error 与 code）", 401: "未登录、令牌无效，或未用 Bearer 令牌（bearer_required）",
            403: "没有导入的权限（需 secretariat）", 410: "预览已失效（preview_expired）", 413: "文件超过 6 MB"}


def archive():
    return current_app.extensions["archive"]


def refusals(*statuses: int):
    return document_refusals(bp, REFUSALS, *statuses)


@bp.route("/preview", methods=["POST"])
@staff_required("secretariat")
@bp.doc(requestBody=UPLOAD)
@bp.response(200, PreviewOut)
@refusals(400, 401, 403, 413)
def preview():
    """Reads a list and answers every row it would record and every problem by row; records nothing."""
    data, filename = _uploaded()
    if not data:
        return refused("请上传 CSV 或 Excel 文件（multipart 字段 file，或以文件为请求体）", "no_file", 400)
    try:
        token, result = stage_import(archive(), data, filename)
    except ImportRefused as refusal:
        return refused(str(refusal), refusal.code, 400)
    return {"ok": True, **preview_answer(token, result)}


@bp.route("/import", methods=["POST"])
@staff_required("secretariat")
@bp.doc(requestBody={"required": True, "content": {"application/json": {"schema": ImportIn}}})
@bp.response(200, ImportedOut)
@refusals(400, 401, 403, 410)
def confirm():
    """Records every row of a previewed list with no problem, or none (the token of the preview)."""
    body = request.get_json(silent=True)
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        return refused("请求体应为 {\"token\": \"…\"}（预览时返回的 token）", "bad_token", 400)
    try:
        count = confirm_import(archive(), token)
    except ImportRefused as refusal:
        return refused(str(refusal), refusal.code, 410 if refusal.code == "preview_expired" else 400)
    return {"ok": True, "imported": count}


def preview_answer(token: str | None, result: ImportPreview) -> dict:
    recorded = set(map(id, result.already_recorded))
    return {
        "token": token, "importable": token is not None,
        "counts": {"rows": len(result.check.records), "new": len(result.new_records),
                   "already_recorded": len(result.already_recorded), "problems": len(result.check.problems)},
        "problems": [{"row": int(m.group(1)) if (m := ROW.match(p)) else None, "message": p}
                     for p in result.check.problems],
        "records": [{"kind": r.kind, "name": r.name, "unit": r.unit, "domain": r.domain, "year": r.campaign_year,
                     "campaign_name": r.campaign_name, "phone_recorded": r.phone_hmac is not None,
                     "status": "already_recorded" if id(r) in recorded else "new"}
                    for r in result.check.records[:SHOWN_ROWS]]}


def _uploaded() -> tuple[bytes, str]:
    """The file's bytes (at most one more than the limit, so that the limit is said) and a name for its kind."""
    if (upload := request.files.get("file")) is not None:
        return upload.read(MAX_BYTES + 1), upload.filename or "upload.csv"
    if request.mimetype in (XLSX, "text/csv", "application/csv"):
        return request.get_data()[:MAX_BYTES + 1], "upload.xlsx" if request.mimetype == XLSX else "upload.csv"
    return b"", ""
