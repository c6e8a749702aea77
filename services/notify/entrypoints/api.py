"""Notify's read-only JSON API for staff: the messages recorded, each with its delivery state, and the messages
about one nomination (what its dossier's messages/sent.json is made from, before the dossier exists).
Signed in as for the admin pages (a session, or a bearer token of audience tuiju-notify); the secretariat and
auditors (it changes nothing). A message's body is shown without its private links, as on the admin pages;
its stored values (`context`, which hold those links) are never shown. OpenAPI 3 at /api/v1/openapi.json."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import current_app
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from services.notify.adapters.orm import MESSAGE_STATES, messages, nominations
from services.notify.domain.failures import FAILURE_LABELS
from services.notify.domain.private_links import without_private_links
from services.notify.service_layer import admin
from shared.api import IDENTIFIER, PRINTABLE, api_beside_pages, refused, refusals as document_refusals
from shared.auth import protect_blueprint
from shared.db import reading

blp = Blueprint("notify_api", __name__, url_prefix="/api/v1",
                description="通知 / notify: the messages recorded and their delivery (read only; secretariat, auditor)")
protect_blueprint(blp, "secretariat", "auditor")
REFUSALS = {401: "未登录或令牌无效", 403: "没有查看的权限（需 secretariat 或 auditor）", 404: "没有这一项"}
ID = re.compile(IDENTIFIER)
MAX_MESSAGES = 1000  # of one nomination: a few dozen in a campaign; more would be a fault worth seeing


def refusals(*statuses: int):
    return document_refusals(blp, REFUSALS, *statuses)


class MessagesArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    state = fields.String(load_default="", validate=validate.OneOf([*MESSAGE_STATES, ""], error="状态应为 held、pending、sent 或 failed"),
                          metadata={"description": "held 暂缓待放行、pending 待发送、sent 已发送、failed 失败"})
    failure = fields.String(load_default="", validate=validate.OneOf([*FAILURE_LABELS, ""], error="失败原因应为 " + "、".join(FAILURE_LABELS)),
                            metadata={"description": "失败原因：" + "，".join(f"{k} {v}" for k, v in FAILURE_LABELS.items())})
    template = fields.String(load_default="", validate=[validate.Length(max=60, error="不超过 60 个字符"), PRINTABLE],
                             metadata={"description": "消息模板，如 received、returned"})
    nomination_id = fields.String(load_default="", validate=[validate.Length(max=64, error="不超过 64 个字符"), PRINTABLE],
                                  metadata={"description": "申报编号（2022-00042，或只写 42）或申报的 id"})
    recipient = fields.String(load_default="", validate=[validate.Length(max=100, error="不超过 100 个字符"), PRINTABLE],
                              metadata={"description": "收件地址或收件人姓名的一部分"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10000, error="页码应为 1–10000"),
                          error_messages={"invalid": "页码应为整数"})
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100, error="每页 1–100 条"),
                              error_messages={"invalid": "每页条数应为整数"})


class MessageOut(Schema):
    id = fields.String()
    nomination_id = fields.String(allow_none=True)
    reference = fields.String(allow_none=True, metadata={"description": "申报编号"})
    campaign_id = fields.String(allow_none=True)
    cause_event_type = fields.String(metadata={"description": "引起这条消息的事件（或提醒）"})
    template = fields.String()
    recipient_kind = fields.String(metadata={"description": "contact、nominee、recommender、reviewer…"})
    recipient_name = fields.String()
    address = fields.String(metadata={"description": "邮箱或手机号（清除个人信息后为空）"})
    channel = fields.String(metadata={"description": "email 或 sms"})
    lang = fields.String()
    subject = fields.String()
    state = fields.String(metadata={"description": "held、pending、sent、failed"})
    attempts = fields.Integer()
    failure = fields.String(allow_none=True, metadata={"description": "失败原因代码（失败时）"})
    last_error = fields.String(allow_none=True)
    resend_of = fields.String(allow_none=True, metadata={"description": "重发时：原消息的 id"})
    released_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)


class MessageDetailOut(MessageOut):
    body = fields.String(metadata={"description": "发出的正文，专属链接已隐藏"})
    provider_answer = fields.String(allow_none=True, metadata={"description": "邮件或短信服务商的回答"})
    resends = fields.List(fields.String(), metadata={"description": "重发这条消息的新消息 id"})


class MessagePageOut(Schema):
    ok = fields.Boolean()
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "全部消息按状态计数"})
    messages = fields.List(fields.Nested(MessageOut), metadata={"description": "新的在前"})


class OneMessageOut(Schema):
    ok = fields.Boolean()
    message = fields.Nested(MessageDetailOut)


class NominationMessagesOut(Schema):
    ok = fields.Boolean()
    nomination_id = fields.String()
    reference = fields.String(allow_none=True, metadata={"description": "申报编号"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "这些消息按状态计数"})
    messages = fields.List(fields.Nested(MessageOut), metadata={"description": "按记录先后"})


def _notify():
    return current_app.extensions["notify"]


@blp.route("/messages", methods=["GET"])
@blp.arguments(MessagesArgs, location="query")
@blp.response(200, MessagePageOut)
@refusals(401, 403)
def message_list(args: dict):
    """Every message, newest first, with the admin page's filters; and how many there are in each state."""
    page, per_page = args.pop("page"), args.pop("per_page")
    with reading(_notify().sessions) as db:
        rows, total = admin.find_messages(db, admin.MessageFilter(**args), per_page, (page - 1) * per_page)
        counts = admin.counts_by_state(db)
    return {"ok": True, "total": total, "page": page, "pages": max(1, -(-total // per_page)), "counts": counts,
            "messages": [row._mapping for row in rows]}


@blp.route("/messages/<message_id>", methods=["GET"])
@blp.response(200, OneMessageOut)
@refusals(401, 403, 404)
def message_detail(message_id: str):
    """One message as sent (its private links hidden), the provider's answer, and the messages that resent it."""
    message, resends = None, []
    if ID.match(message_id):
        with reading(_notify().sessions) as db:
            message, resends, _ = admin.message_with_resends(db, message_id)
    if message is None:
        return refused("没有这条消息", "not_found", 404)
    return {"ok": True, "message": {**message._mapping, "body": without_private_links(message.body, message.context),
                                    "resends": [r.id for r in resends]}}


@blp.route("/nominations/<nomination_id>/messages", methods=["GET"])
@blp.response(200, NominationMessagesOut)
@refusals(401, 403, 404)
def nomination_messages(nomination_id: str):
    """The messages about one nomination (its id, or its 申报编号), oldest first, each with its delivery state."""
    with reading(_notify().sessions) as db:
        named = _nomination_named(db, nomination_id) if ID.match(nomination_id) else None
        if named is None:
            return refused("通知服务没有这份申报的记录", "not_found", 404)
        rows = db.execute(sa.select(messages).where(messages.c.nomination_id == named[0])
                          .order_by(messages.c.created_at, messages.c.id).limit(MAX_MESSAGES)).all()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    return {"ok": True, "nomination_id": named[0], "reference": named[1] or None, "counts": counts,
            "messages": [row._mapping for row in rows]}


def _nomination_named(db, text: str) -> tuple[str, str | None] | None:
    """(id, 申报编号) of the nomination `text` names, by its id first, then by its 申报编号 (the newest such)."""
    for column in ("nomination_id", "reference"):
        found = db.execute(sa.select(nominations.c.nomination_id, nominations.c.reference)
                           .where(nominations.c[column] == text).order_by(nominations.c.updated_at.desc())).first()
        found = found or db.execute(sa.select(messages.c.nomination_id, messages.c.reference)
                                    .where(messages.c[column] == text).order_by(messages.c.created_at.desc())).first()
        if found is not None and found[0]:
            return found[0], found[1]
    return None


def register(app, csrf) -> None:
    """The API and its OpenAPI document (public like the other services': it holds no data); the admin pages'
    errors stay their own."""
    api_beside_pages(app, "Tuiju notify API").register_blueprint(blp)
    csrf.exempt(blp)  # GETs only
