"""Submitted with a flagged file, on a phone: the applicant is mailed that the materials need attention,
the status page offers to replace the file (before, uploads were locked and withdrawing was the only exit),
and the replacement goes through. The system runs as its own processes."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from services.intake.adapters.links import nomination_token
from services.intake.service_layer import submission
from tests.builders import complete_self_nomination, open_intake
from tests.e2e.browser import PHONE, applicant_system, chromium, free_port, mail_to, processes, shoot
from tests.fixtures import scanfiles

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(stack):
    port = free_port()
    env, commands = applicant_system(stack, port)
    with processes(env, commands, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield {"url": f"http://127.0.0.1:{port}", "mailpit": stack["TUIJU_MAILPIT_API"], "env": env}


def test_a_flagged_file_is_mailed_about_and_replaced_after_submission(system, tmp_path):
    intake = open_intake(system["env"])
    contact = f"flagged-{tmp_path.name[-8:]}@example.com"
    nomination_id = complete_self_nomination(intake, email=contact)  # the form's QR names another nomination
    submission.send(intake, nomination_id, "k1")
    token = nomination_token(intake.settings.secret_key, nomination_id)

    mail = mail_to(system["mailpit"], f"{contact} subject:需要处理")
    assert "加盖公章的纸质报名表" in mail["Text"]

    replacement = tmp_path / "sealed-again.pdf"
    replacement.write_bytes(scanfiles.sealed_form_pdf(nomination_id))
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(f"{system['url']}/n/{token}")
        expect(page.get_by_role("heading", name="材料需要处理")).to_be_visible()
        shoot(page, "flagged-status-phone")
        page.get_by_role("link", name="更换材料").click()
        with page.expect_navigation():
            page.locator("#upload-sealed_form input[type=file]").set_input_files(str(replacement))
        assert "sealed-again.pdf" in page.locator("#upload-sealed_form").inner_text()
        assert "form.pdf" not in page.locator("#upload-sealed_form .file-row").inner_text().replace("sealed-again.pdf", "")
