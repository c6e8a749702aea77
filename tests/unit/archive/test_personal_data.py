import pytest

from services.archive.domain.ownership import campaign_named_by, nomination_named_by
from services.archive.domain.personal_data import holds_personal_data, redact
from tests.unit.notify.builders import submission, team_submission

pytestmark = pytest.mark.unit


def envelope(payload: dict, event_type: str = "nomination.submitted") -> dict:
    return {"event_id": "e1", "type": event_type, "key": "N-1", "payload": payload}


def test_redact_removes_every_personal_field_of_a_person_and_keeps_the_public_record():
    payload = redact(envelope(submission()))["payload"]
    assert payload["person"]["phone"] == payload["person"]["email"] == payload["person"]["address"] == ""
    assert payload["person"]["ethnic_group"] == payload["person"]["political_status"] == ""
    assert payload["contact"]["email"] == payload["contact"]["phone"] == ""
    assert (payload["nominee_name"], payload["person"]["unit"], payload["domain"]) == ("王秀兰", "上海某大学后勤集团", "伙食管理")
    assert payload["deeds"] == submission()["deeds"]


def test_redact_reaches_the_team_leader_inside_the_team():
    payload = redact(envelope(team_submission()))["payload"]
    assert payload["team"]["leader"] == {"name": "赵刚", "phone": "", "email": ""}


def test_redact_only_the_fields_asked_for():
    payload = redact(envelope(submission()), ["phone"])["payload"]
    assert payload["person"]["phone"] == "" and payload["person"]["email"] == "wangxl@school.edu.cn"


def test_holds_personal_data_false_once_redacted_and_for_a_stage_event():
    assert holds_personal_data(envelope(submission()))
    assert not holds_personal_data(redact(envelope(submission())))
    assert not holds_personal_data(envelope({"campaign_id": "c", "stage": "review"}, "campaign.stage_opened"))


def test_campaign_named_by_the_payload_or_by_a_campaign_keyed_event():
    assert campaign_named_by("nomination.submitted", "N-1", {"campaign_id": "c1"}) == "c1"
    assert campaign_named_by("honourees.confirmed", "c2", {}) == "c2"
    assert campaign_named_by("upload.scanned", "N-1", {"nomination_id": "N-1"}) is None
    assert nomination_named_by({"nomination_id": "N-1"}) == "N-1"

