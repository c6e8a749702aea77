"""The nomination's reference (申报编号) reaches every message about it, and the secretariat finds those
messages by it, whole or by its number alone. Events straight into the handler, on notify's real database."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import messages
from services.notify.service_layer.handlers import notify_of_event
from tests.integration.notify.harness import event, People, submission

pytestmark = pytest.mark.integration


@pytest.fixture()
def notify(silent_notify):
    return silent_notify


def handled(notify, *events) -> None:
    for one in events:
        with notify.sessions.begin() as session:
            notify_of_event(notify, session, one)


def rows_about(notify, nomination_id: str) -> list:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(messages).where(messages.c.nomination_id == nomination_id)
                            .order_by(messages.c.created_at)).all()


def unique_reference() -> str:
    return f"2022-{random.randint(100000, 999999)}"


def test_every_message_about_a_nomination_carries_its_reference_even_when_the_event_does_not(notify):
    people, reference = People(), unique_reference()
    payload = submission(people, reference=reference)
    nomination_id = payload["nomination_id"]
    withdrawn = {"nomination_id": nomination_id, "campaign_id": payload["campaign_id"], "by": "applicant",
                 "reason": ""}  # as published before references existed
    handled(notify, event("nomination.submitted", payload), event("nomination.withdrawn", withdrawn))
    rows = rows_about(notify, nomination_id)
    assert {row.template for row in rows} >= {"submission_received", "withdrawn", "recommender_update"}
    assert {row.reference for row in rows} == {reference}
    assert all(f"申报编号：{reference}" in row.body for row in rows if row.channel == "email")


def test_secretariat_finds_the_messages_by_the_whole_reference_or_its_number(notify, admin):
    people, reference = People(), unique_reference()
    payload = submission(people, reference=reference)
    handled(notify, event("nomination.submitted", payload))
    for typed in (reference, reference.split("-")[1], f" {reference.replace('-', '－')} "):
        page = admin.get("/admin/messages", query_string={"nomination_id": typed}).get_data(as_text=True)
        assert people.email("contact-0") in page, typed
        assert "没有符合条件的消息。" not in page
    other = admin.get("/admin/messages", query_string={"nomination_id": "2022-000001"}).get_data(as_text=True)
    assert people.email("contact-0") not in other


def test_operators_read_a_message_without_its_private_link_and_its_html_sandboxed(notify, admin):
    people = People()
    payload = submission(people, reference=unique_reference())
    handled(notify, event("nomination.submitted", payload))
    [row] = [r for r in rows_about(notify, payload["nomination_id"])
             if r.template == "submission_received" and r.channel == "email"]
    assert payload["status_url"] in row.body  # what the applicant receives
    page = admin.get(f"/admin/messages/{row.id}").get_data(as_text=True)
    assert payload["status_url"] not in page and "专属链接，已隐藏" in page
    shown = admin.get(f"/admin/messages/{row.id}/mail.html")
    assert shown.headers["Content-Security-Policy"].startswith("sandbox")
    assert payload["status_url"] not in shown.get_data(as_text=True)
    assert "申报编号：" in shown.get_data(as_text=True)
