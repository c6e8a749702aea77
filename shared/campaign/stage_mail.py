"""Whom notify tells of a stage change, as the campaign file says (`stage_mail`): for a stage's opening or
close, the audiences that receive one mail when review's scheduler announces it.

    stage_mail:
      submission: {closed: [organisations]}
      review: {opened: [reviewers], closed: [reviewers]}
"""
from collections.abc import Iterator

from marshmallow import Schema, fields, validate

OPENED, CLOSED = "opened", "closed"
ORGANISATIONS, REVIEWERS = "organisations", "reviewers"
AUDIENCES = (ORGANISATIONS, REVIEWERS)

AUDIENCE = f"必须是 {' / '.join(AUDIENCES)} 之一 / must be one of {', '.join(AUDIENCES)}"
AUDIENCE_LIST = "必须是列表 / must be a list"


def _audiences() -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(AUDIENCES, error=AUDIENCE), error_messages={"invalid": AUDIENCE}),
        load_default=list, error_messages={"invalid": AUDIENCE_LIST, "null": AUDIENCE_LIST})


class StageMailSchema(Schema):
    error_messages = {"unknown": "不认识的字段 / unknown field", "type": "必须是键值映射 / must be a mapping"}

    opened = _audiences()
    closed = _audiences()


def stage_mail_field() -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Nested(StageMailSchema), load_default=dict,
                       error_messages={"invalid": "必须是键值映射 / must be a mapping"})


def stage_mail_from_data(data: dict) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """((stage, opened|closed, audiences), ...) for every change that has audiences."""
    return tuple((stage, kind, tuple(dict.fromkeys(audiences)))
                 for stage, changes in data.items() for kind, audiences in sorted(changes.items()) if audiences)


def stage_mail_problems(data: dict) -> Iterator[tuple[str, str]]:
    codes = {stage.get("code") for stage in data.get("stages") or []}
    for stage in data.get("stage_mail") or {}:
        if stage not in codes:
            yield f"stage_mail.{stage}", f"活动没有“{stage}”阶段 / the campaign has no stage {stage}"
