"""R3 against the scans' lag, on the real servers: near the deadline, or while the scans lag behind, a
submission goes through with its files still being checked and is recorded as submitted at that instant;
a file its scan then refuses flags the nomination, says until when it may be replaced, and may be replaced
after the close for the campaign's hours; a file already refused still blocks; a scan recorded during a
submission waits for it, so that its event follows the submission's."""
from __future__ import annotations

import io
import threading
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import flags, nominations, outbox, uploads
from services.intake.domain.deadlines import format_local
from services.intake.domain.upload_rules import UploadRefused
from services.intake.domain.submission import FilesRefused
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.scans import scan
from services.intake.service_layer.uploads import add_upload
from shared.campaign.parts import ScanWait
from tests.builders import form_data
from tests.fixtures import scanfiles
from tests.integration.intake.test_files_at_submission import draft_with_files

pytestmark = pytest.mark.integration

POLICY = ScanWait(max_lag_seconds=60, hours_before_deadline=24, replace_hours=48)


@pytest.fixture()
def last_evening(intake):
    """Intake an hour before the close of submissions, with the campaign's own scan-wait rule."""
    intake.campaign = replace(intake.campaign, scan_wait=POLICY)
    close = intake.campaign.submission.ends_before
    intake.clock = lambda: close - timedelta(hours=1)
    return intake


def events(intake, nomination_id: str, event_type: str | None = None) -> list[dict]:
    query = sa.select(outbox.c.envelope).where(outbox.c.key == nomination_id).order_by(outbox.c.id)
    if event_type:
        query = query.where(outbox.c.event_type == event_type)
    with intake.engine.connect() as conn:
        return conn.execute(query).scalars().all()


def flag_kinds(intake, nomination_id: str) -> list[str]:
    with intake.engine.connect() as conn:
        return sorted(conn.execute(sa.select(flags.c.kind).where(flags.c.nomination_id == nomination_id)).scalars())


def test_a_submission_near_the_deadline_goes_through_with_its_files_still_being_checked(last_evening):
    intake = last_evening
    nomination_id, ids = draft_with_files(intake, scanned=False)
    assert submission.send(intake, nomination_id, "k1") == "submitted"
    with intake.engine.connect() as conn:
        submitted_at = conn.execute(sa.select(nominations.c.submitted_at)
                                    .where(nominations.c.id == nomination_id)).scalar_one()
    assert submitted_at == intake.clock()
    [event] = events(intake, nomination_id, "nomination.submitted")
    assert [f["verdict"] for f in event["payload"]["files"]] == [None] * 4
    for upload_id in ids.values():
        assert scan(intake, upload_id) in ("ok", "flagged")
    assert "file_refused_after_submission" not in flag_kinds(intake, nomination_id)


def test_a_submission_goes_through_while_the_scans_lag_behind(intake):
    intake.campaign = replace(intake.campaign, scan_wait=POLICY)
    nomination_id, ids = draft_with_files(intake, scanned=False)
    with intake.engine.begin() as conn:  # the oldest file waiting has waited two minutes
        conn.execute(sa.update(uploads).where(uploads.c.id == ids["photo"])
                     .values(created_at=sa.func.now() - timedelta(minutes=2)))
    assert submission.send(intake, nomination_id, "k1") == "submitted"


def test_a_file_already_refused_blocks_the_submission_even_at_the_deadline(last_evening):
    nomination_id, _ = draft_with_files(last_evening, photo=scanfiles.elf_named_jpg())
    with pytest.raises(FilesRefused):
        submission.send(last_evening, nomination_id, "k1")


def refused_after_submission(intake, email: str | None = None) -> tuple[str, dict[str, str]]:
    """Submitted on the last evening with a certificate still being checked, which its scan then refuses
    (a PDF with JavaScript); returns the nomination and its uploads by kind."""
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, nomination_id, form_data(email=email))
    files = [("photo", "photo.jpg", scanfiles.portrait_photo_jpeg(), "image/jpeg"),
             ("sealed_form", "form.pdf", scanfiles.sealed_form_pdf(nomination_id), "application/pdf"),
             ("certificate-2", "cert2.jpg", scanfiles.certificate_jpeg(seed=uuid.uuid4().int % 1000), "image/jpeg"),
             ("certificate", "cert1.pdf", scanfiles.pdf_with_javascript(), "application/pdf")]
    ids = {key: add_upload(intake, nomination_id, key.split("-")[0], io.BytesIO(data), filename=name,
                           content_type=content_type) for key, name, data, content_type in files}
    for key in ("photo", "sealed_form", "certificate-2"):
        scan(intake, ids[key])
    assert submission.send(intake, nomination_id, "k1") == "submitted"
    assert scan(intake, ids["certificate"]) == "refused"
    return nomination_id, ids


def test_a_file_refused_after_submission_flags_the_nomination_and_says_until_when_to_replace_it(last_evening):
    nomination_id, ids = refused_after_submission(last_evening)
    assert "file_refused_after_submission" in flag_kinds(last_evening, nomination_id)
    [scanned] = [e for e in events(last_evening, nomination_id, "upload.scanned")
                 if e["payload"]["file_id"] == ids["certificate"]]
    assert scanned["payload"]["verdict"] == "refused"
    # the verdict came an hour before the close: the applicant has 48 hours from it
    until = last_evening.clock() + timedelta(hours=48) - timedelta(seconds=1)
    assert scanned["payload"]["replace_until"] == format_local(until, last_evening.campaign.time_zone)
    kinds = [e["type"] for e in events(last_evening, nomination_id)]
    assert kinds[-2:] == ["nomination.submitted", "upload.scanned"]


def test_a_late_refusal_may_be_replaced_after_the_close_for_its_hours_and_then_no_more(last_evening):
    intake = last_evening
    nomination_id, ids = refused_after_submission(intake)
    verdict_at = intake.clock()  # an hour before the close
    intake.clock = lambda: verdict_at + timedelta(hours=47)
    new = add_upload(intake, nomination_id, "certificate", io.BytesIO(scanfiles.certificate_jpeg(seed=77)),
                     filename="new-cert.jpg", content_type="image/jpeg")
    assert "file_refused_after_submission" not in flag_kinds(intake, nomination_id)
    [replaced] = events(intake, nomination_id, "nomination.file_replaced")
    assert (replaced["payload"]["replaced_file_id"], replaced["payload"]["file"]["file_id"]) == (ids["certificate"], new)
    assert scan(intake, new) == "ok"
    intake.clock = lambda: verdict_at + timedelta(hours=48)
    with intake.engine.begin() as conn:
        conn.execute(sa.update(uploads).where(uploads.c.id == ids["certificate-2"]).values(verdict="flagged"))
    with pytest.raises(UploadRefused, match="材料审核已开始"):
        add_upload(intake, nomination_id, "certificate", io.BytesIO(scanfiles.certificate_jpeg(seed=78)),
                   filename="late.jpg", content_type="image/jpeg")


def test_the_status_shows_the_late_refusal_with_its_replacement_date(last_evening, client):
    nomination_id, _ = refused_after_submission(last_evening)
    token = nomination_token(last_evening.settings.secret_key, nomination_id)
    status = client.get(f"/api/v1/nominations/{token}").json
    assert status["replaceable_kinds"] == ["certificate"] and status["replace_until"].startswith("北京时间")
    page = client.get(f"/n/{token}").get_data(as_text=True)
    assert "申报的提交时间不变" in page and "未通过" in page and "更换材料" in page


def test_the_done_page_says_the_submission_counts_while_files_are_checked(last_evening, client):
    nomination_id, _ = draft_with_files(last_evening, scanned=False)
    token = nomination_token(last_evening.settings.secret_key, nomination_id)
    answer = client.post(f"/n/{token}/submit", data={"submit_key": "k1"})
    assert answer.status_code == 302
    page = client.get(f"/n/{token}/done").get_data(as_text=True)
    assert "申报已按时提交" in page and "4 个文件仍在检查中" in page


def test_a_scan_recorded_during_a_submission_waits_for_it(intake):
    nomination_id, ids = draft_with_files(intake, scanned=False)
    done = threading.Event()
    with intake.engine.begin() as conn:  # a submission holding the nomination's row
        conn.execute(sa.select(nominations.c.id).where(nominations.c.id == nomination_id).with_for_update())
        threading.Thread(target=lambda: (scan(intake, ids["photo"]), done.set()), daemon=True).start()
        assert not done.wait(2)
    assert done.wait(30)
    assert [e["type"] for e in events(intake, nomination_id)][-1] == "upload.scanned"
