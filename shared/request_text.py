"""Refusing text no database can store (shared/storable_text.py) before any view reads it: a NUL, or a lone
UTF-16 surrogate (a JSON escape such as "\\ud800"). Either was a 500 wherever such text reached a write or a
lookup: a withdrawal's reason, the public objection form, a search, an address. Looked for in the path, the
query, a JSON body and a form's fields (never in uploaded files, which are bytes)."""
from __future__ import annotations

from typing import Iterable

from flask import Flask, jsonify, request

from shared.storable_text import unstorable

REFUSED = {
    "zh": "请求中含有无法保存的字符（NUL 或不成对的 Unicode 代理字符），请删除后重试",
    "en": "The request holds characters that cannot be stored (NUL or a lone Unicode surrogate); remove them and try again",
}
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_unstorable_text_in(app: Flask) -> None:
    """Registered after the service's own hooks that cap a request's body (intake's and review's): the form or
    JSON read here is parsed once, under the limit those set."""
    app.before_request(refuse_unstorable_text)


def refuse_unstorable_text():
    """A Flask before-request hook: None, or the 400 that names what was refused."""
    if any(unstorable(text) for text in _texts_of_request()):
        lang = "en" if request.accept_languages.best_match(["zh", "en"], default="zh") == "en" else "zh"
        if request.path.startswith("/api/") or request.is_json:
            return jsonify(ok=False, error=REFUSED[lang], code="bad_request", errors=[]), 400
        return REFUSED[lang], 400, {"Content-Type": "text/plain; charset=utf-8"}
    return None


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


def strings_in(value) -> Iterable[str]:
    """Every key and string of a parsed JSON document."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
