"""Nominations that waited for a reviewer are handed out first submitted, first served: when reviewers' caps
are tight, the one sent earlier gets its reviewer, whatever its id; and one that still finds no reviewer is
left unwritten (no update, no audit entry)."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import audit_log, reviews
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.assignments import assign_waiting
from services.review.service_layer.handlers import make_handlers
from shared.events import new_event
from tests.integration.review.committee import own_campaign_review, register
from tests.unit.notify.builders import submission

pytestmark = pytest.mark.integration


def assignee(review, nomination_id: str) -> str | None:
    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.assigned_to).where(reviews.c.nomination_id == nomination_id)).scalar()


def audited(review, nomination_id: str) -> int:
    with review.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(
            audit_log.c.target == nomination_id, audit_log.c.action == "assignment")).scalar_one()


def receive_two(review, tag: str, domain: str) -> tuple[str, str]:
    """Two nominations of `domain` sent a day apart, with ids in the other order than their sending."""
    earlier, later = f"ffffffff-{tag}", f"00000000-{tag}"
    received = make_handlers(review)["nomination.submitted"]
    for nomination_id, at in ((later, "2026-03-02T09:00:00+08:00"), (earlier, "2026-03-01T09:00:00+08:00")):
        event = new_event("nomination.submitted", nomination_id, {
            **submission(), "nomination_id": nomination_id, "campaign_id": review.campaign.id, "domain": domain,
            "submitted_at": at}, producer="intake")
        with review.sessions.begin() as session:
            received(session, event)
    return earlier, later


def test_waiting_nominations_are_handed_out_in_the_order_they_were_submitted(stack):
    review = own_campaign_review(stack)
    try:
        tag = uuid.uuid4().hex[:8]
        domain = f"测试领域{tag}"  # no reviewer but this test's covers it
        earlier, later = receive_two(review, tag, domain)
        assert assignee(review, earlier) is None and assignee(review, later) is None, "no reviewer yet"
        entries_before = audited(review, later)
        reviewer = StaffMember(f"wg-order-{tag}", "审核员", Role.WORKING_GROUP, domains=(domain,), unit=f"单位{tag}", cap=1)
        register(review, reviewer)
        with review.sessions.begin() as session:
            assert assign_waiting(session, review.campaign, review.clock()) == 1
        assert (assignee(review, earlier), assignee(review, later)) == (reviewer.subject, None)
        assert audited(review, later) == entries_before  # still waiting: nothing written about it
    finally:
        review.engine.dispose()
