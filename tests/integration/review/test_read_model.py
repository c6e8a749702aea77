"""Review keeps its own read model of nominations from intake's events on the real Kafka: the newest
version wins, a late older one does not, withdrawals and scan findings are kept; and nothing of a nominee
is served without a staff sign-in."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import file_replacements, nomination_versions, nominations, reviews, scan_findings
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.facts import facts_of
from services.review.service_layer.nomination_page import nomination_page
from tests import staff as kc
from tests.integration.review.committee import register
from tests.integration.review.staff_roles import subject_of
from services.review.entrypoints.web import create_app
from services.review.service_layer.rebuild import rebuild_read_model
from shared.events import new_event
from tests.integration.review.conftest import publish, run_consumer
from tests.stack import wait_until
from tests.unit.notify.builders import submission as submission_payload

pytestmark = pytest.mark.integration


@pytest.fixture()
def from_start(review):
    """Review's consumer reading the topics from their beginning, as a new deployment would."""
    runner = run_consumer(review, from_start=True)
    yield runner
    runner.stop.set()


def row_of(review, nomination_id: str):
    with review.engine.connect() as conn:
        return conn.execute(sa.select(nominations).where(nominations.c.nomination_id == nomination_id)).first()


def test_the_newest_snapshot_wins_and_every_version_and_finding_is_kept(review, from_start, stack):
    nomination_id = str(uuid.uuid4())
    first = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "吴桂英", "version": 1}
    second = {**first, "version": 2, "domain": "学生公寓", "changed_fields": ["domain"]}
    publish(review.settings.kafka_bootstrap,
            new_event("nomination.submitted", nomination_id, first, producer="intake"),
            new_event("nomination.resubmitted", nomination_id, second, producer="intake"),
            new_event("nomination.submitted", nomination_id, first, producer="intake"),  # a late, older copy
            new_event("upload.scanned", nomination_id, {"nomination_id": nomination_id, "file_id": f"f-{nomination_id}",
                                                        "kind": "sealed_form", "verdict": "flagged",
                                                        "reasons": ["未检测到公章"], "findings": {}}, producer="intake"))
    wait_until(lambda: (row := row_of(review, nomination_id)) is not None and row.version == 2, 120, what="version 2")
    wait_until(lambda: findings_of(review, nomination_id) == ["flagged"], 120, what="the scan finding")
    row = row_of(review, nomination_id)
    assert (row.status, row.domain) == ("resubmitted", "学生公寓")
    with review.engine.connect() as conn:
        versions = conn.execute(sa.select(nomination_versions.c.version, nomination_versions.c.changed_fields).where(
            nomination_versions.c.nomination_id == nomination_id).order_by(nomination_versions.c.version)).all()
    assert [tuple(v) for v in versions] == [(1, []), (2, ["domain"])]

    publish(review.settings.kafka_bootstrap, new_event("nomination.withdrawn", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": first["campaign_id"], "by": "applicant"}, producer="intake"))
    wait_until(lambda: row_of(review, nomination_id).status == "withdrawn", 120, what="the withdrawal")


def findings_of(review, nomination_id: str) -> list[str]:
    with review.engine.connect() as conn:
        return list(conn.execute(sa.select(scan_findings.c.verdict)
                                 .where(scan_findings.c.nomination_id == nomination_id)).scalars())


def test_nothing_of_a_nominee_is_served_without_sign_in(review, from_start, stack):
    nomination_id = str(uuid.uuid4())
    payload = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "郑秀梅"}
    publish(review.settings.kafka_bootstrap, new_event("nomination.submitted", nomination_id, payload, producer="intake"))
    wait_until(lambda: row_of(review, nomination_id) is not None, 120, what="the submission")
    client = create_app(stack).test_client()
    for path in ("/", f"/n/{nomination_id}", "/dashboard", "/shortlist/伙食管理", "/staff/"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/auth/login")
    for path in ("/api/v1/nominations", f"/api/v1/nominations/{nomination_id}", "/api/v1/dashboard"):
        answer = client.get(path)
        assert answer.status_code == 401 and "郑秀梅" not in answer.get_data(as_text=True)


def read_model(review) -> dict[str, list]:
    with review.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))]
                for table in (nominations, nomination_versions, scan_findings, file_replacements)}


def test_read_model_rebuilt_from_offset_zero_is_identical(review, from_start, stack):
    nomination_id = str(uuid.uuid4())
    first = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "冯玉兰", "version": 1}
    second = {**first, "version": 2, "deeds": "补充后的事迹", "changed_fields": ["deeds"]}
    publish(review.settings.kafka_bootstrap,
            new_event("nomination.submitted", nomination_id, first, producer="intake"),
            new_event("nomination.resubmitted", nomination_id, second, producer="intake"),
            replaced(nomination_id, "F-1", f"R-{nomination_id}"))
    wait_until(lambda: replacement_of(review, nomination_id) is not None, 60, what="version 2 and the replacement")
    from_start.stop.set()
    before = read_model(review)
    with review.engine.connect() as conn:
        states_before = conn.execute(sa.select(reviews).order_by(reviews.c.nomination_id)).all()

    applied = rebuild_read_model(review)

    assert applied >= 2
    assert read_model(review) == before
    with review.engine.connect() as conn:
        assert conn.execute(sa.select(reviews).order_by(reviews.c.nomination_id)).all() == states_before


def replaced(nomination_id: str, old_file_id: str, new_file_id: str):
    return new_event("nomination.file_replaced", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": submission_payload()["campaign_id"], "replaced_file_id": old_file_id,
        "file": {"file_id": new_file_id, "kind": "sealed_form", "object_key": f"u/{new_file_id}", "sha256": "1" * 64,
                 "size": 2000, "content_type": "application/pdf", "filename": "重新盖章.pdf"}}, producer="intake")


def scanned(nomination_id: str, file_id: str, codes: list[str]):
    verdict = "flagged" if codes else "ok"
    return new_event("upload.scanned", nomination_id, {
        "nomination_id": nomination_id, "file_id": file_id, "kind": "sealed_form", "verdict": verdict,
        "reasons": ["未检测到公章"] if codes else [], "findings": {"codes": codes}, "filename": "x.pdf"}, producer="intake")


def replacement_of(review, nomination_id: str):
    with review.engine.connect() as conn:
        return conn.execute(sa.select(file_replacements).where(file_replacements.c.nomination_id == nomination_id)).first()


@pytest.fixture()
def from_now(review):
    runner = run_consumer(review, from_start=False)
    yield runner
    runner.stop.set()


def test_a_flagged_file_replaced_after_submission_takes_its_place_with_its_scan_and_in_the_history(
        review, from_now, stack):
    nomination_id = str(uuid.uuid4())
    payload = {**submission_payload(), "nomination_id": nomination_id, "nominee_name": "钱淑珍"}
    publish(review.settings.kafka_bootstrap,
            new_event("nomination.submitted", nomination_id, payload, producer="intake"),
            scanned(nomination_id, "F-1", ["seal_missing"]))
    wait_until(lambda: (row := row_of(review, nomination_id)) is not None and row.scan_flags == ["no_seal"], 30,
               what="the flagged form")
    publish(review.settings.kafka_bootstrap, replaced(nomination_id, "F-1", f"R-{nomination_id}"),
            scanned(nomination_id, f"R-{nomination_id}", []))
    wait_until(lambda: sorted(findings_of(review, nomination_id)) == ["flagged", "ok"], 30, what="the new file's scan")

    row = row_of(review, nomination_id)
    assert [f["file_id"] for f in row.snapshot["files"]] == [f"R-{nomination_id}"] and row.scan_flags == []
    auditor = StaffMember(subject_of(kc.access_token(stack, "auditor")), "审计员", Role.AUDITOR, username="auditor")
    register(review, auditor)
    with review.sessions() as session:
        page = nomination_page(session, review.campaign, facts_of(session, nomination_id), auditor)
    assert [(f.filename, f.verdict) for f in page.files] == [("重新盖章.pdf", "ok")]
    (entry,) = [h for h in page.timeline if h.action == "file_replaced"]
    assert (entry.kind_name, entry.replaced_filename, entry.filename) == ("加盖公章的纸质报名表", "报名表.pdf", "重新盖章.pdf")
    shown = kc.as_staff(create_app(review=review).test_client(), stack, "auditor").get(f"/n/{nomination_id}")
    assert shown.status_code == 200
    assert "申报人更换材料：加盖公章的纸质报名表“报名表.pdf”检查发现问题，已更换为“重新盖章.pdf”" in shown.text


def test_a_file_that_repeats_another_nominations_says_which_and_how_on_the_page(review, from_now, stack):
    first_id, second_id = str(uuid.uuid4()), str(uuid.uuid4())
    photo = {"file_id": f"P-{first_id}", "kind": "photo", "object_key": "u/p", "sha256": "2" * 64, "size": 900,
             "content_type": "image/jpeg", "filename": "照片.jpg"}
    first = {**submission_payload(), "nomination_id": first_id, "nominee_name": "严秋云", "reference": "2022-09001",
             "files": [photo]}
    second = {**first, "nomination_id": second_id, "nominee_name": "严春华", "reference": "2022-09002",
              "files": [{**photo, "file_id": f"P-{second_id}"}]}
    repeats = [{"file_id": f"P-{first_id}", "nomination_id": first_id, "match": "identical", "distance": 0},
               {"file_id": "F-draft", "nomination_id": "a-draft-review-never-saw", "match": "perceptual", "distance": 4}]
    publish(review.settings.kafka_bootstrap,
            new_event("nomination.submitted", first_id, first, producer="intake"),
            new_event("upload.scanned", first_id, {"nomination_id": first_id, "file_id": f"P-{first_id}", "kind": "photo",
                                                   "verdict": "ok", "reasons": [], "findings": {}}, producer="intake"),
            new_event("nomination.submitted", second_id, second, producer="intake"),
            new_event("upload.scanned", second_id, {"nomination_id": second_id, "file_id": f"P-{second_id}",
                                                    "kind": "photo", "verdict": "flagged", "reasons": [], "findings": {},
                                                    "duplicates": repeats}, producer="intake"))
    wait_until(lambda: (row := row_of(review, second_id)) is not None and row.scan_flags == ["duplicate_certificate"],
               60, what="the repeated photo's flag")
    wait_until(lambda: findings_of(review, first_id) == ["ok"], 60, what="the first photo's scan")

    shown = kc.as_staff(create_app(review=review).test_client(), stack, "auditor").get(f"/n/{second_id}")
    assert shown.status_code == 200
    assert "与 2022-09001 的一寸免冠照完全相同" in shown.text
    assert "与一份未提交的申报的材料相似（差异 4/64）" in shown.text
    assert "材料与其他推荐重复" in shown.text and "申报编号 <strong data-reference>2022-09002</strong>" in shown.text
