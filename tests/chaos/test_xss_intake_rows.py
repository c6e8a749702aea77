"""Markup only an attacker past intake's refusal of < and > could store (tests/chaos/xss.py), injected as rows
of intake's nominations table (every free text of a draft's form written to its `data`, and a return
reason as review's decision would leave it), then opened in
headless Chromium: the applicant's draft pages and the secretariat's list and nomination pages of intake. No
script runs, nothing is made from a payload, each shows as its text."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import nominations
from shared.reference_numbers import format_reference
from services.intake.entrypoints.web import create_app
from services.intake.service_layer.views import PARTS
from tests.builders import form_data, own_address
from tests.chaos.xss import ALL, Tally, Watch, signed_in, visit, with_payload
from tests.e2e.browser import chromium
from tests.integration.auth.harness import served

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

API = "/api/v1/nominations"


def hostile_draft(app, payload: str, tag: str) -> tuple[str, str]:
    """A draft whose every free text is the payload, written to its row; its token and reference."""
    client, intake = own_address(app.test_client()), app.extensions["intake"]  # per-address limits apart
    started = client.post(API, json={"channel": "self", "nominee_kind": "person"}).get_json()
    client.patch(f"{API}/{started['token']}", json=form_data(name=f"原样{tag}", email=f"xss-{tag}@example.com"))
    with intake.engine.begin() as conn:
        data, number = conn.execute(sa.select(nominations.c.data, nominations.c.reference_number)
                                    .where(nominations.c.id == started["id"])).one()
        conn.execute(sa.update(nominations).where(nominations.c.id == started["id"])
                     .values(data={**with_payload(data, payload), "person": {
                         **with_payload(data["person"], payload), "name": f"{payload}{tag}"}},
                             return_reason=payload))
    return started["token"], format_reference(intake.campaign.year, number)


def test_markup_in_intake_rows_runs_on_no_draft_or_staff_page(chaos_env):
    app = create_app({**chaos_env, "TUIJU_ENV": "test"})
    tag = uuid.uuid4().hex[:8]
    drafts = [hostile_draft(app, payload, tag) for payload in ALL]
    applicant, secretariat = Tally(), Tally()
    with served(app) as url, chromium() as browser:
        page = Watch(browser.new_context().new_page())
        for token, _ in drafts:
            visit(page, applicant, url, [f"/n/{token}", *[f"/n/{token}/{part}" for part in PARTS], f"/n/{token}/check"])
        staff = signed_in(browser, url + "/admin/nominations")
        visit(staff, secretariat, url, [f"/admin/nominations?q={tag}", *[f"/admin/nominations/{ref}" for _, ref in drafts]])
    how = "injected as rows of intake's nominations table"
    held = [applicant.record(f"intake's draft pages with markup in every text ({how})"),
            secretariat.record(f"intake's staff list and nomination pages, signed in as the secretariat ({how})")]
    assert all(held), (applicant.harm, secretariat.harm, len(applicant.shown), len(secretariat.shown))
