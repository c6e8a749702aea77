"""The secretariat's import of earlier campaigns' honouree lists: the template, a preview of every row it
would record (and each problem, by row), then the import of all rows or none. The uploaded file waits in
the archive's bucket between the preview and the confirmation (any web process can confirm it), then goes."""
from __future__ import annotations

import uuid

from flask import Blueprint, Response, current_app, render_template, request
from minio.error import S3Error

from services.archive.adapters.honouree_files import MAX_BYTES, UnreadableFile, read_rows, template_csv, template_xlsx
from services.archive.service_layer.registry import import_honourees, preview_import
from shared.auth import current_staff, staff_required

bp = Blueprint("archive_honourees", __name__, template_folder="templates")
PENDING = "imports/"
KIND_NAMES = {"person": "个人", "team": "团队"}


def archive():
    return current_app.extensions["archive"]


@bp.get("/honourees/template.<ext>")
@staff_required("secretariat")
def template(ext: str):
    if ext == "csv":
        return Response(template_csv(), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="honourees-template.csv"'})
    return Response(template_xlsx(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="honourees-template.xlsx"'})


@bp.get("/honourees")
@staff_required("secretariat")
def form():
    return _page()


@bp.post("/honourees/preview")
@staff_required("secretariat")
def preview():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(error="请选择要导入的 CSV 或 Excel 文件"), 400
    data = upload.read(MAX_BYTES + 1)
    try:
        rows = read_rows(data, upload.filename)
    except UnreadableFile as refusal:
        return _page(error=str(refusal)), 400
    token = f"{uuid.uuid4().hex}-{'xlsx' if upload.filename.lower().endswith('.xlsx') else 'csv'}"
    archive().store.put_bytes(PENDING + token, data, content_type="application/octet-stream")
    return _page(result=preview_import(archive(), rows), token=token, filename=upload.filename[:100])


@bp.post("/honourees/import")
@staff_required("secretariat")
def confirm():
    token = request.form.get("token", "")
    if not token.replace("-", "").isalnum() or len(token) > 40:
        return _page(error="导入请求无效，请重新上传"), 400
    try:
        data = archive().store.get_bytes(PENDING + token, max_size=MAX_BYTES)
    except S3Error:
        return _page(error="预览已失效，请重新上传"), 400
    try:
        count = import_honourees(archive(), read_rows(data, f"upload.{token.rsplit('-', 1)[1]}"))
    except (UnreadableFile, ValueError) as refusal:
        return _page(error=f"未导入任何记录：{refusal}"), 400
    archive().store.remove(PENDING + token)
    return _page(done=f"已导入 {count} 条新记录（已在名录中的不重复导入）。")


def _page(**context) -> str:
    return render_template("archive_honourees.html", campaign=archive().campaign, staff=current_staff(),
                           kinds=KIND_NAMES, **context)
