"""The review service's web process. Every page with a nominee's data needs a staff sign-in through the
identity provider (shared/auth); until it is wired in, the web process serves only a notice, health,
readiness and metrics, and nothing of any nominee."""
from flask import Flask, jsonify, render_template, request

from services.review.bootstrap import bootstrap
from shared.config import Settings
from shared.web import database_check, kafka_check, register_ops, s3_check


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    review = bootstrap(Settings.from_env("review", test_config))
    app.extensions["review"] = review
    register_ops(app, {
        "database": database_check(review.engine),
        "kafka": kafka_check(review.settings.kafka_bootstrap),
        "s3": s3_check(review.store),
    })

    @app.get("/")
    def sign_in_required():
        return render_template("sign_in_required.html"), 401

    @app.route("/api/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def api_sign_in_required(anything: str):
        english = request.accept_languages.best_match(["zh", "en"]) == "en"
        message = "Staff sign-in required" if english else "需要工作人员登录"
        return jsonify(ok=False, code="sign_in_required", error=message), 401

    return app
