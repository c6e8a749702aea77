"""The event envelope as a dict: every field of the event, and the same on the wire and back."""
import json

import pytest

from shared.events import new_event, parse_event

pytestmark = pytest.mark.unit


def withdrawn():
    return new_event("nomination.withdrawn", "n-1", {"nomination_id": "n-1", "campaign_id": "c", "by": "api",
                                                    "reason": "个人原因"}, producer="intake")


def test_the_envelope_as_a_dict_has_every_field_of_the_event():
    event = withdrawn()
    envelope = event.as_dict()
    assert set(envelope) == {"event_id", "type", "version", "occurred_at", "producer", "key", "correlation_id",
                             "causation_id", "payload"}
    assert envelope["payload"] == {"nomination_id": "n-1", "campaign_id": "c", "by": "api", "reason": "个人原因"}


def test_an_event_read_from_the_wire_is_the_one_written():
    event = withdrawn()
    assert parse_event(event.to_json()).as_dict() == json.loads(event.to_json())


def test_the_payload_is_the_events_own_not_the_callers():
    given = {"nomination_id": "n-1", "campaign_id": "c", "by": "api", "reason": "原因"}
    event = new_event("nomination.withdrawn", "n-1", given, producer="intake")
    given["reason"] = "changed after"
    assert event.as_dict()["payload"]["reason"] == "原因"
