"""The secretariat's pages: people and their roles (one by one, or imported from CSV or Excel in two steps,
a preview then the import, with a template), reassigning nominations (one or many), and the audit trail (verified, exported as CSV)."""
from __future__ import annotations

import io

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for

from services.review.adapters.staff_files import staff_rows, template_xlsx
from services.review.domain.people import ROLE_NAMES, Role, check_staff_member
from services.review.entrypoints.access import current_member, member_required, review
from services.review.service_layer.assignments import reassign
from services.review.service_layer.audit import export_csv, verify_trail
from services.review.service_layer.staff import all_members, load_member, save_member
from services.review.service_layer.staff_imports import (MAX_BYTES, StaffImportRefused, confirm_staff_import,
                                                         preview_staff_import)
from shared.campaign import Refusal
from shared.db import reading
from shared.spreadsheets import UnreadableFile

bp = Blueprint("staff", __name__, url_prefix="/staff")
MAX_IDS = 500


@bp.get("/")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def people():
    with reading(review().sessions) as session:
        members = all_members(session)
        editing = load_member(session, request.args.get("edit", "")) if request.args.get("edit") else None
    return render_template("staff.html", members=members, roles=ROLE_NAMES, domains=review().campaign.domains,
                           values=_values(editing), errors={}, member=current_member(), verdict=None)


@bp.post("/")
@member_required(Role.SECRETARIAT)
def save():
    values = {**request.form.to_dict(), "domains": request.form.getlist("domains")}
    person, errors = check_staff_member(values, review().campaign.domains)
    if person is None:
        with reading(review().sessions) as session:
            members = all_members(session)
        return render_template("staff.html", members=members, roles=ROLE_NAMES, domains=review().campaign.domains,
                               values=values, errors=errors, member=current_member(), verdict=None), 422
    with review().sessions.begin() as session:
        save_member(session, person, by=current_member(), at=review().clock())
    flash(f"已保存 {person.name}（{person.role_name}）", "ok")
    return redirect(url_for("staff.people"))


@bp.post("/import")
@member_required(Role.SECRETARIAT)
def import_file():
    """Step 1: the file read and checked; a preview of whom it adds and what it changes. Nothing is saved."""
    upload = request.files.get("file")
    data = upload.read(MAX_BYTES + 1) if upload else b""
    if not data:
        flash("请选择要导入的人员名单文件（Excel 或 CSV）", "error")
        return redirect(url_for("staff.people"))
    if len(data) > MAX_BYTES:
        flash("文件过大：人员名单最多 2 MB", "error")
        return redirect(url_for("staff.people"))
    try:
        preview = preview_staff_import(review(), upload.filename or "", data)
    except UnreadableFile as error:
        flash(error.message, "error")
        return redirect(url_for("staff.people"))
    return render_template("staff_import_preview.html", preview=preview, filename=(upload.filename or "")[:100],
                           member=current_member()), 200 if preview.token else 422


@bp.post("/import/confirm")
@member_required(Role.SECRETARIAT)
def import_confirm():
    """Step 2: every row of the previewed file saved, or none."""
    try:
        result = confirm_staff_import(review(), request.form.get("token", "")[:80], by=current_member())
    except StaffImportRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("staff.people"))
    for number, problems in sorted(result.problems.items())[:50]:
        flash(f"第 {number} 行：" + "；".join(problems.values()), "error")
    if result.saved:
        flash(f"已导入 {result.saved} 人", "ok")
    elif result.problems:
        flash("文件有误，未导入任何人；改正后可重新导入", "error")
    return redirect(url_for("staff.people"))


@bp.get("/template.xlsx")
@member_required(Role.SECRETARIAT)
def template():
    return send_file(io.BytesIO(template_xlsx(review().campaign.domains)), download_name="评审人员导入模板.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_attachment=True)


@bp.post("/reassign")
@member_required(Role.SECRETARIAT)
def reassign_checked():
    ids = request.form.getlist("ids")[:MAX_IDS]
    target = request.form.get("to", "").strip() or None
    try:
        moved = reassign(review(), ids, by=current_member(), to=target)
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        waiting = sum(1 for subject in moved.values() if subject is None)
        flash(f"已调整 {len(moved) - waiting} 份的分配" + (f"，{waiting} 份暂无可分配的评审人员" if waiting else ""), "ok")
    back = request.form.get("back", "")
    return redirect(request.form.get("return_to") or (url_for("pages.queue") + ("?" + back if back else "")))


@bp.get("/audit")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def audit_page():
    with reading(review().sessions) as session:
        members = all_members(session)
    return render_template("staff.html", members=members, roles=ROLE_NAMES, domains=review().campaign.domains,
                           values=_values(None), errors={}, member=current_member(), verdict=verify_trail(review().engine))


@bp.get("/audit.csv")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def audit_csv():
    out = io.StringIO()
    export_csv(review().engine, out)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=review-audit.csv"})


def _values(person) -> dict:
    if person is None:
        return {"role": Role.WORKING_GROUP.value, "domains": []}
    return {"subject": "" if person.pending else person.subject, "username": person.username, "name": person.name,
            "email": person.email, "role": person.role.value, "domains": list(person.domains), "unit": person.unit,
            "organisation_id": person.organisation_id, "organisation_name": person.organisation_name,
            "cap": person.cap or "", "active": "1" if person.active else "0"}
