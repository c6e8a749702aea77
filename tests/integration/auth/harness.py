"""A Flask app using shared.auth as the services do, served over real HTTP so Keycloak can redirect to it."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, List

from flask import Flask, jsonify
from werkzeug.serving import make_server

from shared.auth import StaffAuthEvent, current_staff, init_staff_auth, staff_required
from shared.config import Settings


def staff_app(env: dict, events: List[StaffAuthEvent]) -> Flask:
    settings = Settings.from_env("intake", {**env, "TUIJU_ENV": "test"})
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key
    init_staff_auth(app, settings, record=events.append)

    @app.get("/admin/")
    @staff_required("secretariat")
    def admin():
        user = current_staff()
        return f"secretariat page for {user.name} ({user.username}) roles={','.join(sorted(user.roles))}"

    @app.get("/staff/")
    @staff_required()
    def any_staff():
        return f"staff page for {current_staff().username}"

    @app.get("/api/records")
    @staff_required("auditor", "secretariat")
    def records():
        user = current_staff()
        return jsonify(ok=True, subject=user.subject, roles=sorted(user.roles))

    return app


@contextmanager
def served(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
