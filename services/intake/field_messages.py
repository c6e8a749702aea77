"""The form's field messages as codes with parameters: `field_problem("person.phone", "intake.hint.phone")`
reads `联系电话：请输入 11 位手机号码…` in Chinese and `Phone: please enter an 11-digit mobile number…` in
English. The label is the field's (`intake.field.<path>`), the hint one of the catalogs' `intake.hint.*`."""
from __future__ import annotations

from marshmallow import ValidationError, validate

from shared.i18n import Message, message


def label(path: str) -> Message:
    """A field's name as the form shows it (`person.phone` -> 联系电话)."""
    return message(f"intake.field.{path}")


def field_problem(path: str, hint: str, /, **params) -> Message:
    return message("intake.field_problem", label=label(path), hint=message(hint, **params))


def field_messages(path: str, invalid_hint: str, /, **params) -> dict[str, list[Message]]:
    """A Marshmallow field's error_messages (lists, so that Marshmallow keeps the Message as it is)."""
    required = [field_problem(path, "intake.hint.required")]
    return {"required": required, "null": required, "invalid": [field_problem(path, invalid_hint, **params)]}


def honour_row_problem(row: int, problem: Message) -> Message:
    """A problem of one media honour names its row: `第 2 项表彰·颁发单位：必填`."""
    return message("intake.honour_row_problem", row=row, problem=problem)


class _Refusing:
    """A Marshmallow validator whose refusal is a Message (a list, so that Marshmallow keeps it as it is);
    subclasses of Marshmallow's own, so that the OpenAPI document still states the limits."""

    problem: Message

    def _format_error(self, *_args) -> list[Message]:
        return [self.problem]


class Length(_Refusing, validate.Length):
    def __init__(self, problem: Message, **kwargs):
        super().__init__(**kwargs)
        self.problem = problem


class Regexp(_Refusing, validate.Regexp):
    def __init__(self, pattern: str, problem: Message):
        super().__init__(pattern)
        self.problem = problem


class OneOf(_Refusing, validate.OneOf):
    def __init__(self, choices, problem: Message):
        super().__init__(choices)
        self.problem = problem


def refused(problem: Message) -> ValidationError:
    return ValidationError([problem])


class Range(_Refusing, validate.Range):
    def __init__(self, problem: Message, **kwargs):
        super().__init__(**kwargs)
        self.problem = problem
