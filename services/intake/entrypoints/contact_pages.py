"""The contact's e-mail: verifying it, and mailing the private links again (routes of the pages blueprint)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from services.intake.adapters.links import BadLink, nomination_token
from services.intake.domain.errors import IntakeRefusal
from services.intake.entrypoints.language import refusal_text, said
from services.intake.domain.contact import VERIFICATION_VALID
from services.intake.domain.limits import EMAIL_MAX_CHARS
from services.intake.service_layer import contacts
from services.intake.entrypoints.pages import bp, intake, nomination_id_from


@bp.post("/n/<token>/contact/verify")
def request_contact_verification(token: str):
    try:
        email = contacts.request_verification(intake(), nomination_id_from(token))
        flash(f"验证邮件已发送至 {email}，请在 {VERIFICATION_VALID.days} 天内点击邮件中的链接。", "info")
    except IntakeRefusal as refusal:
        flash(refusal_text(refusal), "error")
    return redirect(url_for("pages.tasks", token=token))


@bp.get("/verify/<token>")
def verify_contact(token: str):
    """The link mailed to the contact: confirms the address and opens the draft."""
    try:
        nomination_id = contacts.verify(intake(), token)
    except BadLink as bad:
        return render_template("error.html", title=said("intake.title.verification_invalid"), message=refusal_text(bad.refusal)), 404
    except IntakeRefusal as refusal:
        return render_template("error.html", title=said("intake.title.verification_refused"), message=refusal_text(refusal)), 409
    flash("联系人邮箱已验证。我们已把本申报的专属链接发到该邮箱，并会在截止前提醒尚未提交的草稿。", "info")
    return redirect(url_for("pages.tasks", token=nomination_token(intake().settings.secret_key, nomination_id)))


@bp.route("/links", methods=["GET", "POST"])
def draft_links():
    """Lost the private link? It is mailed again to the contact e-mail, once that address was verified."""
    if request.method == "POST":
        try:
            contacts.mail_draft_links(intake(), request.form.get("email", "")[:EMAIL_MAX_CHARS])
        except IntakeRefusal as refusal:
            return render_template("links.html", error=refusal), 400
        return render_template("links.html", sent=True)
    return render_template("links.html")
