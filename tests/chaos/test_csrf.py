"""Every state-changing endpoint of every web app, found in its URL map (none listed by hand, so a new form is
probed the day it lands), posted from another site's page: without the form's CSRF token every form is
refused with a clear page in Chinese; the JSON APIs, which take no cookies (a draft's token in the path, an
organisation's Basic credentials, a staff bearer token), refuse a request without their credentials."""
from __future__ import annotations

import importlib
import re

import pytest

from tests.chaos.hostile import CHINESE
from tests.chaos.results import record

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

PART = "5 CSRF"
SERVICES = ("intake", "review", "notify", "archive")
CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# The public objection form carries a token of its own that the server signed (review's form_guard.py), and
# is not found before the notice is published.
OWN_GUARD = {"public.objection"}
SOME_ID = "00000000-0000-0000-0000-000000000000"


def app_client(service: str, chaos_env, monkeypatch):
    for name, value in chaos_env.items():
        monkeypatch.setenv(name, value)
    app = importlib.import_module(f"services.{service}.entrypoints.web").create_app()
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.44.0.1"
    return app, client


def probe(client, rule) -> tuple[str, int, str]:
    url = re.sub(r"<[^>]+>", SOME_ID, rule.rule)
    method = sorted(rule.methods & CHANGING)[0]
    answer = client.open(url, method=method, data={"name": "x"},
                         headers={"Origin": "https://evil.example", "Referer": "https://evil.example/form"})
    return f"{method} {rule.rule}", answer.status_code, answer.get_data(as_text=True)


@pytest.mark.parametrize("service", SERVICES)
def test_every_form_refuses_a_post_without_its_csrf_token(service, chaos_env, monkeypatch):
    app, client = app_client(service, chaos_env, monkeypatch)
    forms, apis, failed = 0, 0, []
    for rule in app.url_map.iter_rules():
        if not rule.methods & CHANGING or rule.endpoint in OWN_GUARD:
            continue
        what, status, body = probe(client, rule)
        if "/api/" in rule.rule:
            apis += 1
            if status < 400 or status >= 500:
                failed.append(f"{what} answered {status} without credentials")
        else:
            forms += 1
            if status != 400 or not CHINESE.search(body):
                failed.append(f"{what} answered {status} without its token")
    record(PART, f"{service}: every form posted without its CSRF token, every API without credentials",
           not failed, "; ".join(failed)[:400] or f"{forms} forms refused (400, in Chinese), {apis} API operations refused")
    assert forms and not failed, failed
