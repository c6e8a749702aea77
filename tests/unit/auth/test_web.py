"""shared/auth/web.py without a provider: what init_staff_auth configures and refuses."""
from __future__ import annotations

import pytest
from flask import Flask

from shared.auth import init_staff_auth, staff_required
from shared.config import ConfigError, Settings

pytestmark = pytest.mark.unit


def app_for(env: dict) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "k" * 32
    init_staff_auth(app, Settings.from_env("review", {"TUIJU_ENV": "test", **env}))

    @app.get("/api/list")
    @staff_required("working_group")
    def listing():
        return "secret"

    @app.get("/list")
    @staff_required("working_group")
    def page():
        return "secret"
    return app


def test_session_cookie_is_secure_when_the_service_is_served_over_tls():
    assert app_for({"TUIJU_REVIEW_URL": "https://review.example.org"}).config["SESSION_COOKIE_SECURE"] is True
    plain = app_for({}).config
    assert plain["SESSION_COOKIE_SECURE"] is False
    assert plain["SESSION_COOKIE_HTTPONLY"] is True and plain["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_without_the_providers_settings_is_refused():
    settings = Settings.from_env("review", {"TUIJU_ENV": "production", "TUIJU_SECRET_KEY": "s" * 40,
                                            "TUIJU_S3_SECRET_KEY": "k" * 40,
                                            "TUIJU_POSTGRES_URL": "postgresql+psycopg://tuiju:p4ss@db:5432"})
    with pytest.raises(ConfigError, match="TUIJU_OIDC_SECRET_REVIEW"):
        init_staff_auth(Flask(__name__), settings)


def test_sign_in_routes_are_registered():
    rules = {rule.rule for rule in app_for({}).url_map.iter_rules()}
    assert {"/auth/login", "/auth/callback", "/auth/logout", "/auth/signed-out"} <= rules


def test_unsigned_in_page_redirects_to_sign_in_with_its_path_and_api_answers_401_json():
    client = app_for({}).test_client()
    page = client.get("/list?domain=3")
    assert page.status_code == 302 and page.headers["Location"] == "/auth/login?next=/list?domain%3D3"
    api = client.get("/api/list")
    assert api.status_code == 401 and api.json == {"ok": False, "error": "请先以工作人员身份登录。", "code": "unauthenticated"}
    assert api.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_malformed_bearer_token_is_refused_before_the_provider_is_asked():
    answer = app_for({}).test_client().get("/list", headers={"Authorization": "Bearer not-a-jwt"})
    assert answer.status_code == 401 and answer.json["code"] == "invalid_token"
