"""The applicant's files: the uploads page, uploading and deleting a file, the scans' states the page polls,
and the printable registration form (routes of the pages blueprint)."""
from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, request, url_for

from shared.i18n import message
from shared.storage import ObjectTooLarge
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.upload_rules import allowed_uploads
from services.intake.entrypoints.language import refusal_text
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer.uploads import add_upload, remove_upload
from services.intake.service_layer.views import nomination_view
from services.intake.entrypoints.pages import bp, intake, nomination_id_from


@bp.get("/n/<token>/files")
def files(token: str):
    view = nomination_view(intake(), nomination_id_from(token))
    return render_template("files.html", v=view, token=token,
                           requirements=allowed_uploads(intake().campaign, view.nominee_kind))


@bp.get("/n/<token>/scans")
def scan_states(token: str):
    """How the scans of the nomination's files stand (the pages poll it while one is running)."""
    view = nomination_view(intake(), nomination_id_from(token))
    return jsonify(pending=len(view.scans_pending),
                   files=[{"id": f.id, "verdict": f.verdict, "verdict_name": f.verdict_name} for f in view.files])


@bp.post("/n/<token>/files/<kind>")
def upload(token: str, kind: str):
    nomination_id = nomination_id_from(token)
    incoming = request.files.get("file")
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if incoming is None or not incoming.filename:
        return _upload_answer(token, wants_json, message("intake.no_file_chosen"), 400)
    try:
        add_upload(intake(), nomination_id, kind, incoming.stream, filename=incoming.filename,
                   content_type=incoming.mimetype or "application/octet-stream",
                   declared_size=request.content_length or 0)
    except IntakeRefusal as refusal:
        return _upload_answer(token, wants_json, refusal, 400)
    except ObjectTooLarge as too_large:
        return _upload_answer(token, wants_json, message("intake.file_over_limit", max=too_large.limit // 1048576), 413)
    return _upload_answer(token, wants_json, None, 201)


def _upload_answer(token: str, wants_json: bool, error, status: int):
    if wants_json:
        return jsonify(ok=error is None, error=error and refusal_text(error)), status
    if error:
        flash(refusal_text(error), "error")
    return redirect(url_for("pages.files", token=token))


@bp.post("/n/<token>/files/<upload_id>/delete")
def delete_upload(token: str, upload_id: str):
    try:
        remove_upload(intake(), nomination_id_from(token), upload_id)
    except IntakeRefusal as refusal:
        flash(refusal_text(refusal), "error")
    return redirect(url_for("pages.files", token=token))


@bp.get("/n/<token>/form.pdf")
def printable_form(token: str):
    from services.intake.adapters.printable_form import render_registration_pdf

    nomination_id = nomination_id_from(token)
    view = nomination_view(intake(), nomination_id)
    data = use_cases.printable_data(intake(), view.data)
    pdf = render_registration_pdf(intake().campaign, data, nomination_id, reference=view.reference)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="registration-{view.reference}.pdf"'})
