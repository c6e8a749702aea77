"""The intake web process: the applicants' and recommenders' pages, the JSON API, health and metrics."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from services.intake.bootstrap import Intake, bootstrap
from services.intake.domain.deadlines import format_local
from services.intake.domain.limits import REQUEST_MAX_BYTES
from services.intake.entrypoints import language
from services.intake.entrypoints.language import said
from shared.i18n import LocalTime
from services.intake.domain.upload_rules import upload_term
from services.intake.entrypoints.metrics import ScanBacklogCollector, ScanTimeCollector
from shared.auth import init_staff_auth, outbox_recorder
from shared.config import Settings
from shared.security import secure_headers
from shared.logs import configure_logging
from shared.request_text import refuse_unstorable_text_in
from shared.request_limits import SIGN_IN, limit_endpoints, make_limiter
from shared.web import database_check, kafka_check, redis_check, register_ops, s3_check

# The largest upload a campaign allows is 20 MB; anything larger is refused before it is read. Requests
# that carry no file (forms, JSON) are held to REQUEST_MAX_BYTES.
MAX_BODY = 25 * 1024 * 1024
FILE_ENDPOINTS = frozenset({"pages.upload", "api.Files", "admin.import_preview"})
# Per client address: sign-in forms (brute force), and what an anonymous client can make the system store.
DRAFTS = "30 per hour;200 per day"
UPLOADS = "120 per hour"
MAILS = "5 per hour;20 per day"
REQUEST_LIMITS = {
    "orgs.login": SIGN_IN, "orgs.accept_invitation": SIGN_IN,
    "pages.start_self_nomination": DRAFTS, "orgs.start": DRAFTS, "api.Nominations": DRAFTS,
    "pages.upload": UPLOADS, "api.Files": UPLOADS, "api.DirectUploads": UPLOADS, "api.DirectUpload": UPLOADS,
    "pages.request_contact_verification": MAILS, "api.ContactVerification": MAILS, "pages.draft_links": MAILS,
}
SESSION_LIFETIME = timedelta(hours=8)


def create_app(test_config: dict | None = None, intake: Intake | None = None) -> Flask:
    app = Flask(__name__, template_folder="templates", static_folder="static")
    settings = intake.settings if intake else Settings.from_env("intake", test_config)
    if test_config is None:
        configure_logging("intake-web")
    intake = intake or bootstrap(settings)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_BODY,
                      SESSION_COOKIE_NAME="tuiju_intake_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=_served_over_tls(settings),
                      PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME, WTF_CSRF_TIME_LIMIT=None, JSON_AS_ASCII=False)
    app.json.ensure_ascii = False
    # A value a form lacks prints as nothing, never as a raw "None".
    app.jinja_env.finalize = lambda value: "" if value is None else value
    app.extensions["intake"] = intake
    csrf = CSRFProtect(app)
    init_staff_auth(app, settings, record=outbox_recorder(intake.sessions))
    secure_headers(app, settings)
    register_ops(app, {
        "database": database_check(intake.engine),
        "kafka": kafka_check(settings.kafka_bootstrap),
        "s3": s3_check(intake.store),
        "redis": redis_check(settings.celery_broker_url()),
    }, outbox=intake.engine)
    app.extensions["metrics_registry"].register(ScanBacklogCollector(intake))
    app.extensions["metrics_registry"].register(ScanTimeCollector(intake))
    _register_blueprints(app, csrf)
    _register_errors(app)
    _limit_bodies(app)
    refuse_unstorable_text_in(app)
    limit_endpoints(app, make_limiter(app, settings), REQUEST_LIMITS)
    language.register(app)

    @app.context_processor
    def _campaign():
        return {"campaign": intake.campaign,
                "submission_deadline_text": format_local(intake.campaign.submission.closes_at, intake.campaign.time_zone),
                "submission_deadline": LocalTime(intake.campaign.submission.closes_at, intake.campaign.time_zone)}

    return app


def _register_blueprints(app: Flask, csrf: CSRFProtect) -> None:
    from services.intake.entrypoints import admin, api, organisations, pages, staff
    from services.intake.entrypoints import contact_pages, file_pages  # noqa: F401 (their routes are pages.bp's)

    app.register_blueprint(pages.bp)
    app.register_blueprint(organisations.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(staff.bp)
    api.register(app, csrf)


def _served_over_tls(settings: Settings) -> bool:
    """The session cookie is sent over TLS only, in production or whenever intake's URL is https."""
    return settings.env not in ("dev", "test") or settings.intake_url.startswith("https://")


def _limit_bodies(app: Flask) -> None:
    @app.before_request
    def _small_unless_a_file():
        if request.endpoint not in FILE_ENDPOINTS:
            request.max_content_length = REQUEST_MAX_BYTES


def _too_large_message() -> str:
    slot = _upload_slot()
    if slot is not None:  # the slot's own limit, as its hint says, not the body's
        return said("intake.slot_too_large", upload=upload_term(slot), max=slot.max_bytes // (1024 * 1024))
    limit = request.max_content_length or MAX_BODY
    if limit < 1024 * 1024:
        return said("intake.request_too_large", max=limit // 1024)
    return said("intake.upload_body_too_large", max=limit // (1024 * 1024))


def _upload_slot():
    if request.endpoint not in ("pages.upload", "api.Files") or not request.view_args:
        return None
    kind = request.view_args.get("kind")
    campaign = current_app.extensions["intake"].campaign
    return next((u for u in campaign.uploads if u.kind == kind), None)


def _files_page_of_the_upload() -> str | None:
    """The draft's uploads page, for a file refused as too large (its private link is in the path)."""
    if request.endpoint != "pages.upload" or not request.view_args:
        return None
    return url_for("pages.files", token=request.view_args["token"])


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _register_errors(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        message = _too_large_message()
        if _wants_json():
            return jsonify(ok=False, error=message, code="too_large"), 413
        return render_template("error.html", title=said("intake.title.too_large"), message=message,
                               back_url=_files_page_of_the_upload()), 413

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        message = said("intake.page_expired")
        if _wants_json():
            return jsonify(ok=False, error=message, code="csrf"), 400
        return render_template("error.html", title=said("intake.title.page_expired"), message=message), 400

    @app.errorhandler(429)
    def too_many(_error):
        message = said("intake.too_many_requests")
        if _wants_json():
            return jsonify(ok=False, error=message, code="too_many_requests"), 429
        return render_template("error.html", title=said("intake.title.too_many_requests"), message=message), 429

    @app.errorhandler(404)
    def not_found(_error):
        message = said("intake.page_not_found")
        if _wants_json():
            return jsonify(ok=False, error=message, code="not_found"), 404
        return render_template("error.html", title=said("intake.title.not_found"), message=message), 404

    @app.errorhandler(HTTPException)
    def other(error: HTTPException):
        """Any other refusal, in the reader's language (werkzeug's own descriptions are English): a request
        that cannot be read (malformed JSON, a broken form) says so; the rest give their HTTP status."""
        message = said("intake.bad_request") if error.code == 400 else said("intake.request_not_handled", code=error.code)
        if _wants_json():
            return jsonify(ok=False, error=message, code=error.name, errors=[]), error.code
        return render_template("error.html", title=said("intake.title.request_refused"), message=message), error.code
