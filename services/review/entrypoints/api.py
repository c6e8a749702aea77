"""The JSON API of the same operations, for the secretariat's tools: bearer tokens of the identity provider
(`Authorization: Bearer …`, audience tuiju-review), the same checks as the pages. OpenAPI 3 at
/api/v1/openapi.json, from these Marshmallow schemas (flask-smorest)."""
from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.review.domain.people import Role
from services.review.domain.queue_filter import read_filter
from services.review.domain.states import Action
from services.review.domain.transitions import MAX_REASON, RULES, Request
from services.review.entrypoints.access import (
    bearer_for_changes, current_member, member_required, nomination_facts, review,
)
from services.review.service_layer.assignments import declare_conflict, reassign
from services.review.service_layer.audit import verify_trail
from services.review.service_layer.decisions import batch_approve, decide_nomination
from services.review.service_layer.nomination_page import nomination_page
from services.review.service_layer.queries import counts_by_domain_and_state, queue_page, shortlist_entries
from services.review.service_layer.staff import all_members
from shared.api import TuijuApi
from shared.campaign import Refusal
from shared.db import reading

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="评审 / review: queue, nominations, decisions")
blp.before_request(bearer_for_changes)
ID = validate.Length(min=1, max=64)


class _Body(Schema):
    error_messages = {"unknown": "没有这一项", "type": "请求体须为 JSON 对象"}


class DecisionIn(_Body):
    action = fields.String(required=True, validate=validate.OneOf([a.value for a in RULES]))
    reason = fields.String(load_default="", validate=validate.Length(max=MAX_REASON))
    rule = fields.String(load_default="", validate=validate.Length(max=10))
    fields_to_correct = fields.List(fields.String(validate=validate.Length(max=100)), data_key="fields",
                                    load_default=list, validate=validate.Length(max=50))
    files = fields.List(fields.String(validate=validate.Length(max=50)), load_default=list, validate=validate.Length(max=10))
    evidence = fields.List(fields.String(validate=validate.Length(max=MAX_REASON)), load_default=list, validate=validate.Length(max=20))
    override_reason = fields.String(load_default="", validate=validate.Length(max=MAX_REASON))


class IdsIn(_Body):
    ids = fields.List(fields.String(validate=ID), required=True, validate=validate.Length(min=1, max=500))
    to = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class ConflictIn(_Body):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class QueueRow(Schema):
    nomination_id = fields.String()
    nominee_name = fields.String()
    unit = fields.String()
    domain = fields.String()
    channel = fields.String()
    state = fields.String()
    media_priority = fields.Boolean()
    flagged = fields.Boolean()
    scan_flags = fields.List(fields.String())
    submitted_at = fields.String()
    assigned_to = fields.String(allow_none=True)
    assignee_name = fields.String(allow_none=True)


class QueueOut(Schema):
    total = fields.Integer(metadata={"description": "matches, counted up to 10,000 (10001 means more)"})
    page = fields.Integer()
    pages = fields.Integer()
    rows = fields.List(fields.Nested(QueueRow))


class DecisionOut(Schema):
    nomination_id = fields.String()
    action = fields.String()
    from_state = fields.String()
    to_state = fields.String()
    by = fields.String()
    at = fields.DateTime()
    correction_deadline = fields.DateTime(allow_none=True)


def _refused(refusal: Refusal, status: int = 409):
    response = jsonify(ok=False, error=refusal.message, code="refused")
    response.status_code = status
    return response


@blp.route("/nominations")
class Nominations(MethodView):
    @member_required()
    @blp.response(200, QueueOut)
    def get(self):
        """The queue with the page's filters (domain, state, channel, flagged, priority, mine, q, sort, page, per_page)."""
        f = read_filter(request.args, review().campaign)
        with reading(review().sessions) as session:
            page = queue_page(session, current_member(), f)
        return {"total": page.total, "page": f.page, "pages": page.pages, "rows": [row._mapping for row in page.rows]}


@blp.route("/nominations/<nomination_id>")
class Nomination(MethodView):
    @member_required()
    def get(self, nomination_id: str):
        """Every field, file (with its scan findings), version (with what changed) and decision."""
        member = current_member()
        facts = nomination_facts(nomination_id, member)
        with reading(review().sessions) as session:
            v = nomination_page(session, review().campaign, facts, member)
        return jsonify(ok=True, nomination_id=v.nomination_id, state=v.state, state_name=v.state_name, assignee=v.assignee,
                       snapshot=v.snapshot, actions=v.actions,
                       files=[f.__dict__ for f in v.files],
                       versions=[{"version": x.version, "received_at": x.received_at.isoformat(),
                                  "changes": [c.__dict__ for c in x.changes], "file_changes": [c.__dict__ for c in x.file_changes]}
                                 for x in v.versions],
                       history=[{k: (val.isoformat() if hasattr(val, "isoformat") else val) for k, val in row._mapping.items()}
                                for row in v.history],
                       file_replacements=[{"at": r.at.isoformat(), "kind": r.kind, "replaced_filename": r.replaced_filename,
                                           "filename": r.filename, "file_id": r.file_id} for r in v.replacements])


@blp.route("/nominations/<nomination_id>/decisions")
class Decisions(MethodView):
    @member_required(Role.WORKING_GROUP, Role.BRANCH, Role.SECRETARIAT)
    @blp.arguments(DecisionIn)
    @blp.response(201, DecisionOut)
    def post(self, body: dict, nomination_id: str):
        """Approve, return (fields and files, reason), refuse (rule, reason), shortlist, decline, disqualify."""
        member = current_member()
        nomination_facts(nomination_id, member)
        req = Request(Action(body["action"]), reason=body["reason"], rule=body["rule"], fields=tuple(body["fields_to_correct"]),
                      files=tuple(body["files"]), evidence=tuple(body["evidence"]), override_reason=body["override_reason"])
        try:
            return decide_nomination(review(), nomination_id, member, req)
        except Refusal as refusal:
            return _refused(refusal)


@blp.route("/nominations/batch-approve")
class BatchApprove(MethodView):
    @member_required(Role.WORKING_GROUP, Role.SECRETARIAT)
    @blp.arguments(IdsIn)
    def post(self, body: dict):
        """Approve each of the ids on its own; the refused ones come back with their reasons."""
        outcome = batch_approve(review(), body["ids"][:200], current_member())
        return jsonify(ok=True, decided=outcome.decided, refused=outcome.refused)


@blp.route("/nominations/<nomination_id>/conflicts")
class Conflicts(MethodView):
    @member_required(Role.WORKING_GROUP, Role.BRANCH, Role.COMMITTEE, Role.SECRETARIAT)
    @blp.arguments(ConflictIn)
    def post(self, body: dict, nomination_id: str):
        """Declare a conflict of interest: recorded, and the nomination goes to another reviewer."""
        member = current_member()
        nomination_facts(nomination_id, member)
        try:
            return jsonify(ok=True, assigned_to=declare_conflict(review(), nomination_id, member, body["reason"]))
        except Refusal as refusal:
            return _refused(refusal, 422)


@blp.route("/assignments")
class Assignments(MethodView):
    @member_required(Role.SECRETARIAT)
    @blp.arguments(IdsIn)
    def post(self, body: dict):
        """Reassign nominations to a reviewer (`to`, their subject) or to the best other one (`to` null)."""
        try:
            return jsonify(ok=True, assigned=reassign(review(), body["ids"], by=current_member(), to=body["to"]))
        except Refusal as refusal:
            return _refused(refusal, 422)


@blp.route("/dashboard")
class Dashboard(MethodView):
    @blp.alt_response(200, description="各业务领域的待办数量（JSON）")
    @member_required()
    def get(self):
        """Counts per business domain and state, of what the caller may see."""
        with reading(review().sessions) as session:
            counts = counts_by_domain_and_state(session, current_member())
        return jsonify(ok=True, counts=[{"domain": d, "state": s, "count": n} for (d, s), n in sorted(counts.items())])


@blp.route("/shortlists/<domain>")
class Shortlist(MethodView):
    @member_required(Role.BRANCH, Role.SECRETARIAT, Role.AUDITOR)
    def get(self, domain: str):
        """A domain's approved nominations, R10 media-honour priority first, with their shortlist state."""
        member = current_member()
        if domain not in review().campaign.domains:
            return _refused(Refusal("活动没有这个业务领域"), 404)
        if not member.covers(domain):
            return _refused(Refusal("不是您负责的业务领域"), 403)
        with reading(review().sessions) as session:
            entries = shortlist_entries(session, member, domain)
        return jsonify(ok=True, domain=domain, entries=[e.__dict__ for e in entries])


@blp.route("/staff")
class Staff(MethodView):
    @blp.alt_response(200, description="工作人员及其角色（JSON）")
    @member_required(Role.SECRETARIAT, Role.AUDITOR)
    def get(self):
        """Every person review knows, with role, domains, unit and organisation."""
        with reading(review().sessions) as session:
            people = all_members(session)
        return jsonify(ok=True, staff=[{**p.__dict__, "role": p.role.value, "domains": list(p.domains)} for p in people])


@blp.route("/audit/verify")
class AuditVerify(MethodView):
    @blp.alt_response(200, description="审计链校验结果：ok、checked、broken_at、problem（JSON）")
    @member_required(Role.SECRETARIAT, Role.AUDITOR)
    def get(self):
        """Walks the audit trail's hash chain."""
        verdict = verify_trail(review().engine)
        return jsonify(ok=verdict.ok, checked=verdict.checked, broken_at=verdict.broken_at, problem=verdict.problem)


def register(app, csrf) -> None:
    app.config.update(API_TITLE="Tuiju review API", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json")
    from services.review.entrypoints import api_committee

    api = TuijuApi(app)
    for blueprint in (blp, api_committee.blp):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
