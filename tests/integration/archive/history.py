"""A small campaign's history as the archive receives it: nominations in two domains with real files in the
uploads bucket, a resubmission, review decisions with scores, a message, candidates and honourees."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from shared.events import Event, new_event
from shared.messaging.consumer import SourcePosition
from shared.storage import ObjectStore
from tests.unit.notify.builders import submission

UNITS = ("新疆大学后勤集团", "上海某大学后勤集团", "广西某学院")


@dataclass
class History:
    campaign_id: str
    nominations: dict[str, dict] = field(default_factory=dict)  # id -> last snapshot
    events: list[Event] = field(default_factory=list)

    def ids(self, domain: str | None = None) -> list[str]:
        return [i for i, s in self.nominations.items() if domain is None or s["domain"] == domain]


def put_file(uploads: ObjectStore, kind: str, name: str) -> dict:
    data = f"{kind}:{name}:{uuid.uuid4()}".encode() * 50
    key = f"test-archive/{uuid.uuid4()}"
    uploads.put_bytes(key, data, content_type="application/pdf")
    return {"file_id": str(uuid.uuid4()), "kind": kind, "object_key": key, "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data), "content_type": "application/pdf", "filename": f"{name}-{kind}.pdf"}


def campaign_history(uploads: ObjectStore, campaign_id: str, names=("王秀兰", "李建国", "阿依古丽·买买提")) -> History:
    history = History(campaign_id)
    for index, name in enumerate(names):
        nomination_id = str(uuid.uuid4())
        person = {**submission()["person"], "name": name, "unit": UNITS[index % 3]}
        snapshot = submission(nomination_id=nomination_id, campaign_id=campaign_id, nominee_name=name, person=person,
                              domain=("伙食管理", "学生公寓")[index % 2],
                              files=[put_file(uploads, "sealed_form", name), put_file(uploads, "photo", name)])
        history.nominations[nomination_id] = snapshot
        history.events.append(new_event("nomination.submitted", nomination_id, snapshot, producer="intake"))
    first = next(iter(history.nominations))
    second = {**history.nominations[first], "version": 2, "deeds": "修改后的事迹。", "changed_fields": ["deeds"]}
    history.nominations[first] = second
    history.events += [
        new_event("nomination.resubmitted", first, second, producer="intake"),
        new_event("nomination.advanced", first, {"nomination_id": first, "campaign_id": campaign_id,
                  "from_stage": "material_check", "to_stage": "shortlisted", "decided_by": "committee-1",
                  "scores": {"jiangren": 28, "jiangxin": 27}}, producer="review"),
        new_event("message.delivered", first, {"message_id": "M-1", "cause_event_id": "E-1",
                  "cause_event_type": "nomination.submitted", "recipient": "lihm@shjyhq.org.cn", "channel": "email",
                  "template": "submitted", "attempt": 1, "provider_answer": "250 OK"}, producer="notify"),
        new_event("candidates.published", campaign_id, {"campaign_id": campaign_id, "candidates": [
            {"nomination_id": first, "rank": 1, "nominee_name": second["nominee_name"], "unit": "x", "domain": second["domain"]}],
            "opens_at": "2023-03-10T00:00:00+00:00", "closes_at": "2023-03-17T00:00:00+00:00"}, producer="review"),
        new_event("honourees.confirmed", campaign_id, {"campaign_id": campaign_id, "honourees": [
            {"nomination_id": first, "nominee_name": second["nominee_name"], "unit": second["person"]["unit"],
             "domain": second["domain"]}]}, producer="review"),
    ]
    return history


def apply_all(archive, handler_map: dict, events: list[Event]) -> None:
    """Each event through the archive's consumer handlers, as the runner would (with a place it was read at)."""
    for offset, event in enumerate(events):
        with archive.sessions.begin() as session:
            session.info["source_position"] = SourcePosition(event.topic, 0, offset + uuid.uuid4().int % 10**9)
            handler_map[event.type](session, event)


def objections(history: History) -> list[Event]:
    """The public notice's objections: one upheld-then-dismissed pair on two candidates, one still pending."""
    first, second, third = history.ids()
    campaign_id = history.campaign_id

    def filed(nomination_id: str, objection_id: str) -> Event:
        return new_event("objection.filed", nomination_id, {
            "nomination_id": nomination_id, "objection_id": objection_id, "objector_email": "objector@example.org",
            "summary": "事迹与实际不符"}, producer="review")

    def resolved(nomination_id: str, objection_id: str, outcome: str) -> Event:
        return new_event("objection.resolved", nomination_id, {
            "nomination_id": nomination_id, "objection_id": objection_id, "objector_email": "objector@example.org",
            "summary": "事迹与实际不符", "outcome": outcome, "reason": "经核实"}, producer="review")

    return [
        new_event("candidates.published", campaign_id, {"campaign_id": campaign_id, "candidates": [
            {"nomination_id": nid, "rank": rank, "nominee_name": history.nominations[nid]["nominee_name"], "unit": "x",
             "domain": history.nominations[nid]["domain"]} for rank, nid in ((2, first), (1, third), (3, second))],
            "opens_at": "2023-03-10T00:00:00+00:00", "closes_at": "2023-03-17T00:00:00+00:00"}, producer="review"),
        filed(first, "O-1"), resolved(first, "O-1", "dismissed"), filed(first, "O-2"),
        resolved(second, "O-3", "upheld"), filed(second, "O-3"),  # its outcome read before it: kept
    ]
