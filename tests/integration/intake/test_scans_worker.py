"""Scanning through a real Celery worker (prefork, two processes) on the real PostgreSQL, S3 and Redis.

Uploads go through add_upload with the real Celery queue_scan. Every generated file gets its verdict
and exactly one upload.scanned event in intake's outbox; a worker killed mid-scan, its pool processes
killed, S3 stopped, a lost task and a file that keeps killing its worker all end with one scan and one
event. The worker runs with a short visibility timeout and short retry backoff (WORKER_ENV)."""
from __future__ import annotations

import io
import json
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Callable, NamedTuple

import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image

from bench.worker_process import ScanWorker
from services.intake.adapters.orm import flags, outbox, uploads
from services.intake.bootstrap import bootstrap, utc_now
from shared.campaign.model import demo_copy, load_campaign
from shared.scans import expected_qr_text
from services.intake.service_layer.nominations import start_nomination
from services.intake.service_layer.scans import MAX_DECODE_STARTS, QUEUE_GRACE
from services.intake.service_layer.uploads import add_upload, original_key
from shared.config import Settings
from tests.fixtures import scanfiles
from tests.stack import kill_server, start_server, wait_until

pytestmark = pytest.mark.integration

# Above the longest scan here (the 38-megapixel form: about 2 s); the backoff maximum stays below it.
VISIBILITY_TIMEOUT = 10
WORKER_ENV = {"TUIJU_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "TUIJU_SCAN_RETRY_BACKOFF": "1",
              "TUIJU_SCAN_RETRY_BACKOFF_MAX": "3"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@pytest.fixture(scope="module")
def intake(stack):
    """Intake on the test servers, campaign open now, queue_scan the real Celery one."""
    settings = Settings.from_env("intake", stack)
    container = bootstrap(settings, campaign=demo_copy(load_campaign(settings.campaign_file), utc_now()))
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def worker(stack, tmp_path_factory):
    process = ScanWorker({**stack, "TUIJU_ENV": "test", **WORKER_ENV}, tmp_path_factory.mktemp("scan-worker"),
                         name="scans-test")
    process.start()
    yield process
    process.stop()


# ---------------------------------------------------------------- helpers

def new_nomination(intake) -> str:
    return start_nomination(intake, channel="self", nominee_kind="person")


def upload(intake, kind: str, filename: str, data: bytes, nomination_id: str | None = None) -> tuple[str, str]:
    nomination_id = nomination_id or new_nomination(intake)
    content_type = CONTENT_TYPES[filename.rsplit(".", 1)[-1]]
    upload_id = add_upload(intake, nomination_id, kind, io.BytesIO(data), filename=filename, content_type=content_type)
    return nomination_id, upload_id


def upload_row(intake, upload_id: str):
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(uploads).where(uploads.c.id == upload_id)).one()


def statuses(intake, upload_ids: list[str]) -> dict[str, str]:
    with intake.engine.connect() as conn:
        return dict(conn.execute(sa.select(uploads.c.id, uploads.c.status).where(uploads.c.id.in_(upload_ids))).all())


def all_scanned(intake, upload_ids: list[str]) -> bool:
    return set(statuses(intake, upload_ids).values()) == {"scanned"}


def wait_scanned(intake, upload_ids: list[str], timeout: float) -> None:
    wait_until(lambda: all_scanned(intake, upload_ids), timeout, interval=0.2, what=f"{len(upload_ids)} scans")


def scanned_events(intake, upload_id: str) -> list[dict]:
    row = upload_row(intake, upload_id)
    with intake.engine.connect() as conn:
        envelopes = conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == row.nomination_id, outbox.c.event_type == "upload.scanned")).scalars()
        return [e for e in envelopes if e["payload"]["file_id"] == upload_id]


def insert_pending_upload(intake, kind: str, filename: str, data: bytes, *, created_at: datetime | None = None,
                          scan_attempts: int = 0) -> str:
    """A stored file and its pending record, as add_upload leaves them, but whose task was never queued."""
    nomination_id = new_nomination(intake)
    upload_id = str(uuid.uuid4())
    stored = intake.store.put_bytes(original_key(nomination_id, upload_id), data,
                                    content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    with intake.engine.begin() as conn:
        conn.execute(sa.insert(uploads).values(
            id=upload_id, nomination_id=nomination_id, kind=kind, filename=filename, object_key=stored.key,
            content_type=stored.content_type, size=stored.size, sha256=stored.sha256, scan_attempts=scan_attempts,
            **({"created_at": created_at, "updated_at": created_at} if created_at else {}),
        ))
    return upload_id


def big_sealed_form_png(nomination_id: str) -> bytes:
    """The sealed form scanned at about 630 dpi: 38 megapixels, under the 40-megapixel limit, 1.6 MB.
    Its scan takes a couple of seconds, long enough to kill a worker in the middle of it."""
    page = Image.open(io.BytesIO(scanfiles.sealed_form_png(nomination_id))).resize((5200, 7350), Image.LANCZOS)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- every generated file, through the worker

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
    Case("empty_file", "photo", "photo.jpg", lambda n: scanfiles.empty_file(), "refused", ("empty_file",),
         "文件为空"),
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

def wait_until_scan_is_running(intake, upload_id: str) -> None:
    """The worker has counted its decode start (scan_attempts 1) and not yet recorded the findings."""
    def running() -> bool:
        row = upload_row(intake, upload_id)
        assert row.status == "pending", "the scan finished before the worker could be killed"
        return row.scan_attempts == 1
    wait_until(running, timeout=30, interval=0.02, what="the scan to start")


def test_scan_worker_killed_mid_scan_completes_once_with_one_event(intake, worker):
    nomination_id = new_nomination(intake)
    _, upload_id = upload(intake, "sealed_form", "form.png", big_sealed_form_png(nomination_id), nomination_id)
    wait_until_scan_is_running(intake, upload_id)
    worker.kill()
    assert upload_row(intake, upload_id).status == "pending"
    killed_at = time.monotonic()

    worker.start()  # Redis hands the unacknowledged task out again once the visibility timeout has passed
    wait_scanned(intake, [upload_id], timeout=VISIBILITY_TIMEOUT + 30)
    assert time.monotonic() - killed_at > VISIBILITY_TIMEOUT - 2
    row = upload_row(intake, upload_id)
    assert (row.verdict, row.scan_attempts) == ("ok", 2)
    assert len(scanned_events(intake, upload_id)) == 1


def test_scan_pool_process_killed_mid_scan_is_handed_back_and_completes_once(intake, worker):
    nomination_id = new_nomination(intake)
    _, upload_id = upload(intake, "sealed_form", "form.png", big_sealed_form_png(nomination_id), nomination_id)
    wait_until_scan_is_running(intake, upload_id)
    killed = worker.kill_pool_processes()
    assert killed and upload_row(intake, upload_id).status == "pending"

    # task_reject_on_worker_lost: the worker requeues the task at once, without waiting for the visibility
    # timeout (which would hand it out again only after VISIBILITY_TIMEOUT)
    wait_until(lambda: upload_row(intake, upload_id).scan_attempts >= 2, VISIBILITY_TIMEOUT - 1, interval=0.05,
               what="the task handed back before the visibility timeout")
    wait_scanned(intake, [upload_id], timeout=VISIBILITY_TIMEOUT + 60)
    row = upload_row(intake, upload_id)
    assert (row.verdict, row.scan_attempts) == ("ok", 2)
    assert len(scanned_events(intake, upload_id)) == 1
    assert worker.alive() and worker.pool_pids().isdisjoint(killed)


def test_scan_tasks_retry_while_s3_is_down_and_complete_when_it_is_back(intake, worker):
    files = [("certificate", "cert.jpg", scanfiles.certificate_jpeg(34), "ok"),
             ("photo", "photo.jpg", scanfiles.elf_named_jpg(), "refused"),
             ("sealed_form", "form.pdf", None, "ok")]
    worker.stop_consuming()
    try:
        upload_ids, expected = [], {}
        for kind, filename, data, verdict in files:
            nomination_id = new_nomination(intake)
            _, upload_id = upload(intake, kind, filename, data or scanfiles.sealed_form_pdf(nomination_id),
                                  nomination_id)
            upload_ids.append(upload_id)
            expected[upload_id] = verdict
        log_before = len(worker.log())
        kill_server("s3")
        try:
            worker.start_consuming()
            wait_until(lambda: worker.log()[log_before:].count("retry: Retry in") >= 2, timeout=30,
                       what="the scans to fail on the missing store and be retried")
            assert set(statuses(intake, upload_ids).values()) == {"pending"}
        finally:
            start_server("s3")
    finally:
        worker.start_consuming()
    back_at = datetime.now(timezone.utc)

    wait_scanned(intake, upload_ids, timeout=40)
    for upload_id, verdict in expected.items():
        row = upload_row(intake, upload_id)
        assert (row.verdict, row.scan_attempts) == (verdict, 1)  # failed reads were not counted as decodes
        assert row.scanned_at > back_at - timedelta(seconds=1)
        assert len(scanned_events(intake, upload_id)) == 1


def long_ago() -> datetime:
    """A moment of its own in 2001: a sweep run as of then sees only the uploads a test stored then."""
    return datetime(2001, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=uuid.uuid4().int % 10_000_000)


def remove_upload_row(intake, upload_id: str) -> None:
    intake.store.remove(upload_row(intake, upload_id).object_key)
    with intake.engine.begin() as conn:
        conn.execute(sa.delete(uploads).where(uploads.c.id == upload_id))


def queued_copies(intake, upload_ids: list[str]) -> Counter:
    """How many scan tasks of each upload wait in the Redis queue (task messages carry their kwargs)."""
    messages = [json.loads(raw) for raw in intake.scan_queue.redis.lrange("scans", 0, -1)]
    named = " ".join(message["headers"].get("kwargsrepr", "") for message in messages)
    return Counter({upload_id: named.count(upload_id) for upload_id in upload_ids})


def test_scan_sweeper_requeues_an_upload_whose_task_was_lost(intake, worker):
    from services.intake.entrypoints.worker import requeue_pending_scans

    lost_at = long_ago()
    lost = insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(35), created_at=lost_at)
    recent = insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(36),
                                   created_at=lost_at + QUEUE_GRACE)
    try:
        requeued = requeue_pending_scans(intake, lost_at + QUEUE_GRACE + timedelta(seconds=1))
        assert lost in requeued and recent not in requeued
        wait_scanned(intake, [lost], timeout=20)
        assert upload_row(intake, lost).verdict == "ok"
        assert len(scanned_events(intake, lost)) == 1
        assert upload_row(intake, recent).status == "pending"
        wait_until(lambda: not intake.scan_queue.queued([lost]), timeout=10, what="the scanned file's marker to go")
    finally:
        remove_upload_row(intake, recent)


def test_scan_sweeper_run_again_and_again_with_the_worker_stopped_queues_each_pending_file_once(intake, worker,
                                                                                                stack):
    from services.intake.adapters.scan_queue import MARKERS
    from services.intake.entrypoints.worker import requeue_pending_scans

    stored_at = long_ago()
    sweep_at = stored_at + QUEUE_GRACE + timedelta(seconds=1)
    never_queued = [insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(40 + n),
                                          created_at=stored_at) for n in range(3)]
    queued_at_upload = insert_pending_upload(intake, "photo", "photo.jpg", scanfiles.portrait_photo_jpeg(),
                                             created_at=stored_at)
    ours = [*never_queued, queued_at_upload]
    worker.stop()
    try:
        assert intake.scan_queue.queue(queued_at_upload)
        assert not intake.scan_queue.queue(queued_at_upload)  # the upload's own queueing, run twice
        for _ in range(4):
            requeue_pending_scans(intake, sweep_at)
        restarted = bootstrap(intake.settings, campaign=intake.campaign)  # every process started anew
        for _ in range(3):
            requeue_pending_scans(restarted, sweep_at)
        restarted.engine.dispose()
        assert queued_copies(intake, ours) == Counter({upload_id: 1 for upload_id in ours})

        # Redis restarted without its data: queue and markers gone together, each file queued once more.
        intake.scan_queue.redis.delete("scans", MARKERS)
        for _ in range(3):
            requeue_pending_scans(intake, sweep_at)
        assert queued_copies(intake, ours) == Counter({upload_id: 1 for upload_id in ours})
    finally:
        worker.start()
    wait_scanned(intake, ours, timeout=30)
    assert all(len(scanned_events(intake, upload_id)) == 1 for upload_id in ours)
    wait_until(lambda: not intake.scan_queue.queued(ours), timeout=10, what="the scanned files' markers to go")


def answers_after_reconnecting(worker) -> bool:
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        return worker.answers()
    except (OperationalError, RedisConnectionError):  # this process's pooled connections died with Redis
        return False


def test_scan_upload_while_redis_is_away_keeps_its_file_and_the_sweeper_queues_it_later(intake, worker):
    from services.intake.entrypoints.worker import requeue_pending_scans

    nomination_id = new_nomination(intake)
    kill_server("redis")
    try:
        _, upload_id = upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(45), nomination_id)
        row = upload_row(intake, upload_id)
        assert row.status == "pending"
        assert intake.store.get_bytes(row.object_key) == scanfiles.certificate_jpeg(45)
    finally:
        start_server("redis")
    assert not intake.scan_queue.queued([upload_id])
    wait_until(lambda: answers_after_reconnecting(worker), timeout=30, what="the worker to reconnect to Redis")
    requeued = requeue_pending_scans(intake, datetime.now(timezone.utc) + QUEUE_GRACE)
    assert upload_id in requeued
    wait_scanned(intake, [upload_id], timeout=30)
    assert upload_row(intake, upload_id).verdict == "ok"
    assert len(scanned_events(intake, upload_id)) == 1


def test_scan_file_that_keeps_killing_its_worker_is_refused_as_unreadable_once(intake, worker):
    from services.intake.bootstrap import queue_scan_with_celery

    # As if MAX_DECODE_STARTS workers had died decoding it: a good file, so only the count can refuse it.
    upload_id = insert_pending_upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(37),
                                      scan_attempts=MAX_DECODE_STARTS)
    queue_scan_with_celery(upload_id, intake.settings)
    intake.scan_queue.publish(upload_id)  # a second copy (a sweeper's, before markers) changes nothing
    wait_scanned(intake, [upload_id], timeout=20)
    row = upload_row(intake, upload_id)
    assert (row.verdict, row.findings["codes"]) == ("refused", ["unreadable"])
    assert "文件无法读取" in row.findings["reasons"][0]
    assert row.derivatives == {}
    events = scanned_events(intake, upload_id)
    assert len(events) == 1 and events[0]["payload"]["verdict"] == "refused"
