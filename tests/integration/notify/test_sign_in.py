"""Notify's sign-in: `next` never leaves the site, a non-ASCII password is refused like any wrong one, and
repeated attempts from one address are slowed down (Flask-Limiter on the real Redis)."""
from __future__ import annotations

import pytest

from services.notify.entrypoints.web import create_app
from tests.builders import own_address
from tests.integration.notify.conftest import csrf_token

pytestmark = pytest.mark.integration

OFF_SITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http:/evil.example", " //evil.example"]


def notify_sign_in(client, password: str = "admin", **query):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", query_string=query, data={"name": "王秘书", "password": password, "csrf_token": token})


@pytest.mark.parametrize("target", OFF_SITE)
def test_notify_sign_in_never_redirects_off_the_site(stack, target):
    client = own_address(create_app(stack).test_client())
    answer = notify_sign_in(client, next=target)
    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/messages"


def test_notify_sign_in_with_a_non_ascii_password_is_refused(stack):
    assert notify_sign_in(own_address(create_app(stack).test_client()), "密码不对").status_code == 401


def test_notify_sign_in_is_slowed_down(stack):
    client = own_address(create_app(stack).test_client())
    codes = [notify_sign_in(client, "wrong").status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
