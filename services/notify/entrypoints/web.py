"""The notify web process: the secretariat's admin pages (behind a password), health and metrics."""
from __future__ import annotations

import hmac
from datetime import timedelta

from flask import Flask, flash, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from services.notify.bootstrap import bootstrap
from services.notify.entrypoints import admin_pages, display
from shared.config import ConfigError, Settings
from shared.redirects import safe_next
from shared.request_limits import SIGN_IN, limit_endpoints, make_limiter
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
        SESSION_COOKIE_SECURE=notify.settings.env not in ("dev", "test"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    CSRFProtect(app)
    display.register_filters(app)
    register_ops(app, {
        "database": database_check(notify.engine),
        "kafka": kafka_check(notify.settings.kafka_bootstrap),
        "redis": redis_check(notify.settings.celery_broker_url()),
        "smtp": smtp_check(notify.settings.smtp_host, notify.settings.smtp_port),
    })
    _register_login(app, required_admin_password(notify.settings))
    app.register_blueprint(admin_pages.blueprint)
    limit_endpoints(app, make_limiter(app, notify.settings), {"login": SIGN_IN})

    @app.errorhandler(429)
    def too_many(_error):
        return render_template("error.html", message="登录尝试过于频繁，请稍后再试。"), 429

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        return render_template("error.html", message="表单已过期或来源不明（CSRF 校验未通过），请返回刷新页面后重试。"), 400

    return app


def _register_login(app: Flask, password: str) -> None:
    @app.get("/")
    def home():
        return redirect(url_for("admin.messages_list"))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        error = ""
        if request.method == "POST":
            name = request.form.get("name", "").strip()
            given = request.form.get("password", "")
            if not name:
                error = "请填写姓名：放行、重发和修改模板都会记下操作人。"
            elif not hmac.compare_digest(given.encode(), password.encode()):
                error = "密码不正确，请重新输入。"
            else:
                session.clear()
                session.permanent = True
                session["admin"] = name[:100]
                flash(f"{session['admin']}，您已登录。")
                return redirect(safe_next(request.args.get("next"), url_for("admin.messages_list")))
        return render_template("login.html", error=error), 401 if error else 200

    @app.post("/logout")
    def logout():
        session.clear()
        return redirect(url_for("login"))


def required_admin_password(settings: Settings) -> str:
    """The secretariat's password (TUIJU_ADMIN_PASSWORD; `admin` in dev and test): required in production."""
    if not settings.admin_password:
        raise ConfigError("TUIJU_ADMIN_PASSWORD 未设置：生产环境必须设置通知管理页的密码 / "
                          "TUIJU_ADMIN_PASSWORD is required in production")
    return settings.admin_password

