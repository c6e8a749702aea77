"""Notify's consumer per submission: the people read once, the campaign taken from the event, in a bounded
number of statements; what it records is the same."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event as sa_event

from services.notify.adapters.orm import messages, recipients
from services.notify.bootstrap import bootstrap
from services.notify.service_layer.handlers import make_handlers
from tests.integration.notify.harness import event, submission

pytestmark = pytest.mark.integration


@pytest.fixture()
def notify(notify_env):
    container = bootstrap(notify_env)
    yield container
    container.engine.dispose()


def test_a_submission_records_its_people_and_messages_in_at_most_eight_statements(notify, people):
    payload = submission(people, 0)
    handler = make_handlers(notify)["nomination.submitted"]
    notify.refresh_templates()  # the first look loads the secretariat's edits; later ones only compare
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    try:
        with notify.sessions.begin() as session:
            session.execute(sa.select(1))  # the connection and its transaction, not counted
            sa_event.listen(notify.engine, "before_cursor_execute", count)
            try:
                handler(session, event("nomination.submitted", payload))
            finally:
                sa_event.remove(notify.engine, "before_cursor_execute", count)
        with notify.engine.connect() as conn:
            kinds = conn.execute(sa.select(recipients.c.kind).where(
                recipients.c.nomination_id == payload["nomination_id"])).scalars().all()
            recorded = conn.execute(sa.select(messages.c.campaign_id, messages.c.address).where(
                messages.c.nomination_id == payload["nomination_id"])).all()
    finally:
        with notify.engine.begin() as conn:  # no worker sends them; a later sweeper must not either
            conn.execute(sa.delete(messages).where(messages.c.nomination_id == payload["nomination_id"]))
    assert sorted(kinds) == ["contact", "nominee", "recommender"]
    assert {row.address for row in recorded} >= {people.email("contact-0")}
    assert {row.campaign_id for row in recorded} == {payload["campaign_id"]}
    assert len(statements) <= 8, len(statements)  # 10 before the people were read once
