"""The secretariat's pages: every message (filters in the URL), a message with its resend button, held
sends with their release button, the templates with an edit form, a check and a preview, and the
reviewers' directory (kept from review's accounts; read only)."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from services.notify.domain.catalogue import TEMPLATE_VARIABLES
from services.notify.domain.html_mail import as_html
from services.notify.domain.private_links import without_private_links
from services.notify.domain.preferences import Preferences
from services.notify.domain.templates import TemplateError, parse_template_name
from services.notify.service_layer import admin, reviewers
from shared.auth import current_staff, protect_blueprint
from shared.db import reading

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 100


def _notify():
    return current_app.extensions["notify"]


protect_blueprint(blueprint, "secretariat")


def _operator() -> str:
    """Who releases, resends or edits, as the records keep it: the staff member's name and username."""
    staff = current_staff()
    return f"{staff.name or staff.username}（{staff.username}）"[:100]


def _refusals_flashed(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except admin.AdminRefusal as refusal:
            flash(str(refusal), "error")
            return redirect(request.referrer or url_for("admin.messages_list"))
    return wrapper


@blueprint.get("/messages")
def messages_list():
    filters = admin.MessageFilter(**{name: request.args.get(name, "").strip() for name in
                                     ("state", "failure", "template", "nomination_id", "recipient")})
    page = max(1, request.args.get("page", 1, type=int))
    with reading(_notify().sessions) as db:
        rows, total = admin.find_messages(db, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        counts = admin.counts_by_state(db)
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("messages.html", rows=rows, total=total, counts=counts, filters=filters,
                           page=page, pages=pages, args=request.args.to_dict())


@blueprint.get("/messages/<message_id>")
def message_detail(message_id: str):
    with reading(_notify().sessions) as db:
        message, resends, original = admin.message_with_resends(db, message_id)
    if message is None:
        abort(404)
    return render_template("message.html", m=message, resends=resends, original=original,
                           resendable=message.state in admin.RESENDABLE)


@blueprint.get("/messages/<message_id>/mail.html")
def message_html(message_id: str):
    """The message's HTML part as the recipient sees it, its private links hidden; shown sandboxed."""
    with reading(_notify().sessions) as db:
        message, _, _ = admin.message_with_resends(db, message_id)
    if message is None or message.channel != "email":
        abort(404)
    page = as_html(message.subject, without_private_links(message.body, message.context), message.lang)
    return Response(page, mimetype="text/html", headers={
        "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
        "X-Content-Type-Options": "nosniff"})


@blueprint.post("/messages/<message_id>/resend")
@_refusals_flashed
def resend(message_id: str):
    with _notify().sessions.begin() as db:
        new_id = admin.resend(db, _notify(), message_id)
    flash("已重发：新消息已排队发送，原消息记录保持不变。")
    return redirect(url_for("admin.message_detail", message_id=new_id))


@blueprint.get("/recipients")
def recipient_preferences():
    address = request.args.get("address", "").strip()
    with reading(_notify().sessions) as db:
        people = admin.recipients_at(db, address) if address else []
    current = Preferences.from_dict(people[-1].prefs) if people else Preferences()
    lang = people[-1].lang if people else "zh"
    return render_template("recipient.html", address=address, people=people, prefs=current, lang=lang)


@blueprint.post("/recipients")
@_refusals_flashed
def save_recipient_preferences():
    address = request.form.get("address", "").strip()
    chosen = Preferences(**{name: request.form.get(name) == "on" for name in ("email", "sms", "reminders")})
    with _notify().sessions.begin() as db:
        count = admin.set_preferences(db, address, chosen, request.form.get("lang", "zh"))
    flash(f"已更新 {address} 的接收偏好（{count} 条申报中的记录），之后的消息按新偏好发送。")
    return redirect(url_for("admin.recipient_preferences", address=address))


@blueprint.get("/held")
def held_list():
    with reading(_notify().sessions) as db:
        groups = admin.held_sends(db)
    return render_template("held.html", groups=groups, threshold=_notify().options.hold_threshold)


@blueprint.post("/held/release")
@_refusals_flashed
def release():
    occasion = request.form.get("occasion", "")
    with _notify().sessions.begin() as db:
        ids = admin.release_held(db, _notify(), occasion, _operator())
    flash(f"已放行 {len(ids)} 条消息，将按发送速率限制陆续发出。")
    return redirect(url_for("admin.held_list"))


@blueprint.get("/templates")
def templates_list():
    notify = _notify()
    notify.refresh_templates()
    with reading(notify.sessions) as db:
        overrides = admin.template_overrides_by_file(db)
    return render_template("templates.html", files=notify.templates.files(), overrides=overrides,
                           message_of=lambda name: name.split(".")[0])


@blueprint.route("/templates/<file_name>", methods=["GET", "POST"])
def template_edit(file_name: str):
    notify = _notify()
    notify.refresh_templates()
    try:
        message, _, _ = parse_template_name(file_name)
        source = request.form.get("source") if request.method == "POST" else notify.templates.current_source(file_name)
    except (TemplateError, FileNotFoundError):
        abort(404)
    problems, preview, status = [], None, 200
    try:
        if request.method == "POST" and request.form.get("action") == "save":
            with notify.sessions.begin() as db:
                admin.save_template(db, notify, file_name, source, _operator())
            notify.refresh_templates()
            flash(f"模板 {file_name} 已保存，新消息将使用修改后的文本。")
            return redirect(url_for("admin.template_edit", file_name=file_name))
        preview = notify.templates.preview(file_name, source)
    except TemplateError as error:
        problems, status = error.problems, 422
    with reading(notify.sessions) as db:
        override = admin.template_overrides_by_file(db).get(file_name)
    return render_template("template_edit.html", file_name=file_name, message=message, source=source,
                           problems=problems, preview=preview, override=override,
                           placeholders=sorted(TEMPLATE_VARIABLES[message])), status


@blueprint.post("/templates/<file_name>/reset")
def template_reset(file_name: str):
    notify = _notify()
    try:
        with notify.sessions.begin() as db:
            admin.reset_template(db, file_name)
    except TemplateError:
        abort(404)
    notify.refresh_templates()
    flash(f"模板 {file_name} 已恢复为系统自带文本。")
    return redirect(url_for("admin.template_edit", file_name=file_name))


@blueprint.get("/reviewers")
def reviewers_list():
    with reading(_notify().sessions) as db:
        rows = reviewers.all_reviewers(db)
    return render_template("reviewers.html", rows=rows)
