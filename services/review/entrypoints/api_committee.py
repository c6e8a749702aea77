"""The JSON API of the committee's stages (same checks as the pages; changes need a bearer token):
scoring lists, sheets and progress, the secretariat's reminder, the ranking and the acts on the list."""
from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.review.domain.people import Role
from services.review.domain.queue_filter import read_scoring_filter
from services.review.domain.scoring import MAX_COMMENT
from services.review.entrypoints.access import (
    bearer_for_changes, current_member, member_required, nomination_facts, review,
)
from services.review.service_layer.candidates import confirm_honourees, confirm_list, publish_notice, record_tie
from services.review.service_layer.queries import scoring_page
from services.review.service_layer.ranking import ranking_of
from services.review.service_layer.reminders import remind_open_scoring
from services.review.service_layer.scoring import progress, sheets_seen, submit_sheet
from shared.campaign import Refusal
from shared.db import reading

blp = Blueprint("api_committee", __name__, url_prefix="/api/v1", description="委员会 / committee: scoring")
blp.before_request(bearer_for_changes)


class SheetIn(Schema):
    error_messages = {"unknown": "没有这一项", "type": "请求体须为 JSON 对象"}
    scores = fields.Dict(keys=fields.String(validate=validate.Length(max=50)), values=fields.Raw(), required=True,
                         validate=validate.Length(max=20))
    comment = fields.String(required=True, validate=validate.Length(max=MAX_COMMENT))


def refused(refusal: Refusal, status: int = 409):
    response = jsonify(ok=False, error=refusal.message, code="refused")
    response.status_code = status
    return response


def _sheet(row) -> dict | None:
    return None if row is None else {"member": row.member, "member_name": row.member_name, "scores": row.scores,
                                     "total": row.total, "comment": row.comment,
                                     "submitted_at": row.submitted_at.isoformat()}


@blp.route("/scoring")
class ScoringList(MethodView):
    @blp.alt_response(200, description="待评分的申报（JSON）")
    @member_required(Role.COMMITTEE, Role.SECRETARIAT, Role.AUDITOR)
    def get(self):
        """Shortlisted nominations to score (filters: domain, status=open|done, q, page), with the caller's total."""
        f = read_scoring_filter(request.args, review().campaign)
        with reading(review().sessions) as session:
            page = scoring_page(session, current_member(), f, review().campaign.id)
        return jsonify(ok=True, total=page.total, page=f.page, pages=page.pages,
                       rows=[dict(row._mapping) for row in page.rows])


@blp.route("/scoring/progress")
class ScoringProgress(MethodView):
    @blp.alt_response(200, description="评分进度（JSON）")
    @member_required(Role.COMMITTEE, Role.SECRETARIAT, Role.AUDITOR)
    def get(self):
        """Sheets submitted and expected, per committee member and per business domain."""
        with reading(review().sessions) as session:
            figures = progress(session, review().campaign)
        return jsonify(ok=True, nominations=figures.nominations,
                       members=[{**p.__dict__, "open": p.open} for p in figures.members],
                       domains=[d.__dict__ for d in figures.domains])


@blp.route("/scoring/reminders")
class ScoringReminders(MethodView):
    @member_required(Role.SECRETARIAT)
    def post(self):
        """Ask notify to remind every committee member with open scoring (at most once an hour)."""
        try:
            return jsonify(ok=True, reminded=remind_open_scoring(review(), current_member())), 202
        except Refusal as refusal:
            return refused(refusal)


@blp.route("/scoring/<nomination_id>")
class ScoreSheet(MethodView):
    @member_required(Role.COMMITTEE, Role.SECRETARIAT, Role.AUDITOR)
    def get(self, nomination_id: str):
        """The caller's sheet, and the others' once the caller submitted theirs (blind scoring)."""
        member = current_member()
        nomination_facts(nomination_id, member)
        with reading(review().sessions) as session:
            seen = sheets_seen(session, nomination_id, member, review().campaign)
        return jsonify(ok=True, mine=_sheet(seen.mine), others=[_sheet(row) for row in seen.others], count=seen.count,
                       aggregate=seen.aggregate)

    @member_required(Role.COMMITTEE)
    @blp.arguments(SheetIn)
    def post(self, body: dict, nomination_id: str):
        """Submit the caller's sheet: every criterion of the rubric, and a short comment; final once submitted."""
        member = current_member()
        nomination_facts(nomination_id, member)
        try:
            sheet = submit_sheet(review(), nomination_id, member, body["scores"], body["comment"])
        except Refusal as refusal:
            return refused(refusal, 422)
        return jsonify(ok=True, scores=dict(sheet.scores), total=sheet.total), 201


class TieIn(Schema):
    error_messages = {"unknown": "没有这一项", "type": "请求体须为 JSON 对象"}
    order = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                        validate=validate.Length(min=2, max=50))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


@blp.route("/ranking")
class RankingNow(MethodView):
    @blp.alt_response(200, description="当前排名（JSON）")
    @member_required(Role.COMMITTEE, Role.SECRETARIAT, Role.AUDITOR)
    def get(self):
        """The ranking (live before the list is confirmed, as confirmed after), ties at the line, unscored."""
        with reading(review().sessions) as session:
            view = ranking_of(session, review().campaign)
        s = view.state
        return jsonify(ok=True, places=view.places, confirmed_at=s.confirmed_at, published_at=s.published_at,
                       notice_closes_at=s.notice_closes_at, announced_at=s.announced_at,
                       rows=[row.__dict__ for row in view.rows],
                       unresolved=[[row.nomination_id for row in group] for group in view.unresolved],
                       unscored=[{"nomination_id": i, "nominee_name": n, "sheets": c} for i, n, c in view.unscored])


@blp.route("/ranking/ties")
class RankingTies(MethodView):
    @member_required(Role.SECRETARIAT)
    @blp.arguments(TieIn)
    def post(self, body: dict):
        """Record the committee's order of nominations tied on every key, with its reason."""
        try:
            record_tie(review(), current_member(), body["order"], body["reason"])
        except Refusal as refusal:
            return refused(refusal, 422)
        return jsonify(ok=True), 201


@blp.route("/ranking/confirmation")
class RankingConfirmation(MethodView):
    @member_required(Role.SECRETARIAT)
    def post(self):
        """Confirm exactly the campaign's number of candidates, in one recorded act (nobody is told yet)."""
        try:
            return jsonify(ok=True, candidates=confirm_list(review(), current_member())), 201
        except Refusal as refusal:
            return refused(refusal)


@blp.route("/ranking/publication")
class RankingPublication(MethodView):
    @member_required(Role.SECRETARIAT)
    def post(self):
        """Open the public notice and tell every candidate and every nominee of the reserve, in one batch."""
        try:
            opens, closes = publish_notice(review(), current_member())
        except Refusal as refusal:
            return refused(refusal)
        return jsonify(ok=True, opens_at=opens.isoformat(), closes_at=closes.isoformat()), 201


@blp.route("/ranking/announcement")
class RankingAnnouncement(MethodView):
    @member_required(Role.SECRETARIAT)
    def post(self):
        """After the notice, with every objection resolved: confirm the honourees (honourees.confirmed)."""
        try:
            return jsonify(ok=True, honourees=confirm_honourees(review(), current_member())), 201
        except Refusal as refusal:
            return refused(refusal)
