"""Notify's routing as the tests drive it: plan an event's messages, see who gets what, and the payloads of
the events the routing tests send (a return, an advance, a scan, an objection)."""
from services.notify.domain.routing import plan_messages
from tests.unit.notify.builders import CAMPAIGN_ID, envelope


def sent(planned):
    """(template, address, channel) of each planned message, in order."""
    return [(m.template, m.recipient.address(m.channel), m.channel) for m in planned]


def plan(event_type, payload, directory, event_id="E-1"):
    return plan_messages(envelope(event_type, payload, event_id), directory)


def returned(**changes):
    payload = {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "fields": ["person.phone", "deeds"],
               "files": ["certificate"], "reason": "证书与事迹不符。",
               "correction_deadline": "2023-03-10T10:00:00+00:00", "returned_by": "reviewer-3"}
    payload.update(changes)
    return payload


def advanced(to_stage):
    return {"nomination_id": "N-1", "campaign_id": CAMPAIGN_ID, "from_stage": "checked", "to_stage": to_stage,
            "decided_by": "branch-2", "scores": None}


def scanned(verdict):
    return {"nomination_id": "N-1", "file_id": "F-1", "kind": "sealed_form", "filename": "报名表.pdf",
            "verdict": verdict, "reasons": ["未识别到红色公章。"], "findings": {"seal_found": False}}


def objection(**changes):
    payload = {"nomination_id": "N-1", "objection_id": "OBJ-1", "objector_email": "Objector@Example.com",
               "summary": "获奖情况不实。"}
    payload.update(changes)
    return payload
