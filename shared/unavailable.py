"""A dependency away (the database restarting, the S3 server or Redis unreachable): every web process answers
503 with a clear message and Retry-After instead of an internal error; the next request connects again."""
from __future__ import annotations

import logging

import redis.exceptions
import sqlalchemy as sa
import urllib3.exceptions
from flask import Flask, Response, g, jsonify, request

RETRY_AFTER_SECONDS = 30
MESSAGE = {"zh": "服务暂时不可用，请稍后重试（您已保存的内容不会丢失）",
           "en": "The service is briefly unavailable; please try again shortly (what you saved is kept)"}
PAGE = ('<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><h1>{title}</h1>'
        '<p>{message}</p></body></html>')

log = logging.getLogger(__name__)


# PostgreSQL's connection refused or cut; the S3 client's (MinIO over urllib3) retries spent; Redis away.
UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, urllib3.exceptions.HTTPError,
               redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def register_unavailable(app: Flask) -> None:
    for error in UNAVAILABLE:
        app.register_error_handler(error, _unavailable)


def keep_own_retry_after(app: Flask) -> None:
    """Called just before a rate limiter is made (shared/request_limits.py): Flask runs after-request hooks
    last registered first, so this one runs after the limiter has written its window's Retry-After, and puts
    the 503's own back."""
    app.after_request(_restore_retry_after)


def _restore_retry_after(response: Response) -> Response:
    if response.status_code == 503 and g.get("unavailable_retry_after"):
        response.headers["Retry-After"] = g.unavailable_retry_after
    return response


def _unavailable(error: Exception):
    log.warning("answered 503, a dependency is away: %s", str(error).splitlines()[0][:300])
    lang = "en" if request.accept_languages.best_match(["zh", "en"], default="zh") == "en" else "zh"
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    g.unavailable_retry_after = headers["Retry-After"]
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return jsonify(ok=False, error=MESSAGE[lang], code="unavailable"), 503, headers
    title = "Service unavailable" if lang == "en" else "服务暂时不可用"
    return Response(PAGE.format(lang=lang, title=title, message=MESSAGE[lang]), 503, headers, mimetype="text/html")
