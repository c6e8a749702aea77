"""The review service's web process. Every page with a nominee's data needs a staff sign-in through the
identity provider (shared/auth): the working group, branches, the committee and the secretariat."""
from flask import Flask, jsonify, render_template

from services.review.bootstrap import bootstrap
from shared.auth import current_staff, init_staff_auth, outbox_recorder, staff_required
from shared.config import Settings
from shared.web import database_check, kafka_check, register_ops, s3_check


REVIEW_ROLES = ("working_group", "branch", "committee", "secretariat")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    review = bootstrap(Settings.from_env("review", test_config))
    app.extensions["review"] = review
    register_ops(app, {
        "database": database_check(review.engine),
        "kafka": kafka_check(review.settings.kafka_bootstrap),
        "s3": s3_check(review.store),
    }, outbox=review.engine)

    app.config["SECRET_KEY"] = review.settings.secret_key
    init_staff_auth(app, review.settings, record=outbox_recorder(review.sessions))

    @app.get("/")
    @staff_required(*REVIEW_ROLES)
    def workbench():
        return render_template("workbench.html", staff=current_staff())

    @app.route("/api/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @staff_required(*REVIEW_ROLES)
    def api_not_yet(anything: str):
        return jsonify(ok=False, code="not_found", error="没有这个接口 / no such endpoint"), 404

    return app
