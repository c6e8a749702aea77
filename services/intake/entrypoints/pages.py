"""The applicant's pages: start, the task list, each part of the form, check and submit,
confirmation, and the private status page reached by the signed link. The files' pages (file_pages.py) and the
contact's (contact_pages.py) are routes of the same blueprint."""
from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for

from werkzeug.datastructures import MultiDict

from services.intake.adapters.links import BadLink, nomination_from_token, nomination_token
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.journey import journey
from services.intake.domain.nomination import STATE_NAMES, NominationState
from services.intake.domain.priority import MEDIA_HONOUR_LEVELS
from services.intake.entrypoints.forms import errors_by_field, unflatten
from services.intake.entrypoints.language import field_problems, refusal_text, said
from services.intake.schemas.labels import FIELD_LABELS
from services.intake.schemas.nomination import deeds_char_count
from services.intake.domain.limits import SUBMIT_KEY_MAX_CHARS
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.errors import FormInvalid
from services.intake.service_layer.views import PARTS, nomination_view
from shared.reference import ethnic_group_names, political_status_label, political_statuses

bp = Blueprint("pages", __name__)


def intake():
    return current_app.extensions["intake"]


def nomination_id_from(token: str) -> str:
    try:
        return nomination_from_token(intake().settings.secret_key, token)
    except BadLink:
        abort(404)


@bp.app_template_filter("deeds_count")
def _deeds_count(text: str) -> int:
    return deeds_char_count(text or "")


@bp.app_template_filter("political_status_label")
def _political_status_label(name: str | None) -> str:
    return political_status_label(name)


@bp.app_context_processor
def _choices():
    return {
        "ethnic_groups": ethnic_group_names(),
        "political_statuses": [p.short_name or p.name for p in political_statuses()],
        "honour_levels": MEDIA_HONOUR_LEVELS,
        "labels": FIELD_LABELS,
        "state_names": {str(k): v for k, v in STATE_NAMES.items()},
    }


@bp.get("/")
def start():
    campaign = intake().campaign
    return render_template("start.html", open=use_cases.submission_is_open(intake()),
                           self_channel=next((c for c in campaign.channels if c.is_self_nomination), None))


@bp.post("/start")
def start_self_nomination():
    channel = next(c for c in intake().campaign.channels if c.is_self_nomination)
    return _start(channel.code, request.form.get("nominee_kind", ""), None)


def _start(channel: str, nominee_kind: str, organisation_id: str | None):
    try:
        nomination_id = use_cases.start_nomination(intake(), channel=channel, nominee_kind=nominee_kind,
                                                   organisation_id=organisation_id)
    except IntakeRefusal as refusal:
        flash(refusal_text(refusal), "error")
        return redirect(request.referrer or url_for("pages.start"))
    session.setdefault("drafts", []).append(nomination_id)
    session.modified = True
    return redirect(url_for("pages.tasks", token=nomination_token(intake().settings.secret_key, nomination_id)))


@bp.get("/n/<token>")
def tasks(token: str):
    view = nomination_view(intake(), nomination_id_from(token))
    if view.state == NominationState.DRAFT:
        return render_template("tasks.html", v=view, token=token)
    return render_template("status.html", v=view, token=token, steps=_journey(view))


@bp.route("/n/<token>/<part>", methods=["GET", "POST"])
def edit_part(token: str, part: str):
    if part not in PARTS:
        abort(404)
    nomination_id = nomination_id_from(token)
    problems: list = []
    removed = _row_to_remove(part)
    if request.method == "POST":
        changes = unflatten(_without_row(request.form, removed), PARTS[part][1])
        if removed is not None:
            changes.setdefault("media_honours", [])
        try:
            problems = use_cases.save_draft(intake(), nomination_id, changes)
        except IntakeRefusal as refusal:
            flash(refusal_text(refusal), "error")
            return redirect(url_for("pages.tasks", token=token))
        if request.headers.get("X-Autosave"):
            return jsonify(saved=True, problems=len(problems))
        roots = PARTS[part][1]
        problems = [(p, m) for p, m in problems if p.split(".")[0] in roots]
        if removed is not None:
            flash(said("intake.honour_deleted", row=removed + 1), "info")
            return redirect(url_for("pages.edit_part", token=token, part=part))
        if not problems and request.form.get("next") != "stay":
            return redirect(_next_step(token, part, nomination_view(intake(), nomination_id)))
    view = nomination_view(intake(), nomination_id)
    return render_template(f"part_{part}.html", v=view, token=token, errors=errors_by_field(field_problems(problems)),
                           data=view.data)


def _row_to_remove(part: str) -> int | None:
    """The media honour row whose 删除此项 button sent the form, if any."""
    value = request.form.get("remove", "") if request.method == "POST" else ""
    return int(value) if part == "deeds" and value.isdigit() and len(value) < 4 else None


def _without_row(form, row: int | None):
    if row is None:
        return form
    prefix = f"media_honours.{row}."
    return MultiDict([(key, value) for key, value in form.items(multi=True) if not key.startswith(prefix)])


def _journey(view) -> list:
    campaign = intake().campaign

    def when(moment) -> str:
        local = moment.astimezone(ZoneInfo(campaign.time_zone))
        return f"{local.year}年{local.month}月{local.day}日"

    return journey(campaign, view.state, view.version > 0, when, view.review_stage, now=intake().clock())


def _next_step(token: str, part: str, view) -> str:
    """保存并继续 goes on to the next part of the form, and after the last to the uploads. A returned
    nomination goes only through what its return opened, then to 检查并重新提交 (tester's I-13)."""
    parts = list(PARTS)
    following = [p for p in parts[parts.index(part) + 1:] if view.is_draft or _opens_any(view, PARTS[p][1])]
    if following:
        return url_for("pages.edit_part", token=token, part=following[0])
    if view.is_draft or view.open_files:
        return url_for("pages.files", token=token)
    return url_for("pages.check", token=token)


def _opens_any(view, roots) -> bool:
    return any(field.split(".")[0] in roots for field in view.open_fields)


@bp.get("/n/<token>/check")
def check(token: str):
    return _check_page(token)


@bp.post("/n/<token>/submit")
def submit(token: str):
    nomination_id = nomination_id_from(token)
    try:
        submission.send(intake(), nomination_id, request.form.get("submit_key", "")[:SUBMIT_KEY_MAX_CHARS]
                        or str(uuid.uuid4()), seal_confirmed=request.form.get("seal_confirmed") == "yes")
    except FormInvalid as invalid:
        return _check_page(token, errors=errors_by_field(field_problems(invalid.errors))), 400
    except IntakeRefusal as refusal:
        return _check_page(token, refusals=getattr(refusal, "problems", None) or [refusal]), 400
    return redirect(url_for("pages.done", token=token))


def _check_page(token: str, **shown):
    view = nomination_view(intake(), nomination_id_from(token))
    return render_template("check.html", v=view, token=token, submit_key=str(uuid.uuid4()), **shown)


@bp.get("/n/<token>/done")
def done(token: str):
    view = nomination_view(intake(), nomination_id_from(token))
    return render_template("done.html", v=view, token=token)


@bp.post("/n/<token>/withdraw")
def withdraw(token: str):
    nomination_id = nomination_id_from(token)
    was_draft = nomination_view(intake(), nomination_id).is_draft
    try:
        use_cases.withdraw(intake(), nomination_id, by="applicant", reason=request.form.get("reason", ""))
        flash("草稿已放弃：它不会被提交，也不会再收到提醒。" if was_draft else "申报已撤回。", "info")
    except IntakeRefusal as refusal:
        flash(refusal_text(refusal), "error")
    return redirect(url_for("pages.tasks", token=token))
