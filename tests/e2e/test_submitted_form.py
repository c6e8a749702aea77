"""A submitted nomination's form parts open read-only on a phone: every input locked, no save button, and
the page says why (before, they looked editable and saving threw the input away)."""
from __future__ import annotations

import pytest

from services.intake.adapters.links import nomination_token
from services.intake.service_layer import submission
from tests.builders import complete_self_nomination, open_intake
from tests.e2e.browser import PHONE, applicant_system, chromium, free_port, processes, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(stack):
    port = free_port()
    env, commands = applicant_system(stack, port)
    with processes(env, {"intake-web": commands["intake-web"]}, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("part", ["basic", "deeds"])
def test_a_submitted_nominations_form_is_read_only(system, stack, part):
    intake = open_intake(stack)
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "k1")
    token = nomination_token(intake.settings.secret_key, nomination_id)
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{system}/n/{token}/{part}")
        assert "内容已锁定，只能查看" in page.locator("#read-only").inner_text()
        fields = page.locator("main form input:not([type=hidden]), main form select, main form textarea")
        assert fields.count() > 0
        assert all(fields.nth(i).is_disabled() for i in range(fields.count()))
        assert page.get_by_role("button", name="保存并继续").count() == 0
        shoot(page, f"submitted-{part}-phone")
