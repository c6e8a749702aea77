"""Every answer of every web process carries the security headers: every rule of each app's URL map,
asked anonymously (pages, refusals, redirects to the sign-in, errors), with the real servers behind."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration
SERVICES = ("intake", "review", "notify", "archive")


def create_app(service: str, env: dict):
    module = __import__(f"services.{service}.entrypoints.web", fromlist=["create_app"])
    return module.create_app({**env, "TUIJU_ENV": "test"})


def every_get_url(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            urls.append(re.sub(r"<(?:[a-z]+:)?([^>]+)>", lambda m: "x" * 30 if "token" in m.group(1) else "x",
                               rule.rule))
    return urls


@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_of_every_service_carries_the_security_headers(stack, service):
    client = create_app(service, stack).test_client()
    missing = []
    for url in every_get_url(client.application) + ["/no-such-page"]:
        headers = client.get(url).headers
        policy = headers.get("Content-Security-Policy", "")
        if not ("script-src 'self'" in policy and "frame-ancestors 'none'" in policy
                and headers.get("X-Content-Type-Options") == "nosniff"
                and headers.get("Referrer-Policy") == "same-origin"):
            missing.append(url)
    assert missing == []


@pytest.mark.parametrize("service", SERVICES)
def test_hsts_only_when_served_over_tls(stack, service):
    plain = create_app(service, stack).test_client()
    assert "Strict-Transport-Security" not in plain.get("/healthz").headers
    assert plain.get("/healthz", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")
    public_https = create_app(service, {**stack, f"TUIJU_{service.upper()}_URL": f"https://{service}.example.org"})
    assert "Strict-Transport-Security" in public_https.test_client().get("/healthz").headers
