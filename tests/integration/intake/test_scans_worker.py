"""Scanning through a real Celery worker (prefork, two processes) on the real PostgreSQL, S3 and Redis.

Uploads go through add_upload with the real Celery queue_scan. Every generated file gets its verdict
and exactly one upload.scanned event in intake's outbox; a worker killed mid-scan, its pool processes
killed, S3 stopped, a lost task and a file that keeps killing its worker all end with one scan and one
event. The worker runs with a short visibility timeout and short retry backoff (WORKER_ENV).
Here: every generated file and duplicates across nominations; the faults: test_scans_worker_faults.py."""
from __future__ import annotations

import io
import uuid
from typing import Callable, NamedTuple

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from services.intake.adapters.orm import flags
from shared.scans import expected_qr_text
from services.intake.service_layer.uploads import original_key
from tests.fixtures import scanfiles
from tests.stack import wait_until
from tests.integration.intake.scan_worker import intake, worker  # noqa: F401 (module fixtures)
from tests.integration.intake.scan_worker import new_nomination, scanned_events, upload, upload_row, wait_scanned

pytestmark = pytest.mark.integration


class Case(NamedTuple):
    id: str
    kind: str
    filename: str
    make: Callable[[str], bytes]  # the nomination's id -> the file's bytes
    verdict: str
    codes: tuple[str, ...] = ()
    words: str = ""  # in the first reason shown to the applicant


NO_SEAL_OTHER_QR = ("seal_missing", "qr_other_nomination")

# Hostile files first: the good ones after them must still be scanned.
CASES = [
    Case("bomb_png", "certificate", "cert.png", lambda n: scanfiles.bomb_png(), "refused", ("image_too_large",),
         "50000×50000"),
    Case("elf_named_jpg", "photo", "photo.jpg", lambda n: scanfiles.elf_named_jpg(), "refused",
         ("unsupported_type",), "检测到 ELF 可执行文件"),
    Case("svg_named_png", "photo", "photo.png", lambda n: scanfiles.svg_named_png(), "refused",
         ("unsupported_type",), "检测到 SVG 矢量图"),
    Case("html_named_jpg", "certificate", "cert.jpg", lambda n: scanfiles.html_named_jpg(), "refused",
         ("unsupported_type",), "检测到 HTML 网页"),
    Case("zip_named_pdf", "sealed_form", "form.pdf", lambda n: scanfiles.zip_named_pdf(), "refused",
         ("unsupported_type",), "检测到 ZIP 压缩包"),
    Case("gif_named_png", "photo", "photo.png", lambda n: scanfiles.gif_file(), "refused", ("unsupported_type",),
         "检测到 GIF 图片"),
    Case("pdf_with_junk_before_header", "certificate", "cert.pdf", lambda n: scanfiles.pdf_with_junk_before_header(),
         "refused", ("unsupported_type",), "文件头前带有多余数据的 PDF"),
    # An empty file never reaches the worker: intake refuses it when it is stored (test_bare_uploads.py).
    Case("truncated_jpeg", "certificate", "cert.jpg", lambda n: scanfiles.truncated_jpeg(), "refused",
         ("image_truncated",), "图片文件不完整"),
    Case("pdf_named_jpg_as_photo", "photo", "photo.jpg", scanfiles.sealed_form_pdf, "refused", ("photo_not_image",),
         "不接受 PDF"),
    Case("pdf_with_javascript", "certificate", "cert.pdf", lambda n: scanfiles.pdf_with_javascript(), "refused",
         ("pdf_active_content",), "JavaScript"),
    Case("pdf_with_openaction", "certificate", "cert.pdf", lambda n: scanfiles.pdf_with_openaction(), "refused",
         ("pdf_active_content",), "OpenAction"),
    Case("pdf_with_action_hidden_in_fake_stream", "certificate", "cert.pdf",
         lambda n: scanfiles.pdf_with_action_hidden_in_fake_stream(), "refused", ("pdf_active_content",),
         "JavaScript"),
    Case("pdf_opening_with_remote_goto", "certificate", "cert.pdf", lambda n: scanfiles.pdf_opening_with_remote_goto(),
         "refused", ("pdf_active_content",), "OpenAction"),
    Case("pdf_with_escaped_javascript_name", "certificate", "cert.pdf",
         lambda n: scanfiles.pdf_with_escaped_javascript_name(), "refused", ("pdf_active_content",), "JavaScript"),
    Case("pdf_with_launch_action", "certificate", "cert.pdf", lambda n: scanfiles.pdf_with_launch_action(),
         "refused", ("pdf_active_content",), "Launch"),
    Case("pdf_with_embedded_file", "certificate", "cert.pdf", lambda n: scanfiles.pdf_with_embedded_file(),
         "refused", ("pdf_active_content",), "嵌入的附件"),
    Case("pdf_with_hidden_openaction_in_object_stream", "certificate", "cert.pdf",
         lambda n: scanfiles.pdf_with_hidden_openaction_in_object_stream(), "refused", ("pdf_active_content",),
         "OpenAction"),
    Case("encrypted_pdf", "sealed_form", "form.pdf", lambda n: scanfiles.encrypted_pdf(), "refused",
         ("pdf_encrypted",), "密码"),
    Case("encrypted_pdf_without_password", "sealed_form", "form.pdf", lambda n: scanfiles.encrypted_pdf(""),
         "refused", ("pdf_encrypted",), "PDF 已加密"),
    Case("pdf_with_11_pages", "media_proof", "proof.pdf", lambda n: scanfiles.pdf_with_pages(11), "refused",
         ("pdf_too_many_pages",), "最多 10 页，本文件有 11 页"),
    Case("certificate_pdf_over_the_campaigns_2_pages", "certificate", "cert.pdf",
         lambda n: scanfiles.pdf_with_pages(3), "refused", ("pdf_too_many_pages",), "最多 2 页，本文件有 3 页"),
    Case("jpeg_with_zip_and_html_appended", "photo", "photo.jpg",
         lambda n: scanfiles.jpeg_with_zip_and_html_appended(), "flagged", ("image_appended_data",), "ZIP 压缩包"),
    Case("png_with_appended_html", "photo", "photo.png", lambda n: scanfiles.png_with_appended_html(), "flagged",
         ("image_appended_data",), "HTML 网页"),
    Case("unsealed_form_png", "sealed_form", "form.png", scanfiles.unsealed_form_png, "flagged", ("seal_missing",),
         "未检测到公章"),
    Case("unsealed_form_pdf", "sealed_form", "form.pdf", scanfiles.unsealed_form_pdf, "flagged", ("seal_missing",),
         "未检测到公章"),
    Case("red_marked_form_png", "sealed_form", "form.png", lambda n: scanfiles.red_marked_form_png(), "flagged",
         NO_SEAL_OTHER_QR, "未检测到公章"),
    Case("red_marked_form_pdf", "sealed_form", "form.pdf", lambda n: scanfiles.red_marked_form_pdf(), "flagged",
         NO_SEAL_OTHER_QR, "未检测到公章"),
    Case("red_circled_form_png", "sealed_form", "form.png", lambda n: scanfiles.red_circled_form_png(), "flagged",
         NO_SEAL_OTHER_QR, "未检测到公章"),
    Case("square_stamp_form_png", "sealed_form", "form.png", lambda n: scanfiles.square_stamp_form_png(), "flagged",
         NO_SEAL_OTHER_QR, "未检测到公章"),
    Case("form_of_another_nomination", "sealed_form", "form.png",
         lambda n: scanfiles.sealed_form_png(scanfiles.OTHER_NOMINATION_ID), "flagged", ("qr_other_nomination",),
         "二维码属于另一份推荐材料"),
    Case("oval_seal_form_of_another_nomination", "sealed_form", "form.png", lambda n: scanfiles.oval_seal_form_png(),
         "flagged", ("qr_other_nomination",)),
    Case("landscape_photo", "photo", "photo.jpg", lambda n: scanfiles.portrait_photo_jpeg(700, 500), "flagged",
         ("photo_aspect",), "一寸证件照"),
    Case("small_photo", "photo", "photo.jpg", lambda n: scanfiles.portrait_photo_jpeg(200, 280), "flagged",
         ("photo_low_resolution",), "分辨率偏低"),
    Case("sealed_form_png", "sealed_form", "form.png", scanfiles.sealed_form_png, "ok"),
    Case("sealed_form_pdf", "sealed_form", "form.pdf", scanfiles.sealed_form_pdf, "ok"),
    Case("sealed_form_phone_jpeg", "sealed_form", "form.jpg", scanfiles.sealed_form_phone_jpeg, "ok"),
    Case("sealed_form_without_qr", "sealed_form", "form.png", lambda n: scanfiles.sealed_form_png(with_qr=False),
         "ok"),
    Case("certificate_jpeg", "certificate", "cert.jpg", lambda n: scanfiles.certificate_jpeg(31), "ok"),
    Case("certificate_pdf", "certificate", "cert.pdf", lambda n: scanfiles.certificate_pdf(32), "ok"),
    Case("plain_pdf", "certificate", "cert.pdf", lambda n: scanfiles.plain_pdf(), "ok"),
    Case("pdf_opening_at_first_page", "certificate", "cert.pdf", lambda n: scanfiles.pdf_opening_at_first_page(),
         "ok"),
    Case("pdf_opening_with_goto_by_reference", "certificate", "cert.pdf",
         lambda n: scanfiles.pdf_opening_with_goto_by_reference(), "ok"),
    Case("pdf_with_links_mentioning_js", "certificate", "cert.pdf", lambda n: scanfiles.pdf_with_links_mentioning_js(),
         "ok"),
    Case("pdf_with_3_pages", "media_proof", "proof.pdf", lambda n: scanfiles.pdf_with_pages(3), "ok"),
    Case("portrait_photo", "photo", "photo.jpg", lambda n: scanfiles.portrait_photo_jpeg(), "ok"),
    Case("gps_photo", "photo", "photo.jpg", lambda n: scanfiles.gps_photo_jpeg(), "ok"),
    Case("rotated_portrait", "photo", "photo.jpg", lambda n: scanfiles.rotated_portrait_jpeg(), "ok"),
    Case("jpeg_with_zero_padding", "photo", "photo.jpg", lambda n: scanfiles.jpeg_with_zero_padding(), "ok"),
]


@pytest.fixture(scope="module")
def catalogue(intake, worker) -> dict[str, str]:
    """Every case uploaded (one nomination each), then scanned by the worker: case id -> upload id."""
    started_pool = worker.pool_pids()
    upload_ids = {}
    for case in CASES:
        nomination_id = new_nomination(intake)
        upload_ids[case.id] = upload(intake, case.kind, case.filename, case.make(nomination_id), nomination_id)[1]
    try:
        wait_scanned(intake, list(upload_ids.values()), timeout=60)
    finally:
        catalogue_pool[:] = [started_pool, worker.pool_pids()]
    return upload_ids


catalogue_pool: list[set[int]] = []


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_scan_generated_file_gets_its_verdict_and_one_event(intake, catalogue, case):
    row = upload_row(intake, catalogue[case.id])
    assert row.status == "scanned"
    assert (row.verdict, row.findings["codes"]) == (case.verdict, list(case.codes))
    assert bool(row.findings["reasons"]) == (case.verdict != "ok")
    assert case.words in (row.findings["reasons"] or [""])[0]
    events = scanned_events(intake, row.id)
    assert len(events) == 1
    payload = events[0]["payload"]
    assert (payload["nomination_id"], payload["kind"], payload["verdict"], payload["reasons"]) == (
        row.nomination_id, case.kind, case.verdict, row.findings["reasons"])
    if case.verdict == "refused":
        assert row.derivatives == {}
    else:
        assert {"preview.jpg", "thumbnail.jpg"} <= set(row.derivatives)
        assert all(key.startswith(f"derived/{row.nomination_id}/{row.id}/") for key in row.derivatives.values())


def test_scan_sealed_form_reports_the_seal_and_its_own_nominations_qr(intake, catalogue):
    row = upload_row(intake, catalogue["sealed_form_png"])
    seal, qr = row.findings["seal"], row.findings["qr"]
    assert seal["found"] is True and seal["page"] == 1 and len(seal["box"]) == 4 and seal["confidence"] > 0.5
    assert qr == {"texts": [expected_qr_text(row.nomination_id)], "check": "match"}


def test_scan_gps_photo_reviewers_preview_has_no_exif_and_the_original_stays_private(intake, catalogue):
    row = upload_row(intake, catalogue["gps_photo"])
    preview = Image.open(io.BytesIO(intake.store.get_bytes(row.derivatives["preview.jpg"])))
    assert dict(preview.getexif()) == {}
    original = Image.open(io.BytesIO(intake.store.get_bytes(row.object_key)))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == scanfiles.GPS_LATITUDE
    assert row.object_key == original_key(row.nomination_id, row.id)


def test_scan_worker_keeps_going_after_hostile_files(intake, catalogue, worker):
    before, after = catalogue_pool
    assert worker.alive() and before and after == before  # no pool process died on a hostile file
    _, upload_id = upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(33))
    wait_scanned(intake, [upload_id], timeout=20)
    assert upload_row(intake, upload_id).verdict == "ok"


# ---------------------------------------------------------------- duplicates across nominations

def test_scan_certificate_used_by_two_nominations_is_flagged_for_both(intake, worker):
    seed = 20_000 + uuid.uuid4().int % 100_000
    first_nomination, first = upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(seed))
    wait_scanned(intake, [first], timeout=20)
    second_nomination, identical = upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(seed))
    third_nomination, rescanned = upload(intake, "certificate", "cert.pdf", scanfiles.certificate_pdf(seed))
    wait_scanned(intake, [identical, rescanned], timeout=20)

    def found(upload_id: str) -> set[tuple[str, str]]:
        return {(d["nomination_id"], d["match"]) for d in scanned_events(intake, upload_id)[0]["payload"]["duplicates"]}

    assert (first_nomination, "identical") in found(identical)
    assert (first_nomination, "perceptual") in found(rescanned)
    with intake.engine.connect() as conn:
        flagged = set(conn.execute(sa.select(flags.c.nomination_id).where(
            flags.c.kind == "file_used_by_another_nomination",
            flags.c.nomination_id.in_([first_nomination, second_nomination, third_nomination]))).scalars())
    assert flagged == {first_nomination, second_nomination, third_nomination}


def test_scan_group_of_identical_files_is_one_flag_on_each_nomination(intake, worker):
    from services.intake.bootstrap import scan_task_publisher

    publish_scan_task = scan_task_publisher(intake.settings)

    certificate = scanfiles.certificate_jpeg(20_000 + uuid.uuid4().int % 100_000)
    group = [upload(intake, "certificate", "cert.jpg", certificate) for _ in range(5)]
    nomination_ids = [nomination_id for nomination_id, _ in group]
    upload_ids = [upload_id for _, upload_id in group]
    wait_scanned(intake, upload_ids, timeout=30)
    for upload_id in upload_ids:  # every scan run again (redelivered, or a second copy): nothing more
        publish_scan_task(upload_id)
    wait_until(lambda: intake.scan_queue.waiting() == 0 and intake.scan_queue.running() == 0, timeout=20,
               what="the second copies to run")

    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(flags.c.nomination_id, flags.c.detail).where(
            flags.c.kind == "file_used_by_another_nomination", flags.c.nomination_id.in_(nomination_ids))).all()
    assert sorted(row.nomination_id for row in rows) == sorted(nomination_ids)
    assert {row.detail["sha256"] for row in rows} == {upload_row(intake, upload_ids[0]).sha256}
    listed = set()
    for upload_id, (nomination_id, _) in zip(upload_ids, group):
        events = scanned_events(intake, upload_id)
        assert len(events) == 1
        duplicates = events[0]["payload"]["duplicates"]
        assert all(d["match"] == "identical" and d["nomination_id"] != nomination_id for d in duplicates)
        listed |= {frozenset((nomination_id, d["nomination_id"])) for d in duplicates}
    assert len(listed) == 10  # every pair of the five, named by whichever of the two was scanned later


# ---------------------------------------------------------------- reliability
