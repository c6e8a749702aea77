"""A campaign purged in review (PIPL) stays purged: rebuilding the read model from offset 0 brings back
the nominations, never their purged fields."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import nomination_versions, nominations
from services.review.service_layer.purge import campaign_purge_requested
from services.review.service_layer.rebuild import rebuild_read_model
from shared.events import new_event
from tests.integration.review.conftest import publish, run_consumer
from tests.stack import wait_until
from tests.unit.notify.builders import submission as submission_payload

pytestmark = pytest.mark.integration


def snapshots_of(review, nomination_id: str) -> list[dict]:
    with review.engine.connect() as conn:
        current = conn.execute(sa.select(nominations.c.snapshot)
                               .where(nominations.c.nomination_id == nomination_id)).scalars().all()
        versions = conn.execute(sa.select(nomination_versions.c.snapshot)
                                .where(nomination_versions.c.nomination_id == nomination_id)).scalars().all()
    return [*current, *versions]


def test_read_model_rebuilt_after_a_purge_holds_no_purged_field(review, stack):
    campaign_id = f"purged-{uuid.uuid4().hex[:8]}"
    nomination_id = str(uuid.uuid4())
    payload = {**submission_payload(), "nomination_id": nomination_id, "campaign_id": campaign_id}
    phone = payload["person"]["phone"]
    runner = run_consumer(review, from_start=False)
    try:
        publish(review.settings.kafka_bootstrap,
                new_event("nomination.submitted", nomination_id, payload, producer="intake"))
        wait_until(lambda: snapshots_of(review, nomination_id), 60, what="the submission in the read model")
    finally:
        runner.stop.set()
    purge = new_event("campaign.purge_requested", campaign_id,
                      {"campaign_id": campaign_id, "fields": ["phone"], "retention_rule": "test",
                       "due_at": "2026-01-01T00:00:00+00:00"}, producer="archive")
    with review.sessions.begin() as session:
        campaign_purge_requested(session, purge)
    assert phone not in str(snapshots_of(review, nomination_id))

    rebuild_read_model(review)

    rebuilt = snapshots_of(review, nomination_id)
    assert rebuilt and phone not in str(rebuilt)
    assert all(snapshot["nomination_id"] == nomination_id for snapshot in rebuilt)
