"""Intake's sign-in pages: repeated organisation sign-ins from one address are slowed down (Flask-Limiter on
the real Redis), and the session cookie is HttpOnly, SameSite, short-lived, Secure over TLS, and ended by
signing out. (The secretariat signs in at the identity provider: tests/integration/auth; `next` is checked by
shared.redirects, tests/unit/test_redirects.py.)"""
from __future__ import annotations

import pytest

from tests.builders import own_address

pytestmark = pytest.mark.integration


def test_organisation_sign_in_is_slowed_down_per_address(client, stack, intake):
    for _ in range(10):
        client.post("/org/login", data={"email": "x@example.com", "password": "wrong-password"})
    assert client.post("/org/login", data={"email": "x@example.com", "password": "wrong-password"}).status_code == 429
    other = own_address(client.application.test_client())
    assert other.post("/org/login", data={"email": "x@example.com", "password": "wrong"}).status_code == 401


def test_intake_session_cookie_is_httponly_samesite_short_and_ended_by_signing_out(client):
    answer = client.get("/org/login")  # the form's CSRF token goes into the session
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("tuiju_intake_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test server speaks plain HTTP
    assert client.application.permanent_session_lifetime.total_seconds() == 8 * 3600


def test_intake_session_cookie_is_secure_in_production_and_over_tls(intake, stack):
    from dataclasses import replace

    from services.intake.entrypoints.web import create_app

    tls = replace(intake, settings=replace(intake.settings, intake_url="https://tuiju.example.cn"))
    assert create_app(stack, intake=tls).config["SESSION_COOKIE_SECURE"] is True


def test_an_organisation_signs_out(client, intake):
    import uuid

    from services.intake.service_layer.organisations import create_organisation, set_password

    email = f"org-{uuid.uuid4().hex[:8]}@example.com"
    organisation_id, _ = create_organisation(intake, name="测试大学后勤集团", type="member_unit", email=email)
    set_password(intake, organisation_id, "secret-pass-1")
    assert client.post("/org/login", data={"email": email, "password": "secret-pass-1"}).status_code == 302
    assert client.get("/org/").status_code == 200
    client.post("/org/logout")
    assert client.get("/org/").status_code == 302
