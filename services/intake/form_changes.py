"""Which fields of the form an edit really changes, read as the form's schema reads them.

A submitted nomination holds its form as the schema dumped it (`45`, `中国共产党党员`, blanks left out),
while a page posts back what its inputs hold (`"45"`, `中共党员`, `""`): the same answers, which must not
count as changes when a returned nomination may only change the fields the review opened."""
from __future__ import annotations

from copy import deepcopy

from marshmallow import ValidationError, fields

from services.intake.schemas import nomination_schema
from shared.campaign.model import Campaign

_MISSING = object()


def changed_form_fields(campaign: Campaign, before: dict, after: dict) -> list[str]:
    """Dotted paths whose values differ between two versions of the form, each value normalised by its
    field (a value its field refuses is compared as it is; blank, empty and missing are the same)."""
    schema = nomination_schema(campaign, draft=True)
    return [path for path in _raw_changes(before, after)
            if _normalised(schema, path, _at(before, path)) != _normalised(schema, path, _at(after, path))]


def with_values_at(before: dict, after: dict, paths: list[str]) -> dict:
    """`before` with the values `after` has at `paths` (a path `after` lacks is removed)."""
    result = deepcopy(before)
    for path in paths:
        *parents, last = path.split(".")
        target = result
        for step in parents:
            if not isinstance(target.get(step), dict):
                target[step] = {}
            target = target[step]
        value = _at(after, path)
        if value is _MISSING:
            target.pop(last, None)
        else:
            target[last] = deepcopy(value)
    return result


def _raw_changes(before, after, prefix: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        paths = []
        for key in sorted(set(before) | set(after)):
            paths += _raw_changes(before.get(key, _MISSING), after.get(key, _MISSING), f"{prefix}{key}.")
        return paths
    return [] if before == after else [prefix.rstrip(".")]


def _at(data, path: str):
    for step in path.split("."):
        if not isinstance(data, dict) or step not in data:
            return _MISSING
        data = data[step]
    return data


def _normalised(schema, path: str, value):
    if _blank(value):
        return None
    field = _field_at(schema, path)
    if field is None:
        return value
    try:
        return field._serialize(field.deserialize(value), path, {})
    except (ValidationError, TypeError, ValueError):
        return value


def _field_at(schema, path: str) -> fields.Field | None:
    field = None
    for step in path.split("."):
        if field is not None:
            if not isinstance(field, fields.Nested):
                return None
            schema = field.schema
        field = schema.fields.get(step)
        if field is None:
            return None
    return field


def _blank(value) -> bool:
    if isinstance(value, dict):
        return all(_blank(item) for item in value.values())
    if isinstance(value, list):
        return all(_blank(item) for item in value)
    return value is _MISSING or value is None or (isinstance(value, str) and not value.strip())
