"""save_draft tells notify of a draft (nomination.draft_saved, through intake's outbox, in the draft's
transaction) when its contact can be reached and is new or changed, not at every autosave."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import outbox
from services.intake.service_layer import nominations as use_cases
from tests.builders import form_data

pytestmark = pytest.mark.integration


def draft_events(intake, nomination_id: str) -> list[dict]:
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.key == nomination_id,
                                                               outbox.c.event_type == "nomination.draft_saved")
                            .order_by(outbox.c.id)).all()
    return [row.envelope["payload"] for row in rows]


def reference_of(intake, nomination_id: str) -> str:
    from services.intake.service_layer.views import nomination_view

    return nomination_view(intake, nomination_id).reference


def test_save_draft_publishes_one_draft_event_for_autosaves_and_another_when_the_contact_email_changes(intake):
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    form = form_data(email="ma.li@example.com")
    use_cases.save_draft(intake, nomination_id, {"contact": {"name": "马丽", "email": "ma.li@"}})
    assert draft_events(intake, nomination_id) == []  # not yet an address to remind

    use_cases.save_draft(intake, nomination_id, form)
    use_cases.save_draft(intake, nomination_id, form)
    use_cases.save_draft(intake, nomination_id, {"deeds": form["deeds"] + "另有补充。",
                                                 "contact": {"phone": "13900002222"}})
    [first] = draft_events(intake, nomination_id)
    assert first == {
        "nomination_id": nomination_id, "reference": reference_of(intake, nomination_id), "campaign_id": intake.campaign.id, "campaign_name": intake.campaign.name,
        "is_demo": intake.campaign.is_demo, "nominee_name": form["person"]["name"],
        "contact": {"name": "马丽", "email": "ma.li@example.com", "phone": "13900001111"},
        "edit_url": intake.status_url(nomination_id),
    }

    use_cases.save_draft(intake, nomination_id, {"contact": {"email": "MaLi2@example.com"}})
    use_cases.save_draft(intake, nomination_id, {"contact": {"email": "mali2@example.com"}})
    events = draft_events(intake, nomination_id)
    assert len(events) == 2 and events[1]["contact"]["email"] == "mali2@example.com"
