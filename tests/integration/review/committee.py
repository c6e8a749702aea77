"""The committee's stages on the test servers: a review container whose campaign has an id of the test's
own (a confirmed list, a notice, an announcement are per campaign, and the test servers are shared),
committee members, and shortlisted nominations: each submission is published to the real Kafka (so the
topic holds what the read model holds, and a rebuild from offset 0 finds it) and applied at once through
review's own consumer handler (faster than waiting for a consumer), then shortlisted by decisions."""
from __future__ import annotations

import dataclasses
import uuid

from services.review.bootstrap import bootstrap, utc_now
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import Action
from services.review.domain.transitions import Request
from services.review.service_layer.decisions import decide_nomination
from services.review.service_layer.handlers import nomination_received
from services.review.service_layer.staff import save_member
from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from shared.events import new_event
from tests.integration.review.conftest import publish
from tests.unit.notify.builders import submission


def own_campaign_review(env: dict, **changes):
    """Review with the demo campaign (open now) under an id of its own; `changes` replace campaign fields."""
    settings = Settings.from_env("review", env)
    campaign = demo_copy(load_campaign(settings.campaign_file), utc_now())
    campaign = dataclasses.replace(campaign, id=f"test-{uuid.uuid4().hex[:8]}", **changes)
    return bootstrap(settings, campaign=campaign)


def register(review, *people: StaffMember) -> None:
    with review.sessions.begin() as session:
        for member in people:
            save_member(session, member, by=None, at=review.clock())


def committee_member(tag: str, n: int, mail_domain: str, **details) -> StaffMember:
    return StaffMember(f"com-{tag}-{n}", f"委员{n}号{tag[:4]}", Role.COMMITTEE, email=f"member{n}@{mail_domain}",
                       unit=details.pop("unit", f"委员单位{tag}{n}"), **details)


def seed_shortlisted(review, secretariat: StaffMember, count: int, tag: str, *, domain_of=None, unit_of=None,
                     contact_of=None, kind_of=None, actions=(Action.APPROVE, Action.SHORTLIST)) -> list[str]:
    """`count` nominations of the review's campaign, received as the consumer receives them and shortlisted
    by the secretariat; returns their ids in order. The `*_of(i)` callables vary the nominations."""
    made, events = [], []
    domains = review.campaign.domains
    for i in range(count):
        nomination_id = str(uuid.uuid4())
        name = f"候选{tag[:4]}{i:03d}"
        unit = unit_of(i) if unit_of else f"示例大学{tag}{i % 7}"
        payload = submission(nomination_id=nomination_id, campaign_id=review.campaign.id, nominee_name=name,
                             domain=(domain_of(i) if domain_of else domains[i % len(domains)]),
                             person={**submission()["person"], "name": name, "unit": unit,
                                     "phone": f"139{i:08d}", "email": f"nominee{i}-{tag}@example.com"},
                             deeds=f"{name}扎根后勤一线二十年，联系电话13912345678，保障师生一日三餐。" * 4,
                             media_priority=i % 5 == 0, submitted_at=f"2023-02-{1 + i % 27:02d}T02:00:00+00:00")
        if contact_of:
            payload["contact"] = contact_of(i)
        if kind_of and kind_of(i) == "team":
            payload.update(nominee_kind="team", person=None, team={
                "name": name, "unit": unit, "leader": {"name": f"领队{i}", "phone": "13700001111", "email": None},
                "members": [{"name": "钱伟", "role": "厨师"}, {"name": "孙丽", "role": "营养师"}]})
        event = new_event("nomination.submitted", nomination_id, payload, producer="intake")
        with review.sessions.begin() as session:
            nomination_received(review, session, event)
        events.append(event)
        for action in actions:
            decide_nomination(review, nomination_id, secretariat, Request(action))
        made.append(nomination_id)
    publish(review.settings.kafka_bootstrap, *events)
    return made
