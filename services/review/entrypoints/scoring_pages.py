"""The committee's scoring pages: a member's list of shortlisted nominations to score, one nomination's
sheet on the campaign's rubric (the others' scores shown only after their own), the progress per member
and per business domain, and the secretariat's reminder of open scoring."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from services.review.domain.people import Role
from services.review.domain.queue_filter import SCORING_STATUSES, read_scoring_filter
from services.review.domain.scoring import MAX_COMMENT
from services.review.entrypoints.access import current_member, member_required, nomination_facts, review
from services.review.service_layer.queries import scoring_page
from services.review.service_layer.reminders import remind_open_scoring
from services.review.service_layer.scoring import next_to_score, progress, scoring_view, submit_sheet
from shared.campaign import Refusal
from shared.db import reading

bp = Blueprint("scoring", __name__, url_prefix="/scoring")
READERS = (Role.COMMITTEE, Role.SECRETARIAT, Role.AUDITOR)


@bp.get("/")
@member_required(*READERS)
def to_score():
    member = current_member()
    f = read_scoring_filter(request.args, review().campaign)
    with reading(review().sessions) as session:
        page = scoring_page(session, member, f, review().campaign.id)
        mine = next((p for p in progress(session, review().campaign).members if p.subject == member.subject), None)
    return render_template("scoring_list.html", page=page, f=f, member=member, statuses=SCORING_STATUSES, mine=mine)


@bp.get("/progress")
@member_required(*READERS)
def overview():
    with reading(review().sessions) as session:
        figures = progress(session, review().campaign)
    return render_template("scoring_progress.html", progress=figures, member=current_member())


@bp.post("/reminders")
@member_required(Role.SECRETARIAT)
def remind():
    try:
        count = remind_open_scoring(review(), current_member())
    except Refusal as refusal:
        flash(refusal.message, "error")
    else:
        flash(f"已请通知服务提醒 {count} 位尚未完成评分的委员", "ok")
    return redirect(url_for("scoring.overview"))


@bp.get("/<nomination_id>")
@member_required(*READERS)
def sheet(nomination_id: str):
    nomination_facts(nomination_id, current_member())
    return _sheet_page(nomination_id, typed={})


def _sheet_page(nomination_id: str, typed: dict, status: int = 200):
    member = current_member()
    with reading(review().sessions) as session:
        view = scoring_view(session, review().campaign, nomination_id, member, review().clock())
        following = (next_to_score(session, member, nomination_id, review().campaign.id)
                     if member.role is Role.COMMITTEE else None)
    return render_template("scoring_sheet.html", v=view, member=member, next_id=following, max_comment=MAX_COMMENT,
                           typed=typed), status


@bp.post("/<nomination_id>")
@member_required(Role.COMMITTEE)
def submit(nomination_id: str):
    member = current_member()
    nomination_facts(nomination_id, member)
    scores = {key[len("score-"):]: value for key, value in request.form.items() if key.startswith("score-")}
    try:
        submit_sheet(review(), nomination_id, member, dict(list(scores.items())[:20]), request.form.get("comment", ""))
    except Refusal as refusal:
        typed = {k: v[:20] for k, v in request.form.items() if k.startswith("score-")}
        return _sheet_page(nomination_id, {**typed, "comment": request.form.get("comment", "")[:MAX_COMMENT],
                                           "error": refusal.message}, 422)
    flash("评分已提交", "ok")
    return redirect(url_for("scoring.sheet", nomination_id=nomination_id))
