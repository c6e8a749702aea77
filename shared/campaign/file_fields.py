"""The field types of a campaign file's schema, each refusing in both languages (`必填 / is required`)."""
from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, validate

from shared.campaign.zones import zone_named

REQUIRED = "必填 / is required"
NOT_NULL = "不能为空 / must not be empty"
UNKNOWN = "不认识的字段 / unknown field"
MAPPING = "必须是键值映射 / must be a mapping"
LIST = "必须是列表 / must be a list"
TEXT = "必须是非空文字 / must be non-empty text"
POSITIVE_INT = "必须是正整数 / must be a positive integer"
NON_NEGATIVE_INT = "必须是非负整数 / must be a non-negative integer"
BOOLEAN = "必须是 true 或 false / must be true or false"
CODE = "只能用小写字母、数字、下划线和连字符 / only lowercase letters, digits, _ and -"
DATETIME = "必须是日期和时刻，如 2023-02-28 23:59:59 / must be a date and time like 2023-02-28 23:59:59"
TIME_ZONE = "不是有效的时区名称，如 Asia/Shanghai / is not a valid time zone like Asia/Shanghai"


class LocalDateTime(fields.Field):
    """A date and time, as YAML gives it (datetime) or as text; naive means the campaign's time zone."""

    default_error_messages = {"invalid": DATETIME, "required": REQUIRED, "null": NOT_NULL}

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        if isinstance(value, datetime):
            return value
        if isinstance(value, date) or not isinstance(value, str):
            raise self.make_error("invalid")
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise self.make_error("invalid") from error


def text_field(**kwargs) -> fields.String:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": TEXT}
    return fields.String(validate=validate.Length(min=1, error=TEXT), error_messages=messages, **kwargs)


def code_field(**kwargs) -> fields.String:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": CODE}
    rule = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,62}$", error=CODE)
    return fields.String(validate=rule, error_messages=messages, **kwargs)


def whole_number(minimum: int, **kwargs) -> fields.Integer:
    message = POSITIVE_INT if minimum >= 1 else NON_NEGATIVE_INT
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": message}
    return fields.Integer(
        strict=True, validate=validate.Range(min=minimum, error=message), error_messages=messages, **kwargs
    )


def list_of(inner: fields.Field, **kwargs) -> fields.List:
    messages = {"required": REQUIRED, "null": NOT_NULL, "invalid": LIST}
    return fields.List(inner, error_messages=messages, **kwargs)


def nested(schema: type[Schema], **kwargs) -> fields.Nested:
    return fields.Nested(schema, error_messages={"required": REQUIRED, "null": NOT_NULL, "type": MAPPING}, **kwargs)


def one_of(choices: tuple[str, ...], **kwargs) -> fields.String:
    message = f"必须是 {' / '.join(choices)} 之一 / must be one of {', '.join(choices)}"
    return fields.String(
        validate=validate.OneOf(choices, error=message),
        error_messages={"required": REQUIRED, "null": NOT_NULL, "invalid": message},
        **kwargs,
    )


def boolean(**kwargs) -> fields.Boolean:
    return fields.Boolean(error_messages={"invalid": BOOLEAN, "null": NOT_NULL}, **kwargs)


def check_time_zone(name: str) -> None:
    if zone_named(name) is None:
        raise ValidationError(TIME_ZONE)


class StrictSchema(Schema):
    error_messages = {"unknown": UNKNOWN, "type": MAPPING}
