"""Review's consumer applying several events in one transaction (what it does when behind): each
submission is assigned, audited in an unbroken chain, indexed for conflicts and copied to the queue, as
when applied alone; and one submission alone asks the database a bounded number of statements."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event as sa_event

from services.review.adapters.orm import (audit_log, nomination_versions, nominations, reviews, scan_findings,
                                          staff_conflicts)
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.audit import verify_trail
from services.review.service_layer.handlers import make_handlers
from services.review.service_layer.staff import save_member
from shared.events import new_event
from tests.unit.notify.builders import submission

pytestmark = pytest.mark.integration
PREFIX = "batch-"


@pytest.fixture(autouse=True)
def removed_after(review):
    """These events never went through Kafka: their read-model rows go after the test, or a rebuild of the
    read model from the topic (test_read_model) would find rows it cannot make again."""
    yield
    with review.engine.begin() as conn:
        for table in (staff_conflicts, nomination_versions, scan_findings, reviews, nominations):
            conn.execute(sa.delete(table).where(table.c.nomination_id.like(f"{PREFIX}%")))


def submitted(review, unit: str, sealed_form_id: str | None = None):
    nomination_id = f"{PREFIX}{uuid.uuid4()}"
    person = {**submission()["person"], "unit": unit}
    files = [{"file_id": sealed_form_id or f"f-{uuid.uuid4().hex[:12]}", "kind": "sealed_form", "object_key": "u/x",
              "sha256": "0" * 64, "size": 10, "content_type": "application/pdf", "filename": "报名表.pdf"}]
    payload = submission(nomination_id=nomination_id, campaign_id=review.campaign.id, person=person, files=files,
                         nominee_name="孙桂芳", domain="伙食管理")
    return new_event("nomination.submitted", nomination_id, payload, producer="intake")


def unsealed(nomination_id: str, file_id: str):
    return new_event("upload.scanned", nomination_id, {
        "nomination_id": nomination_id, "file_id": file_id, "kind": "sealed_form", "verdict": "flagged",
        "reasons": ["未检测到公章"], "findings": {"codes": ["seal_missing"]}}, producer="intake")


def test_submissions_in_one_transaction_are_assigned_audited_indexed_and_queued(review, staff):
    handlers = make_handlers(review)
    unit = f"批量大学{uuid.uuid4().hex[:6]}"
    colleague = StaffMember(f"wg-same-{uuid.uuid4().hex[:6]}", "同单位审核员", Role.WORKING_GROUP, domains=("伙食管理",),
                            unit=unit)
    file_id = f"f-{uuid.uuid4().hex[:12]}"
    events = [submitted(review, unit, file_id)] + [submitted(review, unit) for _ in range(3)]
    with review.sessions.begin() as session:
        handlers["upload.scanned"](session, unsealed(events[0].key, file_id))  # scanned before it was submitted
        for event in events[:2]:
            handlers[event.type](session, event)
        save_member(session, colleague, by=None, at=review.clock())  # joins in the middle of the batch
        for event in events[2:]:
            handlers[event.type](session, event)
    ids = [event.key for event in events]
    with review.engine.connect() as conn:
        queued = {row.nomination_id: row for row in conn.execute(sa.select(reviews).where(reviews.c.nomination_id.in_(ids)))}
        flags = conn.execute(sa.select(nominations.c.scan_flags).where(nominations.c.nomination_id == ids[0])).scalar()
        audited = conn.execute(sa.select(audit_log.c.seq).where(audit_log.c.target.in_(ids),
                                                               audit_log.c.action == "assignment")
                               .order_by(audit_log.c.seq)).scalars().all()
        in_between = conn.execute(sa.select(audit_log.c.action).where(
            audit_log.c.seq.between(audited[0], audited[-1])).order_by(audit_log.c.seq)).scalars().all()
        indexed = conn.execute(sa.select(staff_conflicts.c.nomination_id).where(
            staff_conflicts.c.subject == colleague.subject)).scalars().all()
    assert set(queued) == set(ids)
    assert all(row.nominee_name == "孙桂芳" and "孙桂芳" in row.search_text and row.state == "material_check"
               for row in queued.values())
    assert all(row.assigned_to != colleague.subject for row in queued.values())
    assert flags == ["no_seal"] and queued[ids[0]].flagged and not queued[ids[1]].flagged
    assert in_between == ["assignment", "assignment", "staff.added", "assignment", "assignment"]  # one chain, no gap
    assert verify_trail(review.engine).ok
    assert sorted(indexed) == sorted(ids)  # the first two by save_member's index, the last two by the events'


def test_one_submission_alone_takes_at_most_fifteen_statements(review, staff):
    handler = make_handlers(review)["nomination.submitted"]
    event = submitted(review, f"单条大学{uuid.uuid4().hex[:6]}")
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    with review.sessions.begin() as session:
        session.execute(sa.select(1))  # the connection and its transaction, not counted
        sa_event.listen(review.engine, "before_cursor_execute", count)
        try:
            handler(session, event)
        finally:
            sa_event.remove(review.engine, "before_cursor_execute", count)
    assert len(statements) <= 15, len(statements)  # 25 before the consumer's statements were folded
