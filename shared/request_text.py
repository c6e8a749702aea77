"""Refusing text no database can store (shared/storable_text.py) before any view reads it: a NUL, or a lone
UTF-16 surrogate (a JSON escape such as "\\ud800"). Either was a 500 wherever such text reached a write or a
lookup: a withdrawal's reason, the public objection form, a search, an address. Looked for in the path, the
query, a JSON body and a form's fields (never in uploaded files, which are bytes). A JSON body nested deeper
than any form is refused here too: it is the one other way a body stopped a view before its checks."""
from __future__ import annotations

from typing import Iterable

from flask import Flask, jsonify, request

from shared.storable_text import unstorable

# The forms nest a few levels (a draft, its section, a list, a row). A body nested some thousands deep stopped
# Python's JSON parser with a RecursionError (a 500), and deep ones would recurse in the views too.
MAX_JSON_DEPTH = 32
REFUSED = {
    "unstorable": {
        "zh": "请求中含有无法保存的字符（NUL 或不成对的 Unicode 代理字符），请删除后重试",
        "en": "The request holds characters that cannot be stored (NUL or a lone Unicode surrogate); remove them and "
              "try again"},
    "too_deep": {
        "zh": f"请求内容的层级过深（最多 {MAX_JSON_DEPTH} 层），无法读取",
        "en": f"The request body is nested too deeply to read (at most {MAX_JSON_DEPTH} levels)"},
}
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_unstorable_text_in(app: Flask) -> None:
    """Registered after the service's own hooks that cap a request's body (intake's and review's): the form or
    JSON read here is parsed once, under the limit those set."""
    app.before_request(refuse_unstorable_text)


def refuse_unstorable_text():
    """A Flask before-request hook: None, or the 400 that names what was refused."""
    try:
        refused = "unstorable" if any(unstorable(text) for text in _texts_of_request()) else None
    except (TooDeep, RecursionError):  # RecursionError: Python's JSON parser itself, some thousands deep
        refused = "too_deep"
    if refused is None:
        return None
    lang = "en" if request.accept_languages.best_match(["zh", "en"], default="zh") == "en" else "zh"
    if request.path.startswith("/api/") or request.is_json:
        return jsonify(ok=False, error=REFUSED[refused][lang], code="bad_request", errors=[]), 400
    return REFUSED[refused][lang], 400, {"Content-Type": "text/plain; charset=utf-8"}


def _texts_of_request() -> Iterable[str]:
    yield request.path
    yield from _pairs(request.args.items(multi=True))
    if request.is_json:
        yield from strings_in(request.get_json(silent=True))  # cached: the view's own reading parses nothing again
    elif request.mimetype in FORMS:  # parsed once: CSRF's check and the view read the same parsed form
        yield from _pairs(request.form.items(multi=True))


def _pairs(pairs) -> Iterable[str]:
    for key, value in pairs:
        yield from (text for text in (key, value) if isinstance(text, str))  # a multipart part may have no name


class TooDeep(ValueError):
    """A JSON document nested deeper than MAX_JSON_DEPTH."""


def strings_in(value, max_depth: int = MAX_JSON_DEPTH) -> Iterable[str]:
    """Every key and string of a parsed JSON document (TooDeep past `max_depth` levels)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, (dict, list)):
            if depth >= max_depth:
                raise TooDeep(depth)
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
