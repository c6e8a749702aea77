"""Between HTML forms and the nomination's nested data: dotted field names in, nested dicts out."""
from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from services.intake.schemas.problems import page_position

_INDEX = re.compile(r"^\d+$")


def unflatten(form: MultiDict, allowed_roots: tuple[str, ...]) -> dict:
    """{"person.name": "张三", "team.members.0.name": "李四"} -> {"person": {"name": "张三"}, "team": {"members": [...]}}"""
    nested: dict = {}
    for dotted, value in form.items():
        path = dotted.split(".")
        if path[0] not in allowed_roots:
            continue
        _put(nested, path, value.strip())
    return _lists(nested)


def _put(tree: dict, path: list[str], value: str) -> None:
    for step in path[:-1]:
        tree = tree.setdefault(step, {})
    tree[path[-1]] = value


def _lists(tree):
    """Dicts whose keys are all indices become lists, in index order, without rows left entirely blank."""
    if not isinstance(tree, dict):
        return tree
    converted = {key: _lists(value) for key, value in tree.items()}
    if converted and all(_INDEX.match(key) for key in converted):
        rows = [converted[key] for key in sorted(converted, key=int)]
        return [row for row in rows if not _blank(row)]
    return converted


def _blank(value) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    return value in ("", None)


def errors_by_field(problems: list[tuple[str, str]]) -> dict[str, str]:
    """The first message for each field path, in the order the fields are on the page."""
    errors: dict[str, str] = {}
    for path, message in sorted(problems, key=lambda problem: page_position(problem[0])):
        errors.setdefault(path, message)
    return errors
