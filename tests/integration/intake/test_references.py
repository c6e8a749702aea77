"""Every nomination has one short reference (申报编号, `2022-00042`) from its start: on its pages, on the
printable form, in the API and in every nomination event it publishes."""
from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
import sqlalchemy as sa

from services.intake.adapters.links import contact_verification_token, nomination_token
from services.intake.adapters.orm import outbox
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import contacts, submission
from services.intake.service_layer.views import nomination_view
from tests.builders import complete_self_nomination, start_by_api

pytestmark = pytest.mark.integration


def events_of(intake, nomination_id: str) -> dict[str, dict]:
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.event_type, outbox.c.envelope)
                            .where(outbox.c.key == nomination_id).order_by(outbox.c.id)).all()
    return {row.event_type: row.envelope["payload"] for row in rows}


def reference_of(intake, nomination_id: str) -> str:
    return nomination_view(intake, nomination_id).reference


def test_nominations_started_one_after_another_have_distinct_increasing_references(intake):
    first = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    second = use_cases.start_nomination(intake, channel="self", nominee_kind="team")
    references = [reference_of(intake, first), reference_of(intake, second)]
    assert all(re.fullmatch(rf"{intake.campaign.year}-\d{{5,}}", reference) for reference in references)
    numbers = [int(reference.split("-")[1]) for reference in references]
    assert numbers[0] < numbers[1]


def test_draft_scan_submitted_and_withdrawn_events_carry_the_reference(intake):
    nomination_id = complete_self_nomination(intake, email="ref@example.com")  # its files scanned in-process
    contacts.request_verification(intake, nomination_id)
    contacts.verify(intake, contact_verification_token(intake.settings.secret_key, nomination_id, "ref@example.com"))
    submission.send(intake, nomination_id, "key-1")
    use_cases.withdraw(intake, nomination_id, by="applicant", reason="")
    published = events_of(intake, nomination_id)
    reference = reference_of(intake, nomination_id)
    assert published["nomination.submitted"]["reference"] == reference
    assert published["nomination.withdrawn"]["reference"] == reference
    assert published["nomination.contact_verification_requested"]["reference"] == reference
    assert published["nomination.contact_verified"]["reference"] == reference
    assert published["upload.scanned"]["reference"] == reference


def test_task_list_status_page_and_api_show_the_reference(client, intake):
    token = start_by_api(client)
    api = client.get(f"/api/v1/nominations/{token}").json
    assert re.fullmatch(r"\d{4}-\d{5,}", api["reference"])
    page = client.get(f"/n/{token}").get_data(as_text=True)
    assert f"申报编号 <strong class=\"reference\" data-reference>{api['reference']}</strong>" in page


def test_done_page_and_printable_form_show_the_reference(client, intake):
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "key-1")
    token = nomination_token(intake.settings.secret_key, nomination_id)
    reference = reference_of(intake, nomination_id)
    done = client.get(f"/n/{token}/done").get_data(as_text=True)
    assert reference in done
    pdf = client.get(f"/n/{token}/form.pdf")
    texts = [page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf.data)]
    assert all(f"申报编号：{reference}" in text for text in texts)
    assert f'filename="registration-{reference}.pdf"' in pdf.headers["Content-Disposition"]
