"""shared/auth/recording.py: staff sign-in events as the services publish them, and the archive keeping them."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from shared.auth import SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, StaffAuthEvent
from shared.auth.recording import staff_event
from shared.events import parse_event
from shared.events.registry import all_types

pytestmark = pytest.mark.unit


def test_each_kind_becomes_its_event_on_the_staff_topic_keyed_by_subject():
    for kind, name in ((SIGN_IN, "staff.signed_in"), (SIGN_OUT, "staff.signed_out")):
        event = staff_event(StaffAuthEvent(kind, "notify", "sub-1", "secretariat", ("secretariat",)))
        assert (event.type, event.topic, event.key, event.producer) == (name, "staff", "sub-1", "notify")
        assert event.payload["roles"] == ["secretariat"]


def test_a_failed_sign_in_without_a_user_is_keyed_unknown_and_keeps_its_reason_short():
    event = staff_event(StaffAuthEvent(SIGN_IN_FAILED, "review", reason="MismatchingStateError: " + "x" * 900,
                                       user_agent="u" * 1000))
    assert (event.type, event.key) == ("staff.sign_in_failed", "unknown")
    assert len(event.payload["reason"]) == 500 and len(event.payload["user_agent"]) == 300


def test_staff_events_round_trip_through_their_schema():
    event = staff_event(StaffAuthEvent(SIGN_IN, "archive", "sub-2", "auditor", ("auditor",), remote_addr="10.0.0.1"))
    parsed = parse_event(json.dumps(event.as_dict()))
    assert parsed.payload["username"] == "auditor" and parsed.payload["remote_addr"] == "10.0.0.1"


def test_the_archive_reads_the_staff_topic_and_keeps_every_staff_event():
    from services.archive.entrypoints.consumer import TOPICS, handlers

    staff_types = {t.name for t in all_types() if t.topic == "staff"}
    assert staff_types == {"staff.signed_in", "staff.signed_out", "staff.sign_in_failed", "staff.provider_event"}
    assert "staff" in TOPICS
    assert staff_types <= set(handlers(SimpleNamespace(campaign=SimpleNamespace(id="c"))))
