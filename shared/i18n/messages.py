"""The plain values a rule returns instead of text: no I/O, no Flask, no catalog."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Message:
    """A message by its code. `params` may hold other Messages, lists of them (joined as the language
    joins a list) and LocalTime values. `default` is the Chinese text when it comes from data (a campaign's
    name of an upload kind, a field's label): Chinese shows it, another language its catalog entry if any."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)
    default: str | None = None

    def __str__(self) -> str:  # logs and exception texts, never shown to a user
        if not self.code:
            return self.default or ""
        return f"{self.code} {dict(self.params)}" if self.params else self.code


def message(code: str, /, **params) -> Message:
    return Message(code, params)


def term(code: str, chinese: str) -> Message:
    """A name taken from data (`chinese`), translated where its catalog knows `code`."""
    return Message(code, {}, chinese)


@dataclass(frozen=True)
class LocalTime:
    """An instant as the campaign's clock shows it (`北京时间 2023年2月28日 23:59:59`)."""

    instant: datetime
    zone: str


def as_plain(value: object) -> object:
    """A Message (with its parameters) as JSON-ready values, to store or publish it and render it later."""
    if isinstance(value, Message):
        plain = {"code": value.code, "params": {name: as_plain(param) for name, param in value.params.items()}}
        return {**plain, "default": value.default} if value.default is not None else plain
    if isinstance(value, (list, tuple)):
        return [as_plain(item) for item in value]
    return value


def from_plain(value: object) -> object:
    """The Message `as_plain` made (a dict with a code), or the plain value itself."""
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        params = value.get("params") if isinstance(value.get("params"), dict) else {}
        return Message(value["code"], {name: from_plain(param) for name, param in params.items()}, value.get("default"))
    if isinstance(value, list):
        return [from_plain(item) for item in value]
    return value
