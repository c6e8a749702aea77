"""The secretariat's import of earlier campaigns' honouree lists: the template, a preview of every row it
would record (and each problem, by row), then the import of all rows or none. The uploaded file waits in
the archive's bucket between the preview and the confirmation (any web process can confirm it), then goes."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from services.archive.adapters.honouree_files import MAX_BYTES, template_csv, template_xlsx
from services.archive.service_layer.honouree_imports import ImportRefused, confirm_import, stage_import
from shared.auth import current_staff, staff_required

bp = Blueprint("archive_honourees", __name__, template_folder="templates")
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
    try:
        token, result = stage_import(archive(), upload.read(MAX_BYTES + 1), upload.filename)
    except ImportRefused as refusal:
        return _page(error=str(refusal)), 400
    return _page(result=result, token=token, filename=upload.filename[:100])


@bp.post("/honourees/import")
@staff_required("secretariat")
def confirm():
    try:
        count = confirm_import(archive(), request.form.get("token", ""))
    except ImportRefused as refusal:
        return _page(error=str(refusal)), 400
    return _page(done=f"已导入 {count} 条新记录（已在名录中的不重复导入）。")


def _page(**context) -> str:
    return render_template("archive_honourees.html", campaign=archive().campaign, staff=current_staff(),
                           kinds=KIND_NAMES, **context)
