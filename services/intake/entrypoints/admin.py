"""The secretariat's pages in intake: organisations (import, invitations), a pointer to the archive's
import of past honourees (the registry intake learns them from), and the flags raised for its attention (the same person twice, possible past honourees, shared files).
Only staff with the secretariat role, signed in at the identity provider (shared/auth), reach them."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for

from services.intake.adapters.orm import nominations, organisations
from services.intake.domain.errors import IntakeRefusal
from services.intake.entrypoints.language import refusal_text, said
from services.intake.service_layer import imports
from services.intake.service_layer.organisations import resend_invitation as resend_invitation_to
from services.intake.service_layer.scan_backlog import scan_backlog
from services.intake.service_layer.staff_views import flag_groups
from services.intake.domain.imports import imported_organisations_text
from shared.auth import protect_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
KIND_NAMES = {"organisations": "推荐单位"}
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
                           named=named, organisations=orgs, scans=scan_backlog(intake(), intake().clock()),
                           honouree_registry=intake().settings.archive_url.rstrip("/") + "/honourees")


@bp.post("/organisations/preview", defaults={"kind": "organisations"})
def import_preview(kind: str):
    """Step 1 of an import: every row and every problem of the file; nothing is imported yet."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(said("intake.import.no_file"), "error")
        return redirect(url_for("admin.overview"))
    shown = imports.preview(intake(), kind, upload.filename, upload.read(imports.MAX_BYTES + 1))
    return render_template("admin_import_preview.html", p=shown, filename=upload.filename[:100],
                           kind_names=KIND_NAMES), 200 if shown.token else 422


@bp.post("/imports/confirm")
def import_confirm():
    """Step 2: import every row of the previewed file, or none."""
    try:
        kind, count, new = imports.confirm(intake(), request.form.get("token", ""))
    except IntakeRefusal as refusal:
        flash(refusal_text(refusal), "error")
        return redirect(url_for("admin.overview"))
    flash(imported_organisations_text(count, new), "info")
    return redirect(url_for("admin.overview"))


@bp.get("/organisations/template.xlsx", defaults={"kind": "organisations"})
def import_template(kind: str):
    data = imports.organisations_template_xlsx(intake().campaign)
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{kind}-template.xlsx"'})


@bp.post("/organisations/<organisation_id>/invitation")
def resend_invitation(organisation_id: str):
    try:
        email = resend_invitation_to(intake(), organisation_id)
    except IntakeRefusal as refusal:
        flash(refusal_text(refusal), "error")
    else:
        flash(f"已向 {email} 重新发送邀请邮件：链接 14 天内有效，设置密码后失效（已设置过密码的，可用它设置新密码）。",
              "info")
    return redirect(url_for("admin.overview") + "#organisations")
