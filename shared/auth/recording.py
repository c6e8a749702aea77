"""Into the audit trail: a service's recorder writes each staff sign-in event to its outbox (its relay
publishes it on the `staff` topic; the archive keeps it with every other event)."""
from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from shared.auth.audit import SIGN_IN, SIGN_IN_FAILED, SIGN_OUT, Recorder, StaffAuthEvent
from shared.events import Event
from shared.events.envelope import new_event
from shared.messaging.outbox import add_to_outbox

EVENT_TYPES = {SIGN_IN: "staff.signed_in", SIGN_OUT: "staff.signed_out", SIGN_IN_FAILED: "staff.sign_in_failed"}
UNKNOWN_SUBJECT = "unknown"  # the key of failed sign-ins the provider named no user for


def staff_event(event: StaffAuthEvent) -> Event:
    payload = {"service": event.service, "subject": event.subject, "username": event.username,
               "roles": list(event.roles), "remote_addr": event.remote_addr[:64], "user_agent": event.user_agent[:300]}
    if event.kind == SIGN_IN_FAILED:
        payload["reason"] = event.reason[:500] or "unknown"
    return new_event(EVENT_TYPES[event.kind], event.subject or UNKNOWN_SUBJECT, payload, producer=event.service)


def outbox_recorder(sessions: sessionmaker) -> Recorder:
    def record(event: StaffAuthEvent) -> None:
        with sessions.begin() as session:
            add_to_outbox(session, staff_event(event))
    return record
