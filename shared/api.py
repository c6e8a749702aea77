"""The JSON APIs' (flask-smorest) refusals: one shape for every error, the one the services' own handlers
answer ({ok: false, error, code, errors}), and the OpenAPI document says so (schemathesis found the
documented default, flask-smorest's {code: int, status, message}, matching none of the answers).

A service whose API lives beside HTML pages (the archive, notify) sets `json_errors_under = "/api/"`: its
pages keep their own error pages, only the API answers errors as JSON. Arguments refused by their schema
(webargs, 422) name each field in `errors`."""
from __future__ import annotations

from flask import Response, jsonify, request
from flask_smorest import Api
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import HTTPException

MESSAGE = "请求未能处理（HTTP {code}）"
MESSAGES = {404: "没有这个地址或这一项", 405: "这个地址不接受这种请求方法"}
ARGUMENTS = "请求参数有误（{count} 处），见 errors"

# A query's text goes to PostgreSQL, which refuses a NUL in a string (a 500 if it got there): refused first.
PRINTABLE = validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="不能含控制字符")
IDENTIFIER = r"^[A-Za-z0-9_.:@-]{1,100}$"  # ids, references, campaign ids and subjects as the APIs take them


class RefusalSchema(Schema):
    ok = fields.Boolean(metadata={"description": "总是 false"})
    error = fields.String(metadata={"description": "给用户看的说明（中文；Accept-Language 为英文时用英文）"})
    code = fields.String(metadata={"description": "机器可读的原因，如 not_found、unauthenticated"})
    errors = fields.List(fields.Raw(), metadata={"description": "逐项的问题（字段与说明）"})


class TuijuApi(Api):
    ERROR_SCHEMA = RefusalSchema
    json_errors_under: str | None = None  # None: every HTTP error of the app answers JSON

    def handle_http_exception(self, error: HTTPException):
        if self.json_errors_under and not request.path.startswith(self.json_errors_under):
            return error  # a page's error stays the page's (Flask's own answer, or the app's handler)
        data = getattr(error, "data", None) or {}
        code = (error.name or "error").lower().replace(" ", "_")
        problems = argument_problems(data.get("messages") or {})
        text = (data.get("message") or (ARGUMENTS.format(count=len(problems)) if problems else None)
                or MESSAGES.get(error.code) or MESSAGE.format(code=error.code))
        return {"ok": False, "error": text, "code": code, "errors": problems}, error.code, data.get("headers", {})


def api_beside_pages(app, title: str) -> TuijuApi:
    """The API of a service whose pages come first (the archive, notify): its OpenAPI document at
    /api/v1/openapi.json (public: it holds no data), JSON errors under /api/ only."""
    app.config.update(API_TITLE=title, API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api/v1",
                      OPENAPI_JSON_PATH="openapi.json")
    api = TuijuApi()
    api.json_errors_under = "/api/"
    api.init_app(app)
    return api


def argument_problems(messages: dict, prefix: str = "") -> list[dict]:
    """webargs' messages ({"query": {"year": ["…"]}}) as [{"field": "query.year", "message": "…"}]."""
    problems = []
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            problems += argument_problems(value, path)
        else:
            problems += [{"field": path, "message": str(text)} for text in (value if isinstance(value, list) else [value])]
    return problems


def refused(message: str, code: str, status: int) -> Response:
    """A refusal a view returns itself (a Response, so that flask-smorest's @response passes it as it is)."""
    response = jsonify(ok=False, error=message, code=code, errors=[])
    response.status_code = status
    return response


def refusals(blueprint, descriptions: dict[int, str], *statuses: int):
    """Documents the refusals an operation answers (each in the one refusal shape), with what each means."""
    def decorate(view):
        for status in statuses:
            view = blueprint.alt_response(status, schema=RefusalSchema, description=descriptions[status])(view)
        return view
    return decorate
