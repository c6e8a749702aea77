"""The reviewer's pages: the work queue, a nomination with everything about it and the decision form, batch
approval, declaring a conflict, and file previews (a short-lived link to the scan worker's preview)."""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from services.review.domain.people import Role
from services.review.domain.queue_filter import SORTS, QueueFilter, read_filter
from services.review.domain.states import ACTION_NAMES, INELIGIBILITY_RULES, STATE_NAMES, Action, State
from services.review.domain.transitions import MAX_REASON, Request
from services.review.domain.versions import FLAG_NAMES
from services.review.entrypoints.access import current_member, member_required, nomination_facts, review
from services.review.service_layer.assignments import declare_conflict
from services.review.service_layer.decisions import NotFound, batch_approve, decide_nomination
from services.review.service_layer.nomination_page import file_in_current_version, nomination_page, preview_url
from services.review.service_layer.queries import queue_page
from shared.redirects import safe_next
from shared.campaign import Refusal
from shared.campaign.form_fields import returnable_fields
from shared.db import reading

bp = Blueprint("pages", __name__)
MAX_IDS = 200


@bp.get("/")
@member_required()
def queue():
    member = current_member()
    f = read_filter(request.args, review().campaign)
    with reading(review().sessions) as session:
        page = queue_page(session, member, f)
    return render_template("queue.html", page=page, f=f, member=member, sorts=SORTS, states=STATE_NAMES,
                           flags=FLAG_NAMES, can_batch=member.role in (Role.WORKING_GROUP, Role.SECRETARIAT))


@bp.get("/n/<nomination_id>")
@member_required()
def nomination(nomination_id: str):
    member = current_member()
    facts = nomination_facts(nomination_id, member)
    with reading(review().sessions) as session:
        view = nomination_page(session, review().campaign, facts, member)
    back = _back_query()
    return render_template("nomination.html", v=view, member=member, action_names=ACTION_NAMES,
                           rules=INELIGIBILITY_RULES, returnable=returnable_fields(facts.nominee_kind),
                           uploads=[u for u in review().campaign.uploads if u.applies_to(facts.nominee_kind)],
                           back=back, next_id=_next_in_queue(member, nomination_id, back), max_reason=MAX_REASON)


@bp.post("/n/<nomination_id>/decision")
@member_required(Role.WORKING_GROUP, Role.BRANCH, Role.SECRETARIAT)
def decide(nomination_id: str):
    member = current_member()
    nomination_facts(nomination_id, member)
    form = request.form
    try:
        action = Action(form.get("action", ""))
    except ValueError:
        abort(400)
    evidence = tuple(line.strip() for line in form.get("evidence", "").splitlines() if line.strip())
    req = Request(action, reason=form.get("reason", ""), rule=form.get("rule", ""),
                  fields=tuple(form.getlist("fields")[:50]), files=tuple(form.getlist("files")[:10]),
                  evidence=evidence, override_reason=form.get("override_reason", ""))
    try:
        decision = decide_nomination(review(), nomination_id, member, req)
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("pages.nomination", nomination_id=nomination_id, back=_back_query()))
    flash(f"已{ACTION_NAMES[decision.action]}，当前状态：{STATE_NAMES[decision.to_state]}", "ok")
    if form.get("return_to"):
        return redirect(safe_next(form["return_to"], url_for("pages.queue")))
    following = _next_in_queue(member, nomination_id, _back_query())
    if following:
        return redirect(url_for("pages.nomination", nomination_id=following, back=_back_query()))
    return redirect(url_for("pages.queue") + ("?" + _back_query() if _back_query() else ""))


@bp.post("/batch/approve")
@member_required(Role.WORKING_GROUP, Role.SECRETARIAT)
def approve_checked():
    ids = request.form.getlist("ids")[:MAX_IDS]
    if not ids:
        flash("请先勾选要通过的推荐", "error")
    else:
        outcome = batch_approve(review(), ids, current_member())
        flash(f"已审核通过 {len(outcome.decided)} 份", "ok")
        for nomination_id, reason in outcome.refused.items():
            flash(f"{nomination_id[:8]}…未通过：{reason}", "error")
    back = request.form.get("back", "")
    return redirect(url_for("pages.queue") + ("?" + back if back else ""))


@bp.post("/n/<nomination_id>/conflict")
@member_required(Role.WORKING_GROUP, Role.BRANCH, Role.COMMITTEE, Role.SECRETARIAT)
def conflict(nomination_id: str):
    member = current_member()
    nomination_facts(nomination_id, member)
    try:
        declare_conflict(review(), nomination_id, member, request.form.get("reason", ""))
    except Refusal as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("pages.nomination", nomination_id=nomination_id))
    flash("已记录利益冲突声明，此推荐将由其他评审人员审核", "ok")
    return redirect(url_for("pages.queue"))


@bp.get("/n/<nomination_id>/files/<file_id>/preview/<int:page>")
@member_required()
def preview(nomination_id: str, file_id: str, page: int):
    nomination_facts(nomination_id, current_member())
    with reading(review().sessions) as session:
        if not 1 <= page <= 20 or not file_in_current_version(session, nomination_id, file_id):
            abort(404)
    response = redirect(preview_url(review().store, nomination_id, file_id, page))
    response.headers["Cache-Control"] = "no-store"
    return response


def _back_query() -> str:
    """The queue's filter the reviewer came from (kept through the decision), as a query string."""
    raw = request.values.get("back", "")[:500]
    f = read_filter(dict(parse_qsl(raw)), review().campaign)
    return f.query_string()


def _next_in_queue(member, current: str, back: str) -> str | None:
    f = read_filter(dict(parse_qsl(back)), review().campaign)
    if member.role is Role.WORKING_GROUP and not f.state:
        f = QueueFilter(**{**f.__dict__, "state": State.MATERIAL_CHECK.value, "mine": True, "page": 1})
    with reading(review().sessions) as session:
        rows = queue_page(session, member, QueueFilter(**{**f.__dict__, "page": 1, "per_page": 100})).rows
    return next((row.nomination_id for row in rows if row.nomination_id != current), None)


@bp.app_errorhandler(NotFound)
def _not_found(error):
    abort(404)


def refused_reason() -> str:
    return g.get("refused_reason", "")
