"""The notify web process: the secretariat's admin pages and a read-only JSON API of the messages (behind the
staff sign-in; OpenAPI at /api/v1/openapi.json), health and metrics."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, redirect, render_template, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from services.notify.bootstrap import bootstrap
from services.notify.entrypoints import admin_pages, api, display
from services.notify.entrypoints.metrics import MessageStateCollector
from shared.auth import init_staff_auth, outbox_recorder
from shared.request_text import refuse_unstorable_text_in
from shared.security import secure_headers
from shared.web import database_check, kafka_check, redis_check, register_ops, smtp_check


def create_app(test_config: dict | None = None) -> Flask:
    """`test_config`: the TUIJU_* environment as a dict (tests), instead of os.environ."""
    app = Flask(__name__)
    notify = bootstrap(test_config)
    app.extensions["notify"] = notify
    app.config.update(
        SECRET_KEY=notify.settings.secret_key,
        SESSION_COOKIE_NAME="tuiju_notify_session",  # intake, review and notify may share a host name
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    csrf = CSRFProtect(app)
    display.register_filters(app)
    register_ops(app, {
        "database": database_check(notify.engine),
        "kafka": kafka_check(notify.settings.kafka_bootstrap),
        "redis": redis_check(notify.settings.celery_broker_url()),
        "smtp": smtp_check(notify.settings.smtp_host, notify.settings.smtp_port),
    }, outbox=notify.engine)
    refuse_unstorable_text_in(app)
    app.extensions["metrics_registry"].register(MessageStateCollector(notify.engine))
    init_staff_auth(app, notify.settings, record=outbox_recorder(notify.sessions))
    secure_headers(app, notify.settings)
    app.register_blueprint(admin_pages.blueprint)
    api.register(app, csrf)

    @app.get("/")
    def home():
        return redirect(url_for("admin.messages_list"))

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("error.html", message="表单已过期或来源不明（CSRF 校验未通过），请返回刷新页面后重试。"), 400

    return app
