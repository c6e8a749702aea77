"""The JSON API: the same operations as the pages (drafts, uploads, submit, status, withdraw), for a
provincial association's own system. OpenAPI at /api/v1/openapi.json, generated from the same
Marshmallow schemas the form uses."""
from __future__ import annotations

import uuid

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.intake.adapters.links import BadLink, nomination_from_token, nomination_token
from services.intake.domain import limits
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.client_fields import NotClientWritable
from services.intake.entrypoints.language import refusal_text, refusal_texts, said
from shared.api import TuijuApi
from shared.i18n import message
from shared.storage import ObjectTooLarge
from services.intake.field_messages import Length, field_problem
from services.intake.schemas import nomination_schema
from services.intake.schemas.problems import flatten_errors
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import contacts
from services.intake.service_layer import organisations as accounts
from services.intake.service_layer import submission
from services.intake.service_layer.errors import FormInvalid
from services.intake.service_layer.views import nomination_view

blp = Blueprint("api", __name__, url_prefix="/api/v1/nominations",
                description="申报：草稿、上传、提交、状态 / nominations: drafts, uploads, submit, status")


def _at_most(path: str, max_chars: int) -> validate.Length:
    return Length(field_problem(path, "intake.hint.max_chars", max=max_chars), max=max_chars)


class _BodySchema(Schema):
    """A request body: unknown fields are refused, every text has a limit."""

    error_messages = {"unknown": message("intake.hint.not_in_form"), "type": message("intake.body_not_object")}


class StartSchema(_BodySchema):
    channel = fields.String(required=True, validate=_at_most("channel", limits.CODE_MAX_CHARS),
                            metadata={"description": "推荐渠道，如 self、local_association"})
    nominee_kind = fields.String(required=True, validate=_at_most("nominee_kind", limits.CODE_MAX_CHARS),
                                 metadata={"description": "person 或 team"})
    form = fields.Dict(load_default=None, metadata={
        "description": "可选：草稿内容（与 PATCH 保存草稿的请求体相同），开始时一并保存，省一次请求"})


class CreatedSchema(Schema):
    id = fields.String()
    token = fields.String(metadata={"description": "本申报的访问令牌，后续请求的路径参数"})
    status_url = fields.String()
    problems = fields.List(fields.Nested("ProblemSchema"), metadata={"description": "随 form 提交时：仍需修改的问题"})


class ProblemSchema(Schema):
    field = fields.String()
    message = fields.String()


class SavedSchema(Schema):
    saved = fields.Boolean()
    problems = fields.List(fields.Nested(ProblemSchema))


class FileSchema(Schema):
    id = fields.String()
    kind = fields.String()
    filename = fields.String()
    size = fields.Integer()
    status = fields.String()
    verdict = fields.String(allow_none=True)
    reasons = fields.List(fields.String())


class StatusSchema(Schema):
    id = fields.String()
    reference = fields.String(metadata={"description": "申报编号（如 2022-00042），咨询秘书处时提供"})
    state = fields.String()
    state_name = fields.String()
    version = fields.Integer()
    data = fields.Dict()
    files = fields.List(fields.Nested(FileSchema))
    problems = fields.List(fields.Nested(ProblemSchema))
    upload_problems = fields.List(fields.String())
    rule_problems = fields.List(fields.String(), metadata={"description": "提交前须处理的活动规则问题（如分支机构推荐的单位不在委员单位名单中）"})
    correction_deadline = fields.String(allow_none=True)
    open_fields = fields.List(fields.String())
    open_files = fields.List(fields.String())
    contact_verified = fields.Boolean(metadata={"description": "联系人邮箱是否已验证（验证前不发送提醒）"})
    submitted_at = fields.String(allow_none=True, metadata={"description": "提交时间（北京时间）：截止前提交即有效，文件检查稍后完成也不影响"})
    replaceable_kinds = fields.List(fields.String(), metadata={
        "description": "已提交后检查未通过或需要注意、仍可更换的材料类别（上传同类新文件即更换）"})
    replace_until = fields.String(allow_none=True, metadata={"description": "上述材料可更换至何时"})
    review_stage = fields.String(allow_none=True, metadata={
        "description": "评审的决定使申报到达的环节：approved 材料审核通过、shortlisted 已入围、not_shortlisted 未入围、"
                       "candidate 已确定为候选人、not_selected 未确定为候选人、honouree 获得通报表扬；此后材料不能再更换"})
    review_stage_name = fields.String(allow_none=True)


class SubmitSchema(_BodySchema):
    submit_key = fields.String(load_default=None, validate=_at_most("submit_key", limits.SUBMIT_KEY_MAX_CHARS),
                               metadata={"description": "幂等键：重复提交同一键不会重复申报"})
    seal_confirmed = fields.Boolean(load_default=False, metadata={
        "description": "未检测到公章时，申请人确认报名表已加盖单位公章（秘书处将在材料审核时核对）"})


class WithdrawSchema(_BodySchema):
    reason = fields.String(load_default="", validate=_at_most("reason", limits.REASON_MAX_CHARS),
                           metadata={"description": f"撤回原因，最多 {limits.REASON_MAX_CHARS} 个字"})


class ApiErrorSchema(Schema):
    ok = fields.Boolean()
    error = fields.String()
    code = fields.String()
    errors = fields.List(fields.Nested(ProblemSchema))


def intake():
    return current_app.extensions["intake"]


def _id(token: str) -> str:
    try:
        return nomination_from_token(intake().settings.secret_key, token)
    except BadLink as bad:
        raise ApiError(bad.refusal, "bad_token", 404) from None


class ApiError(Exception):
    """`refused`: a Refusal, a Message, or a text (rendered with refusal_text)."""

    def __init__(self, refused, code: str, status: int, errors: list | None = None):
        super().__init__(str(refused))
        self.refused, self.code, self.status, self.errors = refused, code, status, errors or []


def _problems(pairs) -> list[dict]:
    return [{"field": path, "message": refusal_text(message)} for path, message in pairs]


def _file(view) -> dict:
    return {**view.__dict__, "reasons": refusal_texts(view.reasons)}


def _status(view) -> dict:
    """A nomination's status view as the API answers it (StatusSchema)."""
    return {**view.__dict__, "files": [_file(f) for f in view.files], "problems": _problems(view.problems),
            "upload_problems": refusal_texts(view.upload_problems), "rule_problems": refusal_texts(view.rule_problems),
            "review_stage_name": view.review_stage_name}


def _organisation_id() -> str | None:
    auth = request.authorization
    if auth is None:
        return None
    try:
        return accounts.authenticate(intake(), auth.username or "", auth.password or "")
    except IntakeRefusal as refusal:
        raise ApiError(refusal, "unauthorised", 401) from None


@blp.route("")
class Nominations(MethodView):
    @blp.arguments(StartSchema)
    @blp.response(201, CreatedSchema)
    @blp.alt_response(400, schema=ApiErrorSchema)
    def post(self, body):
        """开始一份申报（草稿），可同时带上草稿内容（form）。组织推荐请用推荐单位的邮箱和密码作 HTTP Basic 认证。"""
        start = dict(channel=body["channel"], nominee_kind=body["nominee_kind"], organisation_id=_organisation_id())
        if body["form"] is None:
            nomination_id, answer = _call(use_cases.start_nomination, intake(), **start), {}
        else:
            nomination_id, problems = _call(use_cases.start_with_form, intake(), body["form"], **start)
            answer = {"problems": _problems(problems)}
        return {"id": nomination_id, "token": nomination_token(intake().settings.secret_key, nomination_id),
                "status_url": intake().status_url(nomination_id), **answer}


@blp.route("/<token>")
class Nomination(MethodView):
    @blp.response(200, StatusSchema)
    def get(self, token):
        """申报的状态、内容、文件检查结果和尚需处理的问题。"""
        return _status(nomination_view(intake(), _id(token)))

    @blp.doc(requestBody={"content": {"application/json": {"schema": "Nomination"}}})
    @blp.response(200, SavedSchema)
    @blp.alt_response(409, schema=ApiErrorSchema)
    def patch(self, token):
        """保存草稿：提交的字段合并进草稿（即使有误也会保存），返回仍需修改的问题。"""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError(message("intake.body_not_object"), "bad_json", 400)
        problems = _call(use_cases.save_draft, intake(), _id(token), body)
        return {"saved": True, "problems": _problems(problems)}


class VerificationSentSchema(Schema):
    sent_to = fields.String(metadata={"description": "验证邮件的收件地址"})


@blp.route("/<token>/contact/verification")
class ContactVerification(MethodView):
    @blp.response(202, VerificationSentSchema)
    @blp.alt_response(409, schema=ApiErrorSchema)
    def post(self, token):
        """向联系人邮箱发送验证链接（每份申报最多 5 次）。邮箱验证前不发送任何提醒或短信；验证后联系人会收到本申报的专属链接。"""
        return {"sent_to": _call(contacts.request_verification, intake(), _id(token))}


@blp.route("/<token>/submit")
class Submit(MethodView):
    @blp.arguments(SubmitSchema)
    @blp.response(200, StatusSchema)
    @blp.alt_response(422, schema=ApiErrorSchema)
    def post(self, body, token):
        """提交（或按退回意见重新提交）。文件仍在检查中时答 409（code ScansPending，稍候重试），但截止前一段时间内
        或检查积压时不等待：申报按提交时刻记录，文件稍后检查，未通过的文件可在 replace_until 前更换；有文件已未通过
        检查时答 409（FilesRefused）；报名表未检测到公章时须 seal_confirmed=true（SealNotConfirmed）。"""
        view = _call(submission.send_and_view, intake(), _id(token), body["submit_key"] or str(uuid.uuid4()),
                     seal_confirmed=body["seal_confirmed"])  # the status view read in the send's transaction
        return _status(view)


@blp.route("/<token>/withdraw")
class Withdraw(MethodView):
    @blp.arguments(WithdrawSchema)
    @blp.response(200, StatusSchema)
    def post(self, body, token):
        """撤回申报；组织推荐的名额随之释放。"""
        _call(use_cases.withdraw, intake(), _id(token), by="api", reason=body["reason"])
        return Nomination().get(token)


def _call(action, *args, **kwargs):
    try:
        return action(*args, **kwargs)
    except NotClientWritable as refused:
        problems = _problems((field, refused) for field in refused.fields)
        raise ApiError(refused, "not_writable", 422, problems) from None
    except limits.InputTooLong as too_long:
        raise ApiError(too_long, "too_long", 422, _problems([(too_long.field, too_long)])) from None
    except FormInvalid as invalid:
        raise ApiError(invalid, "form_invalid", 422, _problems(invalid.errors)) from None
    except IntakeRefusal as refusal:
        problems = _problems(("files", m) for m in getattr(refusal, "problems", []))
        raise ApiError(refusal, type(refusal).__name__, 409, problems) from None
    except ObjectTooLarge as too_large:
        raise ApiError(message("intake.file_over_limit", max=too_large.limit // 1048576), "invalid", 400) from None
    except ValueError as error:
        raise ApiError(str(error), "invalid", 400) from None


def register(app, csrf) -> None:
    app.config.update(API_TITLE="Tuiju intake API", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json")
    api = TuijuApi(app)
    campaign = app.extensions["intake"].campaign
    api.spec.components.schema("Nomination", schema=type(nomination_schema(campaign, draft=True)))
    from services.intake.entrypoints import api_direct_uploads, api_uploads  # noqa: F401 - their routes join blp
    api.register_blueprint(blp)
    csrf.exempt(blp)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return {"ok": False, "error": refusal_text(error.refused), "code": error.code, "errors": error.errors}, error.status

    @app.errorhandler(422)
    def body_invalid(error):
        """A request body its schema refused (webargs): the same shape as every other refusal."""
        messages = (getattr(error, "data", None) or {}).get("messages", {})
        problems = _problems(flatten_errors(messages.get("json", messages)))
        return {"ok": False, "error": said("intake.body_problems", count=len(problems)), "code": "invalid_body",
                "errors": problems}, 422
