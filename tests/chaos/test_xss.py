"""Cross-site scripting payloads that pass intake's refusal of < and > (attribute breaks, javascript: links,
script string breaks, template syntax) saved in every text of a draft through the API, then every page of
that draft opened in headless Chromium: no script runs (no dialog, no marker set), each payload shows as
text. The other services' pages and the mails: test_xss_pages.py."""
from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest

from bench.intake_load import Browser, Tally
from bench.processes import System
from services.intake.service_layer.views import PARTS
from tests.builders import form_data
from tests.chaos.results import record
from tests.chaos.xss import PAYLOADS, with_payload
from tests.e2e.browser import chromium

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

PART = "5 XSS"
API = "/api/v1/nominations"


@pytest.fixture(scope="module")
def intake(chaos_env):
    with tempfile.TemporaryDirectory(prefix="tuiju-chaos-xss-") as directory:
        system = System(chaos_env, Path(directory))
        try:
            system.start("intake-web")
            yield system
        finally:
            system.stop()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_text_of_a_draft_runs_on_no_page(intake, payload):
    client = Browser(intake.url("intake-web"), Tally(), 8_000_000 + PAYLOADS.index(payload))
    token = client.request("start", "POST", API, (201,), json={"channel": "self", "nominee_kind": "person"}).json()["token"]
    form = with_payload(form_data(email=f"xss-{uuid.uuid4().hex[:8]}@example.com"), payload)
    saved = client.request("form", "PATCH", f"{API}/{token}", (200,), json=form).json()
    pages = [f"/n/{token}"] + [f"/n/{token}/{part}" for part in PARTS]
    ran, shown = [], 0
    with chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (ran.append(f"dialog on {page.url}"), dialog.dismiss()))
        for path in pages:
            answer = page.goto(intake.url("intake-web") + path)
            assert answer.status < 500, (path, answer.status)
            page.keyboard.press("Tab")  # focus moves: an injected onfocus would fire
            if page.evaluate("window.xss === 1"):
                ran.append(f"script on {path}")
            html = page.content()
            shown += payload.replace('"', "&quot;") in html or payload in page.inner_text("body") or \
                any(payload == value for value in page.eval_on_selector_all("input,textarea", "els => els.map(e => e.value)"))
    held = not ran and shown > 0
    record(PART, f"intake draft pages with {payload!r} in every text ({len(saved['problems'])} refusals on saving)",
           held, "; ".join(ran) or f"shown as text on {shown} of {len(pages)} pages, no script ran")
    assert held, (ran, shown)
