"""The archive's web process: staff pages (statistics with charts, search of past campaigns) and JSON/file
APIs (event record, dossiers, lists, statistics, a domain's files), all behind staff sign-in; health and metrics."""
from __future__ import annotations

from flask import Flask, jsonify, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge

from services.archive.adapters.honouree_files import MAX_BYTES
from services.archive.bootstrap import Archive, bootstrap
from services.archive.entrypoints import api, honouree_api, honouree_pages, pages
from shared.api import api_beside_pages
from shared.auth import init_staff_auth, outbox_recorder
from shared.config import Settings
from shared.request_text import refuse_unstorable_text_in
from shared.security import secure_headers
from shared.web import database_check, kafka_check, register_ops, s3_check


def create_app(test_config: dict | None = None, archive: Archive | None = None) -> Flask:
    app = Flask(__name__)
    settings = Settings.from_env("archive", test_config)
    archive = archive or bootstrap(settings)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=6 * 1024 * 1024)
    app.extensions["archive"] = archive
    init_staff_auth(app, settings, record=outbox_recorder(archive.sessions))
    secure_headers(app, settings)
    register_ops(app, {
        "database": database_check(archive.engine),
        "kafka": kafka_check(archive.settings.kafka_bootstrap),
        "s3": s3_check(archive.store),
    }, outbox=archive.engine)
    refuse_unstorable_text_in(app)
    csrf = CSRFProtect(app)
    _register_api(app, csrf)
    app.register_blueprint(pages.bp)
    app.register_blueprint(honouree_pages.bp)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(CSRFError, _csrf_refused)
    return app


def _register_api(app: Flask, csrf: CSRFProtect) -> None:
    """The JSON API and its OpenAPI document (/api/v1/openapi.json, public like intake's and review's: it
    holds no data); errors of the pages stay the pages' own."""
    docs = api_beside_pages(app, "Tuiju archive API")
    docs.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # read-only GETs, for sessions and bearer tokens alike
    docs.register_blueprint(honouree_api.bp)
    csrf.exempt(honouree_api.bp)  # its changes take bearer tokens only


def _csrf_refused(_error):
    message = "页面已过期或来源不明（CSRF 校验未通过）：请返回上一页刷新后重试。"
    return message, 400, {"Content-Type": "text/plain; charset=utf-8"}


def _too_large(_error):
    message = f"文件过大：不超过 {MAX_BYTES // (1024 * 1024)} MB"
    if request.path.startswith("/api/"):
        return jsonify(ok=False, error=message, code="too_large", errors=[]), 413
    return message, 413, {"Content-Type": "text/plain; charset=utf-8"}
