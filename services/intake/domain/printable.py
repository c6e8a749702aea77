"""What the printable form shows of a draft: the values that passed their checks, never the others.

A draft keeps what was typed, mistakes included, so that nothing is lost; but the printed form is sealed
by the unit as an official document, so a value the form refuses (markup, a name of 500 characters) is
printed as a blank cell to fill in, not as typed (tester's I-9)."""
from __future__ import annotations

import copy


def without_refused_values(data: dict, refused_paths) -> dict:
    """A copy of `data` without the values at `refused_paths` (`team.name`, `media_honours.0.title`)."""
    shown = copy.deepcopy(data)
    for path in refused_paths:
        _remove(shown, path.split("."))
    return shown


def _remove(node, keys: list[str]) -> None:
    key, rest = keys[0], keys[1:]
    if isinstance(node, list) and key.isdigit() and int(key) < len(node):
        if rest:
            _remove(node[int(key)], rest)
        else:
            node[int(key)] = {}
    elif isinstance(node, dict) and key in node:
        if rest:
            _remove(node[key], rest)
        else:
            del node[key]
