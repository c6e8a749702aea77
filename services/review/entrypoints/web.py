"""The review service's web process: the reviewers' pages and the JSON API, every one behind the staff
sign-in (shared.auth, the identity provider), health, readiness and metrics."""
from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect

from services.review.bootstrap import Review, bootstrap
from services.review.domain.people import ROLE_NAMES
from services.review.entrypoints.access import current_member, record_sign_in, wants_json
from shared.auth import init_staff_auth
from shared.config import Settings
from shared.logs import configure_logging
from shared.request_text import refuse_unstorable_text_in
from shared.security import secure_headers
from shared.storage import browser_endpoint
from shared.web import database_check, kafka_check, register_ops, s3_check

MAX_BODY = 3 * 1024 * 1024  # the largest staff request is a staff list of 2 MB
OBJECTION_BODY = 11 * 1024 * 1024  # an objection with its attachment of at most 10 MB
OBJECTION_LIMIT = "5 per hour;20 per day"  # objections filed from one client address


def create_app(test_config: dict | None = None, review: Review | None = None) -> Flask:
    app = Flask(__name__, template_folder="templates", static_folder="static")
    settings = review.settings if review else Settings.from_env("review", test_config)
    if test_config is None:
        configure_logging("review-web")
    review = review or bootstrap(settings)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=OBJECTION_BODY,
                      SESSION_COOKIE_NAME="tuiju_review_session", WTF_CSRF_TIME_LIMIT=None, JSON_AS_ASCII=False,
                      PUBLIC_BASE=settings.review_url.rstrip("/"))
    app.json.ensure_ascii = False
    app.extensions["review"] = review
    csrf = CSRFProtect(app)
    register_ops(app, {"database": database_check(review.engine), "kafka": kafka_check(settings.kafka_bootstrap),
                       "s3": s3_check(review.store)}, outbox=review.engine)
    init_staff_auth(app, settings, record=record_sign_in(review))
    secure_headers(app, settings)
    _register_blueprints(app, csrf)
    _public_pages(app, settings, review)
    refuse_unstorable_text_in(app)  # after _public_pages: its hook caps the body
    _register_errors(app)
    _security_headers(app, settings)

    @app.context_processor
    def _globals():
        return {"campaign": review.campaign, "role_names": ROLE_NAMES, "me": current_member}

    return app


def _register_blueprints(app: Flask, csrf: CSRFProtect) -> None:
    from services.review.entrypoints import (
        api, objection_pages, overview_pages, pages, ranking_pages, report_pages, scoring_pages, staff_pages,
    )

    app.register_blueprint(pages.bp)
    app.register_blueprint(overview_pages.bp)
    app.register_blueprint(scoring_pages.bp)
    app.register_blueprint(ranking_pages.bp)
    app.register_blueprint(objection_pages.bp)
    app.register_blueprint(report_pages.bp)
    app.register_blueprint(staff_pages.bp)
    api.register(app, csrf)


def _public_pages(app: Flask, settings: Settings, review: Review) -> None:
    """The notice and the announcement: no sign-in, no cookie, no CSRF (the objection form has its own guard),
    a rate limit on filing objections, and only the objection form takes a body larger than staff requests."""
    from services.review.entrypoints import public_pages
    from shared.request_limits import limit_endpoints, make_limiter

    app.register_blueprint(public_pages.bp)
    app.extensions["csrf"].exempt(public_pages.bp)
    public_pages.init_public_cache(app, review)
    limit_endpoints(app, make_limiter(app, settings), {"public.objection": OBJECTION_LIMIT})

    @app.before_request
    def _small_unless_an_objection():
        if request.endpoint != "public.objection":
            request.max_content_length = MAX_BODY


def _register_errors(app: Flask) -> None:
    messages = {400: "请求有误。", 403: "您无权查看或处理此项。", 404: "找不到该页面或推荐。", 413: "上传内容过大。",
                429: "提交过于频繁，请稍后再试。"}

    def answer(status: int, message: str):
        if wants_json():
            return jsonify(ok=False, error=message, code=str(status)), status
        if request.blueprint == "public":
            if status == 413:
                message = "上传内容过大：证明材料最大 10 MB。"
            return render_template("public_error.html", message=message, status=status), status
        return render_template("refused.html", message=message, status=status), status

    for status, message in messages.items():
        app.register_error_handler(status, lambda error, s=status, m=message: answer(s, g.get("refused_reason") or m))

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return answer(400, "页面已过期，请返回上一页刷新后重试。")


def _security_headers(app: Flask, settings: Settings) -> None:
    """No inline script, no framing, previews only from this site and the S3 server the previews come from."""
    policy = ("default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; "
              f"img-src 'self' data: {browser_endpoint(settings).origin}; frame-ancestors 'none'; "
              f"form-action 'self' {settings.oidc_issuer.split('/realms/')[0]}")

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith(("/n/", "/api/", "/staff", "/scoring", "/ranking", "/objections")) or request.endpoint == "pages.queue":
            response.headers["Cache-Control"] = "no-store"
        return response
