"""Submitting a nomination on the real PostgreSQL, S3 and Kafka: one transaction for the state, the
quota place and the event."""
from __future__ import annotations

import io
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import flags, nomination_versions, nominations, outbox, uploads
from services.intake.domain.quotas import QuotaExceeded
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.errors import FormInvalid, Ineligible
from shared.i18n.catalogs import chinese, render
from services.intake.service_layer.organisations import create_organisation
from services.intake.service_layer.uploads import add_upload
from tests.builders import complete_self_nomination, form_data, random_name, upload_required_files

pytestmark = pytest.mark.integration




def events_for(intake, nomination_id: str) -> list[dict]:
    """The nomination's events in intake's outbox, but for the drafts' own and the scans'."""
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.key == nomination_id,
                                                               outbox.c.event_type.notin_(
                                                                   ["nomination.draft_saved", "upload.scanned"]))
                            .order_by(outbox.c.id))
        return [row.envelope for row in rows]


def test_submit_writes_state_version_and_one_submitted_event_with_the_full_snapshot(intake):
    nomination_id = complete_self_nomination(intake)
    assert len(intake.queued) == 4  # every upload was queued for scanning after its commit
    assert submission.send(intake, nomination_id, "key-1") == "submitted"
    events = events_for(intake, nomination_id)
    assert [e["type"] for e in events] == ["nomination.submitted"]
    payload = events[0]["payload"]
    assert payload["nominee_name"] == "阿依古丽·买买提"
    assert payload["person"]["political_status"] == "中国共产党党员"
    assert payload["media_priority"] is True
    assert sorted(f["kind"] for f in payload["files"]) == ["certificate", "certificate", "photo", "sealed_form"]
    assert all(len(f["sha256"]) == 64 for f in payload["files"])
    assert payload["status_url"].startswith(intake.settings.intake_url + "/n/")
    with intake.engine.connect() as conn:
        assert conn.execute(sa.select(nomination_versions.c.version)
                            .where(nomination_versions.c.nomination_id == nomination_id)).scalars().all() == [1]


def test_submitting_twice_with_the_same_key_creates_one_submission(intake):
    nomination_id = complete_self_nomination(intake)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: submission.send(intake, nomination_id, "same-key"), range(4)))
    assert results == ["submitted"] * 4
    assert [e["type"] for e in events_for(intake, nomination_id)] == ["nomination.submitted"]


def test_incomplete_form_is_refused_with_every_problem_named_and_nothing_published(intake):
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    problems = use_cases.save_draft(intake, nomination_id, {"person": {"name": "张三", "phone": "12345"}})
    assert any(path == "person.phone" and "11 位手机号码" in chinese(message) for path, message in problems)
    with pytest.raises(FormInvalid) as refused:
        submission.send(intake, nomination_id, "k")
    fields = {path for path, _ in refused.value.errors}
    assert {"person.phone", "deeds", "contact"} <= fields
    assert events_for(intake, nomination_id) == []
    with intake.engine.connect() as conn:
        row = conn.execute(sa.select(nominations).where(nominations.c.id == nomination_id)).first()
    assert row.state == "draft" and row.data["person"]["name"] == "张三"  # the draft kept what was typed


def test_twenty_parallel_submissions_against_a_quota_of_three_end_with_exactly_three(intake):
    org_id, _ = create_organisation(intake, name=f"测试省高校后勤协会{uuid.uuid4().hex[:6]}", type="local_association",
                                    email=f"org-{uuid.uuid4().hex[:8]}@example.com")
    drafts = []
    for i in range(20):
        nomination_id = use_cases.start_nomination(intake, channel="local_association", nominee_kind="person",
                                                   organisation_id=org_id)
        use_cases.save_draft(intake, nomination_id, form_data(name=f"候选人{chr(0x4e00 + i)}"))
        upload_required_files(intake, nomination_id)
        drafts.append(nomination_id)
    barrier = threading.Barrier(20)

    def submit(nomination_id: str) -> str:
        barrier.wait()
        try:
            return submission.send(intake, nomination_id, f"k-{nomination_id}")
        except QuotaExceeded:
            return "refused"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(submit, drafts))
    assert outcomes.count("submitted") == 3 and outcomes.count("refused") == 17
    with intake.engine.connect() as conn:
        from services.intake.adapters.orm import organisations
        assert conn.execute(sa.select(organisations.c.used).where(organisations.c.id == org_id)).scalar() == 3
    withdrawn = drafts[outcomes.index("submitted")]
    use_cases.withdraw(intake, withdrawn, by="recommender", reason="更换人选")
    assert submission.send(intake, drafts[outcomes.index("refused")], "again") == "submitted"


def test_past_honouree_is_refused_with_the_reason(intake):
    from services.intake.adapters.orm import honourees

    name = random_name("李")
    with intake.engine.begin() as conn:
        conn.execute(sa.insert(honourees).values(person_key=f"k-{name}", kind="person", name=name, unit="新疆大学",
                                                 campaign_year=2021, campaign_name="2021年度最美后勤人",
                                                 source="import"))
    nomination_id = complete_self_nomination(intake, name=name)
    with pytest.raises(Ineligible) as refused:
        submission.send(intake, nomination_id, "k")
    assert refused.value.message == "曾获“2021年度最美后勤人”，按通知不予参与本年度推举"
    assert render(refused.value.refusal, "en") == (
        'Previously honoured as "2021年度最美后勤人"; under the notice, not eligible this year')


def test_same_person_through_two_channels_is_flagged_not_merged(intake):
    name = random_name("周")
    first = complete_self_nomination(intake, name=name)
    second = complete_self_nomination(intake, name=name)
    submission.send(intake, first, "a")
    submission.send(intake, second, "b")
    with intake.engine.connect() as conn:
        flagged = conn.execute(sa.select(flags.c.nomination_id).where(flags.c.kind == "same_nominee_twice",
                                                                      flags.c.nomination_id.in_([first, second])))
        assert sorted(flagged.scalars()) == sorted([first, second])


def test_an_oversized_upload_is_refused_and_leaves_no_object_and_no_record(intake):
    from shared.storage import ObjectTooLarge

    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    too_big = io.BytesIO(b"\xff\xd8" + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ObjectTooLarge):
        add_upload(intake, nomination_id, "photo", too_big, filename="big.jpg", content_type="image/jpeg")
    with intake.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(uploads)
                            .where(uploads.c.nomination_id == nomination_id)).scalar() == 0
    assert list(intake.store.keys(f"quarantine/{nomination_id}/")) == []


def test_a_submitted_nomination_cannot_be_changed_and_says_so(intake):
    from services.intake.domain.errors import IntakeRefusal

    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "k")
    with pytest.raises(IntakeRefusal) as refused:
        use_cases.save_draft(intake, nomination_id, {"deeds": "改写"})
    assert refused.value.message == "申报已提交，不能再修改"
