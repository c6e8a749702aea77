"""The archive's web process: the event record of a nomination, health and metrics."""
from flask import Flask, jsonify

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.handlers import events_for_key
from shared.config import Settings
from shared.web import database_check, kafka_check, register_ops, s3_check


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    archive = bootstrap(Settings.from_env("archive", test_config))
    app.extensions["archive"] = archive
    register_ops(app, {
        "database": database_check(archive.engine),
        "kafka": kafka_check(archive.settings.kafka_bootstrap),
        "s3": s3_check(archive.store),
    })

    @app.get("/api/events/<key>")
    def events(key: str):
        with archive.sessions() as session:
            return jsonify(events=events_for_key(session, key))

    return app
