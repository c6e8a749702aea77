"""The secretariat's pages in intake: organisations (import, invitations), past honourees (import),
and the flags raised for its attention (the same person twice, possible past honourees, shared files).
Only staff with the secretariat role, signed in at the identity provider (shared/auth), reach them."""
from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for

from services.intake.adapters.orm import nominations, organisations
from services.intake.domain.errors import IntakeRefusal
from services.intake.service_layer import honourees as honouree_records
from services.intake.service_layer.organisations import create_organisation
from services.intake.service_layer.scans import scan_backlog
from services.intake.service_layer.staff_views import flag_groups
from shared.auth import protect_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
protect_blueprint(bp, "secretariat")


def intake():
    return current_app.extensions["intake"]


@bp.app_template_filter("duration")
def duration(seconds: float) -> str:
    """How long, in the secretariat's words: 45 秒, 3 分 20 秒, 2 小时 5 分."""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} 秒"
    if seconds < 3600:
        return f"{seconds // 60} 分 {seconds % 60} 秒"
    return f"{seconds // 3600} 小时 {seconds % 3600 // 60} 分"


@bp.get("/")
def overview():
    with intake().sessions() as db:
        by_state = dict(db.execute(sa.select(nominations.c.state, sa.func.count()).group_by(nominations.c.state)).all())
        by_domain = db.execute(sa.select(nominations.c.listed_domain, sa.func.count())
                               .where(nominations.c.state != "draft").group_by(nominations.c.listed_domain)
                               .order_by(nominations.c.listed_domain.nulls_last())).all()
        orgs = db.execute(sa.select(organisations).order_by(organisations.c.type, organisations.c.name)).all()
    groups, named = flag_groups(intake())
    return render_template("admin_overview.html", by_state=by_state, by_domain=by_domain, groups=groups,
                           named=named, organisations=orgs, scans=scan_backlog(intake(), intake().clock()))


@bp.post("/organisations/import")
def import_organisations():
    from services.intake.domain.organisations import parse_organisations

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择 CSV 或 Excel 文件", "error")
        return redirect(url_for("admin.overview"))
    result = parse_organisations(upload.filename, upload.read(), intake().campaign)
    if result.problems:
        for problem in result.problems[:50]:
            flash(problem, "error")
        flash(f"文件有 {len(result.problems)} 处问题，未导入任何单位；请修改后重新上传。", "error")
        return redirect(url_for("admin.overview"))
    created = 0
    for row in result.rows:
        _, is_new = create_organisation(intake(), name=row.name, type=row.type, email=row.email,
                                        contact_name=row.contact_name, phone=row.phone, member_units=row.member_units)
        created += is_new
    flash(f"已导入 {len(result.rows)} 个推荐单位，其中新增 {created} 个（已发送邀请邮件）。", "info")
    return redirect(url_for("admin.overview"))


@bp.get("/organisations/template.xlsx")
def organisations_template():
    from services.intake.domain.organisations import organisations_template_xlsx

    return Response(organisations_template_xlsx(intake().campaign),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="organisations-template.xlsx"'})


@bp.post("/honourees/import")
def import_honourees():
    upload = request.files.get("file")
    try:
        text = (upload.read() if upload else b"").decode("utf-8-sig")
        count = honouree_records.import_rows(intake(), list(csv.DictReader(io.StringIO(text))))
        flash(f"已导入 {count} 条往届获奖记录。", "info")
    except (UnicodeDecodeError, IntakeRefusal) as error:
        flash(getattr(error, "message", "文件须为 UTF-8 编码的 CSV"), "error")
    return redirect(url_for("admin.overview"))
