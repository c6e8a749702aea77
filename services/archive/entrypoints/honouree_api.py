"""The honouree import as JSON, for the secretariat's tools: a bearer token of the identity provider (the
`tuiju-tools` client's credentials, or a secretariat user's token), the same two steps as the page:

    POST /api/honourees/preview   the list (multipart `file`, or the body itself as text/csv or .xlsx)
                                  -> every row it would record, every problem by row, and a token
    POST /api/honourees/import    {"token": "..."} -> all rows recorded, or none

A session cookie alone cannot make these changes (no CSRF token is asked of a bearer request)."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from services.archive.adapters.honouree_files import MAX_BYTES, XLSX
from services.archive.service_layer.honouree_imports import ImportRefused, confirm_import, stage_import
from services.archive.service_layer.registry import ImportPreview
from shared.auth import bearer_required_for_changes, staff_required

bp = Blueprint("archive_honouree_api", __name__, url_prefix="/api/honourees")
bearer_required_for_changes(bp)
ROW = re.compile(r"^第 (\d+) 行")
SHOWN_ROWS = 5000


def archive():
    return current_app.extensions["archive"]


def refuse(message: str, code: str, status: int):
    return jsonify(ok=False, error=message, code=code), status


@bp.post("/preview")
@staff_required("secretariat")
def preview():
    data, filename = _uploaded()
    if not data:
        return refuse("请上传 CSV 或 Excel 文件（multipart 字段 file，或以文件为请求体）", "no_file", 400)
    try:
        token, result = stage_import(archive(), data, filename)
    except ImportRefused as refusal:
        return refuse(str(refusal), refusal.code, 400)
    return jsonify(ok=True, **preview_answer(token, result))


@bp.post("/import")
@staff_required("secretariat")
def confirm():
    body = request.get_json(silent=True)
    token = body.get("token") if isinstance(body, dict) else None
    if not isinstance(token, str):
        return refuse("请求体应为 {\"token\": \"…\"}（预览时返回的 token）", "bad_token", 400)
    try:
        count = confirm_import(archive(), token)
    except ImportRefused as refusal:
        return refuse(str(refusal), refusal.code, 410 if refusal.code == "preview_expired" else 400)
    return jsonify(ok=True, imported=count)


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
