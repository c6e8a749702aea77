"""The work queue on the real PostgreSQL, built by the consumer from real events: each role sees only its
part, a reviewer never sees another domain's nomination or one of their own unit, and search finds Chinese
names and units."""
from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import reviews
from services.review.domain.people import Role, StaffMember
from services.review.domain.queue_filter import QueueFilter
from services.review.service_layer.queries import counts_by_domain_and_state, queue_page
from services.review.service_layer.staff import save_member
from shared.events import new_event
from tests.integration.review.conftest import publish
from tests.stack import wait_until
from tests.unit.notify.builders import submission

pytestmark = pytest.mark.integration


def ids(review, actor, **filters) -> set[str]:
    with review.sessions() as session:
        return {row.nomination_id for row in queue_page(session, actor, QueueFilter(per_page=100, **filters)).rows}


def test_queue_shows_each_role_its_part_and_never_a_conflict(review, consumer, staff):
    tag = uuid.uuid4().hex[:6]
    own_unit = f"审核员单位{tag}"
    worker = replace(staff["worker"], unit=own_unit)
    with review.sessions.begin() as session:
        save_member(session, worker, by=None, at=review.clock())
    names = {"canteen": f"甘{tag}", "flat": f"史{tag}", "own": f"孔{tag}"}
    made = {key: str(uuid.uuid4()) for key in names}
    units = {"canteen": f"示例大学{tag}", "flat": f"示例大学{tag}", "own": f"{own_unit}后勤处"}
    domains = {"canteen": "伙食管理", "flat": "学生公寓", "own": "伙食管理"}
    for key, nomination_id in made.items():
        person = {**submission()["person"], "name": names[key], "unit": units[key]}
        publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, {
            **submission(), "nomination_id": nomination_id, "nominee_name": names[key], "person": person,
            "domain": domains[key], "campaign_id": review.campaign.id}, producer="intake"))
    wait_until(lambda: all(ids(review, staff["secretariat"], q=name) for name in names.values()), 30,
               what="the three nominations in the queue")

    seen_by_worker = ids(review, worker, q=tag)
    assert seen_by_worker == {made["canteen"]}  # not another domain's, not their own unit's
    assert ids(review, staff["secretariat"], q=tag) == set(made.values())
    assert ids(review, staff["branch"], q=tag) == set()  # nothing approved yet
    auditor = StaffMember(f"aud-{tag}", "审计", Role.AUDITOR, unit=own_unit)
    assert ids(review, auditor, q=tag) == set(made.values())

    with review.engine.begin() as conn:
        conn.execute(sa.update(reviews).where(reviews.c.nomination_id == made["canteen"]).values(state="approved"))
    assert ids(review, staff["branch"], q=tag) == {made["canteen"]}
    assert ids(review, staff["secretariat"], q=tag, domain="学生公寓") == {made["flat"]}
    assert ids(review, staff["secretariat"], q=f"示例大学{tag}") == {made["canteen"], made["flat"]}
    assert ids(review, staff["secretariat"], q=names["own"][:1] + tag[:3]) == {made["own"]}
    with review.sessions() as session:
        counts = counts_by_domain_and_state(session, worker)
    assert all(domain in worker.domains for domain, _ in counts)
