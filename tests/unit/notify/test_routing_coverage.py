"""Every routed event at once: each type planned, every context with exactly the catalogue's placeholders,
every message rendered and stored, dedup keys unique, payloads as the shared schemas make them."""
import json

import pytest

from services.notify.domain.catalogue import TEMPLATE_VARIABLES
from services.notify.domain.preferences import Preferences
from services.notify.domain.routing import ROUTED_EVENT_TYPES, plan_messages
from services.notify.domain.templates import render
from tests.unit.notify.builders import CAMPAIGN_ID, CONTACT_EMAIL, RECOMMENDER_EMAIL, InMemoryDirectory, submission
from tests.unit.notify.routing_events import advanced, objection, plan, returned, scanned, sent

pytestmark = pytest.mark.unit


@pytest.fixture
def directory():
    return InMemoryDirectory().remember(submission())


def every_event():
    directory = InMemoryDirectory().remember(submission())
    directory.set_preferences("N-1", "contact", Preferences(sms=True))
    directory.set_preferences("N-1", "nominee", Preferences(sms=True), lang="en")
    events = [
        ("nomination.submitted", submission()),
        ("nomination.resubmitted", submission(version=2, changed_fields=["deeds"], changed_files=[])),
        ("nomination.withdrawn", {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "by": "x", "reason": ""}),
        ("upload.scanned", scanned("refused")),
        ("nomination.returned", returned()),
        ("nomination.advanced", advanced("shortlisted")),
        ("nomination.advanced", advanced("not_shortlisted")),
        ("nomination.disqualified", {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "stage": "review",
                                     "rule": "R11", "reason": "伪造。", "replacement_nomination_id": None}),
        ("candidates.published", {"campaign_id": CAMPAIGN_ID, "notice_url": None,
                                  "opens_at": "2023-03-13T01:00:00Z", "closes_at": "2023-03-19T10:00:00Z",
                                  "candidates": [{"nomination_id": "N-1", "rank": 1, "nominee_name": "王秀兰",
                                                  "unit": None, "domain": "伙食管理"}]}),
        ("objection.filed", objection()),
        ("objection.resolved", objection(outcome="upheld", reason="属实。")),
        ("honourees.confirmed", {"campaign_id": CAMPAIGN_ID, "honourees": [
            {"nomination_id": "N-1", "nominee_name": "王秀兰", "unit": None, "domain": "伙食管理"}]}),
    ]
    return [message for index, (event_type, payload) in enumerate(events)
            for message in plan(event_type, payload, directory, event_id=f"E-{index}")]


def test_every_routed_event_type_is_exercised_here():
    assert {m.event_type for m in every_event()} == ROUTED_EVENT_TYPES


def test_every_planned_context_has_exactly_the_catalogue_placeholders():
    for message in every_event():
        assert set(message.context) == TEMPLATE_VARIABLES[message.template], message.template


def test_every_planned_message_renders_and_stores_as_json():
    for message in every_event():
        rendered = render(message.template, message.lang, message.channel, message.context)
        assert rendered.body
        json.dumps(message.context)


def test_every_planned_dedup_key_is_unique():
    keys = [m.dedup_key for m in every_event()]
    assert len(keys) == len(set(keys))


def test_events_made_and_read_by_the_shared_envelope_route_alike(directory):
    from shared.events import new_event, parse_event

    made = new_event("nomination.returned", "N-1", returned(), producer="review")
    read = parse_event(made.to_json())
    planned = plan_messages(read, directory)
    assert sent(planned) == [
        ("returned_for_correction", CONTACT_EMAIL, "email"),
        ("recommender_update", RECOMMENDER_EMAIL, "email"),
    ]
    assert planned[0].dedup_key == f"{made.event_id}:{CONTACT_EMAIL}:email"


@pytest.mark.parametrize("event_type,payload", [
    ("nomination.submitted", submission()),
    ("nomination.resubmitted", submission(version=2, changed_fields=["deeds"], changed_files=["F-1"])),
    ("upload.scanned", scanned("flagged")),
    ("nomination.returned", returned()),
    ("nomination.advanced", advanced("shortlisted")),
    ("objection.resolved", objection(outcome="upheld", reason="属实。")),
])
def test_test_payloads_satisfy_the_shared_event_schemas(event_type, payload):
    from shared.events import new_event

    new_event(event_type, "N-1", payload, producer="test")
