"""A nomination the review returned for one field is corrected through intake's own form on a phone, as an
applicant would: the part's page posts back every field, the ones the return did not open unchanged (an age
typed as text, 中共党员 as the form names it), and only the opened field may differ; the others are shown
locked. Saving leads straight to the check page, which offers 修改 beside the opened field alone, and the
applicant resubmits there."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import nominations
from services.intake.service_layer import submission
from services.intake.service_layer.incoming import HANDLERS
from shared.events import new_event
from tests.builders import complete_self_nomination, open_intake
from tests.e2e.browser import PHONE, chromium, intake_alone, shoot

pytestmark = pytest.mark.e2e


def return_for_correction(intake, nomination_id: str, fields: list[str]) -> None:
    """What intake's consumer does with review's nomination.returned (the consumer itself is tested on Kafka)."""
    deadline = datetime.now(timezone.utc) + timedelta(days=3)
    event = new_event("nomination.returned", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "fields": fields, "files": [],
        "reason": "联系电话与单位登记的不一致，请核实后修改", "correction_deadline": deadline.isoformat(),
        "returned_by": "review-e2e"}, producer="review")
    with intake.sessions.begin() as session:
        HANDLERS["nomination.returned"](session, event)


def row_of(intake, nomination_id: str):
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(nominations).where(nominations.c.id == nomination_id)).one()


def test_a_returned_field_is_corrected_in_the_form_and_resubmitted(stack):
    intake = open_intake(stack)
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "first")
    return_for_correction(intake, nomination_id, ["person.phone"])
    token = nomination_token(intake.settings.secret_key, nomination_id)
    with intake_alone(stack) as url, chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(f"{url}/n/{token}")
        page.get_by_role("link", name="修改内容").click()
        assert page.get_by_label("联系电话").is_editable()
        assert not page.get_by_label("姓名", exact=True).is_editable()  # not opened by the return: locked
        page.get_by_label("联系电话").fill("13987654321")
        shoot(page, "correction-form-phone")
        with page.expect_navigation():
            page.get_by_role("button", name="保存并继续").click()
        assert page.get_by_role("alert").count() == 0, page.locator("main").inner_text()[:800]
        assert row_of(intake, nomination_id).data["person"]["phone"] == "13987654321"
        # Only the phone was opened: straight on to the check page, 修改 beside the phone alone (I-13).
        expect(page).to_have_url(re.compile(r"/check$"))
        assert [" ".join(t.split()) for t in page.get_by_role("link", name=re.compile("^修改")).all_inner_texts()] == ["修改 联系电话"]
        expect(page.locator("dd.was")).to_have_text(re.compile(r"已修改\s*修改前：13812345678"))
        shoot(page, "correction-check-phone")
        page.set_viewport_size({"width": 1280, "height": 800})
        shoot(page, "correction-check-desktop")

        page.get_by_role("button", name="重新提交").click()
        assert row_of(intake, nomination_id).state == "resubmitted", page.locator("main").inner_text()[:800]
    intake.engine.dispose()
