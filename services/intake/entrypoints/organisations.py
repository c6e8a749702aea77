"""The recommending organisations' pages: accept the invitation, sign in, see the quota, recommend."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for

from services.intake.adapters.links import BadLink, nomination_token
from services.intake.entrypoints.language import refusal_text, said
from shared.i18n import message
from shared.redirects import safe_next
from services.intake.domain.errors import IntakeRefusal
from services.intake.service_layer import organisations as accounts
from services.intake.entrypoints.pages import _start

bp = Blueprint("orgs", __name__, url_prefix="/org")


def intake():
    return current_app.extensions["intake"]


def signed_in(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        organisation_id = session.get("organisation_id")
        if not organisation_id or accounts.organisation(intake(), organisation_id) is None:
            return redirect(url_for("orgs.login", next=request.path))
        return view(accounts.organisation(intake(), organisation_id), *args, **kwargs)
    return wrapper


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        try:
            _sign_in(accounts.authenticate(intake(), request.form.get("email", ""), request.form.get("password", "")))
            return redirect(safe_next(request.args.get("next"), url_for("orgs.dashboard")))
        except IntakeRefusal as refusal:
            error = refusal
    return render_template("org_login.html", error=error), 200 if error is None else 401


def _sign_in(organisation_id: str) -> None:
    """A fresh session (no fixation), kept for SESSION_LIFETIME; 退出登录 ends it."""
    session.clear()
    session.permanent = True
    session["organisation_id"] = organisation_id


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("pages.start"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Sets the organisation's password, once, within INVITATION_VALID of the invitation."""
    try:
        organisation = accounts.invited_organisation(intake(), token)
    except BadLink as bad:
        return render_template("error.html", title=said("intake.title.invitation_invalid"), message=refusal_text(bad.refusal)), 404
    except IntakeRefusal as used:
        return render_template("error.html", title=said("intake.title.invitation_used"), message=refusal_text(used),
                               sign_in_url=url_for("orgs.login")), 410
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("password_again", ""):
            error = message("intake.passwords_differ")
        else:
            try:
                organisation_id = accounts.set_password_by_invitation(intake(), token, password)
                _sign_in(organisation_id)
                flash("密码已设置，欢迎使用。", "info")
                return redirect(url_for("orgs.dashboard"))
            except BadLink as bad:
                error = bad.refusal
            except IntakeRefusal as refusal:
                error = refusal
    return render_template("org_invite.html", organisation=organisation, error=error)


@bp.get("/")
@signed_in
def dashboard(organisation):
    rows = accounts.nominations_of(intake(), organisation.id)
    secret = intake().settings.secret_key
    links = {row.id: nomination_token(secret, row.id) for row in rows}
    channel = intake().campaign.channel(organisation.type)
    return render_template("org_dashboard.html", organisation=organisation, rows=rows, links=links, channel=channel)


@bp.post("/start")
@signed_in
def start(organisation):
    return _start(organisation.type, request.form.get("nominee_kind", ""), organisation.id)
