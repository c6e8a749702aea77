"""The secretariat's objections: every objection filed on the public notice, each beside its nomination
(state, rank, the other objections to it), its attachment's clean preview, and the outcome form."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from services.review.domain.objections import OUTCOMES
from services.review.domain.people import Role
from services.review.domain.states import STATE_NAMES
from services.review.entrypoints.access import current_member, member_required, review
from services.review.service_layer.objections import objection_of, objections_of, resolve_objection
from services.review.service_layer.ranking import ranking_of
from shared.campaign import Refusal
from shared.db import reading

bp = Blueprint("objections", __name__, url_prefix="/objections")
STATES = {"open": "待处理", **OUTCOMES}
PREVIEW_SECONDS = 120


@bp.get("/")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def listing():
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    with reading(review().sessions) as session:
        rows = objections_of(session, review().campaign.id, state)
    return render_template("objections.html", rows=rows, state=state, states=STATES, member=current_member())


@bp.get("/<ref>")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def objection(ref: str):
    campaign = review().campaign
    with reading(review().sessions) as session:
        row = objection_of(session, campaign.id, ref[:30])
        if row is None:
            abort(404)
        ranked = next((r for r in ranking_of(session, campaign).rows if r.nomination_id == row.nomination_id), None)
        siblings = [o for o in objections_of(session, campaign.id, nomination_id=row.nomination_id)
                    if o.reference != row.reference]
    return render_template("objection_page.html", o=row, ranked=ranked, siblings=siblings, states=STATES,
                           outcomes=OUTCOMES, state_names=STATE_NAMES, member=current_member())


@bp.post("/<ref>")
@member_required(Role.SECRETARIAT)
def resolve(ref: str):
    try:
        replacement = resolve_objection(review(), ref[:30], current_member(), request.form.get("outcome", ""),
                                        request.form.get("reason", ""))
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash("已记录核查结论" + ("；候选人资格已取消，由排名下一位递补" if replacement else "") +
              "；异议人和被异议者将收到通知", "ok")
    return redirect(url_for("objections.objection", ref=ref[:30]))


@bp.get("/<ref>/attachment/<int:page>")
@member_required(Role.SECRETARIAT, Role.AUDITOR)
def attachment(ref: str, page: int):
    """The attachment's clean preview (a short-lived link; the original is never served)."""
    with reading(review().sessions) as session:
        row = objection_of(session, review().campaign.id, ref[:30])
    if row is None or not row.attachment or not 1 <= page <= min(2, row.attachment.get("pages", 1)):
        abort(404)
    name = "preview.jpg" if page == 1 else f"preview-{page}.jpg"
    response = redirect(review().store.presigned_get(f"{row.attachment['folder']}/{name}",
                                                     expires=timedelta(seconds=PREVIEW_SECONDS)))
    response.headers["Cache-Control"] = "no-store"
    return response
