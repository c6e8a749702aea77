"""The Marshmallow schemas of the archive's JSON API: its arguments (refused with a reason in Chinese, 422)
and its answers, from which flask-smorest writes the OpenAPI document (/api/v1/openapi.json)."""
from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, fields, validate

from services.archive.domain.nominations import OUTCOMES
from services.archive.service_layer.search import MAX_TEXT
from shared.api import IDENTIFIER as IDENTIFIER_PATTERN, PRINTABLE

IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def binary(media_type: str, description: str) -> dict:
    """An answer that is a file (documented by hand: flask-smorest's schemas are JSON)."""
    return {"description": description, "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}


class _Args(Schema):
    class Meta:
        unknown = EXCLUDE  # a link may carry more (a page's own parameters); only these are read


def _text(description: str, limit: int = MAX_TEXT) -> fields.String:
    return fields.String(load_default="", validate=[validate.Length(max=limit, error=f"不超过 {limit} 个字"), PRINTABLE],
                         metadata={"description": description})


class CampaignArgs(_Args):
    campaign = fields.String(validate=validate.Regexp(IDENTIFIER, error="活动编号格式不正确（字母、数字与 _.:@-，至多 100 个）"),
                             metadata={"description": "活动编号；不填为当前活动"})


class DomainFilesArgs(CampaignArgs):
    domain = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT, error="请选择本活动的业务领域"),
                           error_messages={"required": "请选择本活动的业务领域"},
                           metadata={"description": "本活动的业务领域（名称）"})


class SearchArgs(_Args):
    name = _text("姓名或团队名称的一部分")
    unit = _text("单位名称的一部分")
    year = fields.Integer(load_default=None, validate=validate.Range(min=1990, max=2100, error="年度应为 1990–2100"),
                          error_messages={"invalid": "年度应为四位数字"}, metadata={"description": "活动年度"})
    domain = _text("业务领域（名称）")
    outcome = fields.String(load_default="", validate=validate.OneOf([*OUTCOMES, ""], error="结果应为 " + "、".join(OUTCOMES)),
                            metadata={"description": "结果：" + "，".join(f"{k} {v}" for k, v in OUTCOMES.items())})


class EventsOut(Schema):
    ok = fields.Boolean()
    events = fields.List(fields.Dict(), metadata={"description": "该编号的每条事件（信封：id、type、occurred_at、payload…），按发生顺序"})


class StatisticsOut(Schema):
    ok = fields.Boolean()
    campaign_id = fields.String()
    tables = fields.Dict(keys=fields.String(), values=fields.List(fields.List(fields.Raw())),
                         metadata={"description": "每张统计表：[[标签, 数量], …]（业务领域、省份、推荐渠道、推荐单位、阶段、异议）"})


class SearchResult(Schema):
    name = fields.String()
    unit = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    campaign_name = fields.String(allow_none=True)
    domain = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True, metadata={"description": "结果（中文）"})
    nomination_id = fields.String(allow_none=True, metadata={"description": "本系统的申报；往届导入的获评者为 null"})


class SearchOut(Schema):
    ok = fields.Boolean()
    results = fields.List(fields.Nested(SearchResult), metadata={"description": "至多 200 条"})


class ImportIn(Schema):
    token = fields.String(required=True, metadata={"description": "预览时返回的 token"})


class PreviewCounts(Schema):
    rows = fields.Integer()
    new = fields.Integer()
    already_recorded = fields.Integer()
    problems = fields.Integer()


class PreviewProblem(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "文件中的行号（表头为第 1 行）"})
    message = fields.String()


class PreviewRecord(Schema):
    kind = fields.String(metadata={"description": "person 或 team"})
    name = fields.String()
    unit = fields.String(allow_none=True)
    domain = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    campaign_name = fields.String(allow_none=True)
    phone_recorded = fields.Boolean(metadata={"description": "是否记有手机号（号码本身不返回）"})
    status = fields.String(metadata={"description": "new 或 already_recorded"})


class PreviewOut(Schema):
    ok = fields.Boolean()
    token = fields.String(allow_none=True, metadata={"description": "确认导入用；文件有问题时为 null"})
    importable = fields.Boolean()
    counts = fields.Nested(PreviewCounts)
    problems = fields.List(fields.Nested(PreviewProblem))
    records = fields.List(fields.Nested(PreviewRecord), metadata={"description": "至多 5,000 行"})


class ImportedOut(Schema):
    ok = fields.Boolean()
    imported = fields.Integer()


UPLOAD = {"required": True, "description": "名单文件：multipart 字段 file，或以文件本身为请求体（CSV，UTF-8 或 GBK；或 .xlsx），至多 5 MB",
          "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
                          "file": {"type": "string", "format": "binary"}}}},
                      "text/csv": {"schema": {"type": "string"}},
                      XLSX: {"schema": {"type": "string", "format": "binary"}}}}
