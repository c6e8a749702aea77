"""A nomination is sent only with files that passed their scans (R7, R2c, R13): a refused file is refused,
a scan still running is waited for, and a sealed form without a detected seal needs the applicant's word
and stays flagged for the material check. Through the use case, the JSON API and the pages."""
from __future__ import annotations

import io

import pytest

from shared.i18n.catalogs import render
import sqlalchemy as sa

from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import flags, outbox, uploads
from services.intake.domain.submission import FilesRefused, ScansPending, SealNotConfirmed
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.scans import scan
from services.intake.service_layer.uploads import add_upload, remove_upload
from tests.builders import form_data, required_files
from tests.fixtures import scanfiles

pytestmark = pytest.mark.integration


def draft_with_files(intake, *, sealed_form: bytes | None = None, photo: bytes | None = None,
                     scanned: bool = True) -> tuple[str, dict[str, str]]:
    """A complete draft whose files are uploaded (and scanned, unless `scanned` is False); returns the
    nomination id and the upload id of each file by kind (the second certificate as certificate-2)."""
    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, nomination_id, form_data())
    replacements = {"sealed_form": sealed_form, "photo": photo}
    ids = {}
    for kind, name, data, content_type in required_files():
        key = kind if kind not in ids else f"{kind}-2"
        ids[key] = add_upload(intake, nomination_id, kind, io.BytesIO(replacements.get(kind) or data),
                              filename=name, content_type=content_type)
        if scanned:
            scan(intake, ids[key])
    return nomination_id, ids


def submitted_events(intake, nomination_id: str) -> list[dict]:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type == "nomination.submitted")).scalars().all()


def test_submission_waits_while_a_scan_is_running_then_goes_through(intake):
    nomination_id, ids = draft_with_files(intake, scanned=False)
    with pytest.raises(ScansPending) as waiting:
        submission.send(intake, nomination_id, "k1")
    assert len(waiting.value.problems) == 4
    assert render(waiting.value.problems[0], "zh_Hans") == "一寸免冠照“photo.jpg”仍在检查中，请稍候"
    assert submitted_events(intake, nomination_id) == []
    for upload_id in ids.values():
        scan(intake, upload_id)
    assert submission.send(intake, nomination_id, "k1") == "submitted"


def test_submission_is_refused_while_a_required_file_is_refused_by_its_scan(intake):
    nomination_id, ids = draft_with_files(intake, photo=scanfiles.elf_named_jpg())
    with pytest.raises(FilesRefused) as refused:
        submission.send(intake, nomination_id, "k1")
    assert [render(p, "zh_Hans") for p in refused.value.problems] == ["一寸免冠照“photo.jpg”未通过检查，请删除后重新上传"]
    remove_upload(intake, nomination_id, ids["photo"])
    photo = add_upload(intake, nomination_id, "photo", io.BytesIO(scanfiles.portrait_photo_jpeg()),
                       filename="photo.jpg", content_type="image/jpeg")
    scan(intake, photo)
    assert submission.send(intake, nomination_id, "k1") == "submitted"


def test_a_form_without_a_detected_seal_needs_confirmation_and_stays_flagged(intake):
    nomination_id, ids = draft_with_files(intake, sealed_form=scanfiles.unsealed_form_pdf())
    with pytest.raises(SealNotConfirmed):
        submission.send(intake, nomination_id, "k1")
    assert submission.send(intake, nomination_id, "k2", seal_confirmed=True) == "submitted"
    with intake.engine.connect() as conn:
        kinds = conn.execute(sa.select(flags.c.kind).where(flags.c.nomination_id == nomination_id)).scalars().all()
    assert "seal_not_detected" in kinds
    [event] = submitted_events(intake, nomination_id)
    [form] = [f for f in event["payload"]["files"] if f["kind"] == "sealed_form"]
    assert form["verdict"] == "flagged" and form["seal_confirmed_by_applicant"] is True
    assert "未检测到公章：请上传加盖单位公章的报名表扫描件" in form["reasons"]


def test_the_api_answers_409_naming_each_file_still_being_scanned(client, intake):
    nomination_id, _ = draft_with_files(intake, scanned=False)
    token = nomination_token(intake.settings.secret_key, nomination_id)
    answer = client.post(f"/api/v1/nominations/{token}/submit", json={"submit_key": "k1"})
    assert answer.status_code == 409 and answer.json["code"] == "ScansPending"
    assert answer.json["error"] == "有 4 个文件仍在检查中（通常几秒钟），请稍候再提交"
    assert {p["field"] for p in answer.json["errors"]} == {"files"} and len(answer.json["errors"]) == 4


def test_the_api_submits_an_unsealed_form_only_with_the_applicants_confirmation(client, intake):
    nomination_id, _ = draft_with_files(intake, sealed_form=scanfiles.unsealed_form_pdf())
    token = nomination_token(intake.settings.secret_key, nomination_id)
    refused = client.post(f"/api/v1/nominations/{token}/submit", json={"submit_key": "k1"})
    assert refused.status_code == 409 and refused.json["code"] == "SealNotConfirmed"
    answer = client.post(f"/api/v1/nominations/{token}/submit", json={"submit_key": "k2", "seal_confirmed": True})
    assert answer.status_code == 200 and answer.json["state"] == "submitted"


def test_the_check_page_shows_scan_progress_and_refuses_to_submit_until_done(client, intake):
    nomination_id, ids = draft_with_files(intake, scanned=False)
    token = nomination_token(intake.settings.secret_key, nomination_id)
    page = client.get(f"/n/{token}/check").get_data(as_text=True)
    assert "正在检查 <span data-scan-count>4</span> 个文件" in page
    assert f'data-scan-watch="/n/{token}/scans"' in page
    assert client.get(f"/n/{token}/scans").json["pending"] == 4
    answer = client.post(f"/n/{token}/submit", data={"submit_key": "k1"})
    assert answer.status_code == 400 and "仍在检查中，请稍候" in answer.get_data(as_text=True)
    for upload_id in ids.values():
        scan(intake, upload_id)
    assert client.get(f"/n/{token}/scans").json["pending"] == 0
    assert "正在检查" not in client.get(f"/n/{token}/check").get_data(as_text=True)


def test_the_check_page_asks_to_confirm_the_seal_and_submits_with_it(client, intake):
    nomination_id, _ = draft_with_files(intake, sealed_form=scanfiles.unsealed_form_pdf())
    token = nomination_token(intake.settings.secret_key, nomination_id)
    page = client.get(f"/n/{token}/check").get_data(as_text=True)
    assert "我确认报名表已加盖单位公章" in page
    refused = client.post(f"/n/{token}/submit", data={"submit_key": "k1"})
    assert refused.status_code == 400 and "请勾选确认后再提交" in refused.get_data(as_text=True)
    answer = client.post(f"/n/{token}/submit", data={"submit_key": "k2", "seal_confirmed": "yes"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/done")
    with intake.engine.connect() as conn:
        verdicts = conn.execute(sa.select(uploads.c.verdict).where(uploads.c.nomination_id == nomination_id)).scalars()
        assert "flagged" in list(verdicts)
