"""Review's own records on the real PostgreSQL: the append-only, hash-chained audit trail (verify command,
CSV export), staff imported from CSV and Excel (published for notify), the stage scheduler announcing each
change once even with two schedulers at the same moment, and a declared conflict reassigning."""
from __future__ import annotations

import csv
import io
import threading
import uuid
from dataclasses import replace
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from services.review.adapters.orm import audit_log, outbox, reviews, stage_announcements, staff as staff_table
from services.review.adapters.staff_files import staff_rows, template_xlsx
from services.review.entrypoints.commands import main as command
from services.review.service_layer.assignments import assign_waiting, declare_conflict, reassign
from services.review.service_layer.audit import export_csv, record, verify_trail
from services.review.service_layer.stages import announce_due_stages
from services.review.service_layer.staff import import_members, save_member
from shared.events import new_event
from tests.integration.review.conftest import publish
from tests.stack import wait_until
from tests.unit.notify.builders import submission

pytestmark = pytest.mark.integration


def test_audit_log_refuses_updates_and_deletes(review):
    with review.sessions.begin() as session:
        seq = record(session, actor="t", actor_role="system", action="test", target="x", details={}, at=review.clock())
    for statement in (sa.update(audit_log).where(audit_log.c.seq == seq).values(actor="forged"),
                      sa.delete(audit_log).where(audit_log.c.seq == seq)):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), review.sessions.begin() as session:
            session.execute(statement)


def test_audit_verify_detects_a_forged_entry_and_the_command_says_so(review, capsys):
    with review.sessions.begin() as session:
        record(session, actor="t", actor_role="system", action="test", target="y", details={"n": 1}, at=review.clock())
    assert verify_trail(review.engine).ok and command(["verify-audit"]) == 0
    with review.engine.begin() as conn:
        last = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).first()
        conn.execute(sa.insert(audit_log).values(seq=last.seq + 1, at=last.at, actor="intruder", actor_role="system",
                                                 action="decision.approve", target="N-x", details={},
                                                 previous_hash=last.hash, hash="f" * 64))
    try:
        verdict = verify_trail(review.engine)
        assert (verdict.ok, verdict.broken_at) == (False, last.seq + 1)
        assert command(["verify-audit"]) == 1 and "审计记录被改动" in capsys.readouterr().err
    finally:
        with review.engine.begin() as conn:  # the trigger guards the table; the test removes its forgery
            conn.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
            conn.execute(sa.delete(audit_log).where(audit_log.c.seq == last.seq + 1))
            conn.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


def test_audit_export_csv_reads_back_every_entry(review):
    out = io.StringIO()
    count = export_csv(review.engine, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == count > 0 and rows[0]["seq"] == "1" and all(len(row["hash"]) == 64 for row in rows)


def test_staff_import_from_excel_and_csv_publishes_each_change(review):
    tag = uuid.uuid4().hex[:8]
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(review.campaign.domains)))
    sheet = book.active
    sheet.delete_rows(2)
    sheet.append([f"kc-{tag}-1", "", "马晓东", "", "评审工作组", "伙食管理、学生公寓", "示例大学", "", "", "30", "1"])
    data = io.BytesIO()
    book.save(data)
    csv_data = f"subject,name,role,domains\nkc-{tag}-2,林静,branch,信息化\n".encode("gb18030")

    for name, payload in (("staff.xlsx", data.getvalue()), ("staff.csv", csv_data)):
        assert import_members(review, staff_rows(name, payload), by=None).saved == 1
    with review.engine.connect() as conn:
        saved = conn.execute(sa.select(staff_table.c.subject, staff_table.c.domains, staff_table.c.cap)
                             .where(staff_table.c.subject.like(f"kc-{tag}-%")).order_by(staff_table.c.subject)).all()
        events = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.event_type == "staff.updated",
                                                                 outbox.c.key.like(f"kc-{tag}-%"))).scalars().all()
    assert [tuple(row) for row in saved] == [(f"kc-{tag}-1", ["伙食管理", "学生公寓"], 30), (f"kc-{tag}-2", ["信息化"], None)]
    assert sorted(e["payload"]["name"] for e in events) == ["林静", "马晓东"]


def test_staff_import_with_a_bad_row_saves_nothing_and_names_the_row(review):
    tag = uuid.uuid4().hex[:8]
    rows = staff_rows("s.csv", f"账号标识,姓名,角色,业务领域\nkc-{tag}-a,甲,评审工作组,伙食管理\nkc-{tag}-b,乙,院长,\n".encode())
    result = import_members(review, rows, by=None)
    assert result.saved == 0 and "role" in result.problems[2]
    with review.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(staff_table)
                            .where(staff_table.c.subject.like(f"kc-{tag}-%"))).scalar() == 0


def test_two_schedulers_at_once_announce_each_stage_change_exactly_once(review):
    campaign_id = review.campaign.id
    with review.engine.begin() as conn:
        conn.execute(sa.delete(stage_announcements).where(stage_announcements.c.campaign_id == campaign_id))
        conn.execute(sa.delete(outbox).where(outbox.c.key == campaign_id, outbox.c.event_type.like("campaign.stage_%")))
    later = review.campaign.stage("review").opens_at + timedelta(seconds=1)
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def scheduler():
        barrier.wait()
        results.append(announce_due_stages(review, later))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results[0] + results[1]) == ["review:opened", "submission:closed", "submission:opened"]
    with review.engine.connect() as conn:
        types = conn.execute(sa.select(outbox.c.event_type, outbox.c.envelope).where(outbox.c.key == campaign_id)
                             .order_by(outbox.c.id)).all()
    assert [(t.event_type, t.envelope["payload"]["stage"]) for t in types] == [
        ("campaign.stage_opened", "submission"), ("campaign.stage_closed", "submission"), ("campaign.stage_opened", "review")]
    assert announce_due_stages(review, later) == []


def test_review_stage_opening_assigns_what_waits_and_a_declared_conflict_reassigns(review, consumer, staff):
    nomination_id = str(uuid.uuid4())
    publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, {
        **submission(), "nomination_id": nomination_id, "campaign_id": review.campaign.id}, producer="intake"))
    wait_until(lambda: assignee(review, nomination_id) != "missing", 30, what="the submission")
    worker, second = staff["worker"], replace(staff["worker"], subject=f"{staff['worker'].subject}-2", unit="第二单位")
    with review.sessions.begin() as session:
        save_member(session, second, by=None, at=review.clock())
    reassign(review, [nomination_id], by=staff["secretariat"], to=worker.subject)
    other = declare_conflict(review, nomination_id, worker, "被推荐人是我的亲属")
    assert other not in (None, worker.subject) and assignee(review, nomination_id) == other

    with review.engine.begin() as conn:
        conn.execute(sa.update(reviews).where(reviews.c.nomination_id == nomination_id).values(assigned_to=None))
    at = review.campaign.stage("review").opens_at
    publish(review.settings.kafka_bootstrap, new_event("campaign.stage_opened", review.campaign.id, {
        "campaign_id": review.campaign.id, "stage": "review", "at_utc": at.isoformat(),
        "at_local": at.strftime("%Y-%m-%d %H:%M:%S")}, producer="review"))
    wait_until(lambda: assignee(review, nomination_id) not in (None, "missing"), 30, what="the waiting one assigned")
    assert assignee(review, nomination_id) != worker.subject


def test_the_review_stage_opening_assigns_only_its_own_campaigns_waiting_nominations(review, consumer, staff):
    own, other = str(uuid.uuid4()), str(uuid.uuid4())
    for nomination_id, campaign_id in ((own, review.campaign.id), (other, f"other-{uuid.uuid4().hex[:8]}")):
        publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, {
            **submission(), "nomination_id": nomination_id, "campaign_id": campaign_id}, producer="intake"))
    wait_until(lambda: "missing" not in (assignee(review, own), assignee(review, other)), 30, what="both submissions")
    with review.engine.begin() as conn:
        conn.execute(sa.update(reviews).where(reviews.c.nomination_id.in_([own, other])).values(assigned_to=None))
    with review.sessions.begin() as session:
        assign_waiting(session, review.campaign, review.clock())
    assert assignee(review, own) not in (None, "missing"), "this campaign's waiting nomination is handed out"
    assert assignee(review, other) is None, "another campaign's waits for its own review stage"


def assignee(review, nomination_id: str) -> str | None:
    with review.engine.connect() as conn:
        row = conn.execute(sa.select(reviews.c.assigned_to).where(reviews.c.nomination_id == nomination_id)).first()
    return "missing" if row is None else row.assigned_to
