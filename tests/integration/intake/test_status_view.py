"""The status of one nomination (service_layer/views.py, read in two queries by view_rows.py) and the API's
answer to a submit, read in the send's own transaction: the same as the status read after it."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.intake.adapters.links import nomination_token
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer.incoming import HANDLERS
from services.intake.service_layer.organisations import create_organisation
from services.intake.service_layer.views import nomination_view
from shared.events import new_event
from tests.builders import form_data, random_name, upload_required_files

pytestmark = pytest.mark.integration

RECOMMENDER = "协会伙食专业委员会"


def branch_nomination(intake) -> str:
    """A branch's complete nomination of a nominee from one of its member units, its files scanned."""
    organisation_id, _ = create_organisation(intake, name=RECOMMENDER, type="branch",
                                             email=f"branch-{uuid.uuid4().hex[:8]}@example.com",
                                             member_units=("新疆大学",))
    nomination_id = use_cases.start_nomination(intake, channel="branch", nominee_kind="person",
                                               organisation_id=organisation_id)
    use_cases.save_draft(intake, nomination_id, form_data(name=random_name()))
    upload_required_files(intake, nomination_id)
    return nomination_id


def return_for(intake, nomination_id: str, fields: list[str]) -> None:
    deadline = datetime.now(timezone.utc) + timedelta(days=3)
    with intake.sessions.begin() as session:
        HANDLERS["nomination.returned"](session, new_event("nomination.returned", nomination_id, {
            "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "fields": fields, "files": [],
            "reason": "联系电话有误", "correction_deadline": deadline.isoformat(), "returned_by": "review"},
            producer="review"))


def test_the_api_submit_answers_what_the_status_shows_after_it(intake, client):
    nomination_id = branch_nomination(intake)
    path = f"/api/v1/nominations/{nomination_token(intake.settings.secret_key, nomination_id)}"

    sent = client.post(f"{path}/submit", json={"submit_key": "k1"})
    again = client.post(f"{path}/submit", json={"submit_key": "k1"})

    assert sent.status_code == 200 and sent.json == client.get(path).json
    assert sent.json["state"] == "submitted" and sent.json["version"] == 1 and len(sent.json["files"]) == 4
    assert again.status_code == 200 and again.json == sent.json


def test_a_returned_nominations_status_then_its_resubmission_answered_by_the_api(intake, client):
    nomination_id = branch_nomination(intake)
    path = f"/api/v1/nominations/{nomination_token(intake.settings.secret_key, nomination_id)}"
    assert client.post(f"{path}/submit", json={"submit_key": "k1"}).status_code == 200
    return_for(intake, nomination_id, ["person.phone"])
    use_cases.save_draft(intake, nomination_id, {"person": {"phone": "13987654321"}})

    returned = nomination_view(intake, nomination_id)
    resent = client.post(f"{path}/submit", json={"submit_key": "k2"})
    resubmitted = nomination_view(intake, nomination_id)

    assert returned.state == "returned" and returned.recommender == RECOMMENDER
    assert [v["version"] for v in returned.versions] == [1] and list(returned.changed_from) == ["person.phone"]
    assert returned.open_fields == ["person.phone"] and returned.rule_problems == []
    assert resent.status_code == 200 and resent.json == client.get(path).json
    assert resent.json["state"] == "resubmitted" and resent.json["version"] == 2 and resent.json["open_fields"] == []
    assert [v["version"] for v in resubmitted.versions] == [1, 2] and resubmitted.changed_from == {}
    assert resubmitted.recommender == RECOMMENDER
