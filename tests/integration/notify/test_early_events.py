"""Review's decision read before the nomination's submission (two topics, not ordered between them: a consumer
catching up, or joining after both were published) is kept, and mailed once the submission comes, as if it had
come after it; one whose submission never comes is dropped after a week. Events straight into the handler, on
notify's real database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import early_events, messages, nominations
from services.notify.domain.early_events import KEPT_FOR
from services.notify.service_layer.handlers import notify_of_event
from tests.integration.notify.harness import People, event, submission

pytestmark = pytest.mark.integration


@pytest.fixture()
def notify(silent_notify):
    return silent_notify


def handled(notify, one) -> list[str]:
    with notify.sessions.begin() as session:
        return notify_of_event(notify, session, one)


def returned(nomination_id: str) -> dict:
    return {"nomination_id": nomination_id, "campaign_id": "2022-zuimei-houqin", "fields": ["person.phone"],
            "files": [], "reason": "联系电话位数不对，请核实", "correction_deadline": "2023-03-10T10:00:00+00:00",
            "returned_by": "reviewer-3"}


def templates_about(notify, nomination_id: str) -> list[str]:
    with notify.engine.connect() as conn:
        return sorted(conn.execute(sa.select(messages.c.template).where(messages.c.nomination_id == nomination_id))
                      .scalars())


def kept(notify, nomination_id: str) -> int:
    with notify.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(early_events)
                            .where(early_events.c.nomination_id == nomination_id)).scalar_one()


def test_a_return_read_before_its_submission_is_mailed_when_the_submission_comes(notify):
    payload = submission(People())
    nomination_id = payload["nomination_id"]
    the_return = event("nomination.returned", returned(nomination_id), producer="review")

    assert handled(notify, the_return) == []
    assert kept(notify, nomination_id) == 1 and templates_about(notify, nomination_id) == []

    handled(notify, event("nomination.submitted", payload))

    assert templates_about(notify, nomination_id) == [
        "recommender_update", "recommender_update", "returned_for_correction", "submission_received"]
    assert kept(notify, nomination_id) == 0
    with notify.engine.connect() as conn:
        in_queue = conn.execute(sa.select(nominations.c.in_review_queue)
                                .where(nominations.c.nomination_id == nomination_id)).scalar_one()
    assert in_queue is False  # the return, handled after the submission, closed it in the reviewers' queue


def test_a_decision_about_a_nomination_notify_knows_is_mailed_at_once(notify):
    payload = submission(People())
    handled(notify, event("nomination.submitted", payload))

    recorded = handled(notify, event("nomination.returned", returned(payload["nomination_id"]), producer="review"))

    assert len(recorded) == 2 and kept(notify, payload["nomination_id"]) == 0


def test_a_kept_event_whose_submission_never_comes_is_dropped_after_a_week(notify):
    stale, fresh = (People().nomination_id(0) for _ in range(2))
    handled(notify, event("nomination.returned", returned(stale), producer="review"))
    with notify.engine.begin() as conn:
        conn.execute(sa.update(early_events).where(early_events.c.nomination_id == stale)
                     .values(received_at=datetime.now(timezone.utc) - KEPT_FOR - timedelta(minutes=1)))

    handled(notify, event("nomination.returned", returned(fresh), producer="review"))

    assert kept(notify, stale) == 0 and kept(notify, fresh) == 1
