"""The upload page on a phone: a file over its slot's limit is refused in the browser before it is sent,
with the limit the slot's hint states (the same words as the server's refusal); a scan's result appears by
itself, with the usual time shown while it runs."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import uploads
from services.intake.service_layer.scans import scan

from tests.e2e.browser import PHONE, applicant_system, chromium, free_port, processes
from tests.builders import open_intake
from tests.fixtures import scanfiles

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(stack):
    """Intake's web process without its scan worker: the test scans in-process when it chooses to."""
    port = free_port()
    env, commands = applicant_system(stack, port)
    commands.pop("intake-worker")
    with processes(env, commands, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield f"http://127.0.0.1:{port}"


def pending_upload_ids(intake) -> list[str]:
    with intake.engine.connect() as conn:
        return list(conn.execute(sa.select(uploads.c.id).where(uploads.c.status == "pending",
                                                                uploads.c.filename == "photo-e2e.jpg")).scalars())


def test_an_oversized_certificate_is_refused_before_it_is_sent_with_the_hints_limit(system, tmp_path):
    big = tmp_path / "certificate.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(12 * 1024 * 1024))
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(system + "/")
        page.get_by_role("button", name="开始申报").click()
        page.get_by_role("link", name="照片、盖章报名表、荣誉证书").click()
        section = page.locator("#upload-certificate")
        assert "单个文件不超过 10 MB" in section.locator(".hint").inner_text()
        sent = []
        page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
        section.locator("input[type=file]").set_input_files(str(big))
        error = section.locator("[data-error]")
        error.wait_for(state="visible")
        assert error.inner_text() == "最高荣誉证书扫描件文件大小 12 MB 超过上限 10 MB"
        page.wait_for_timeout(500)
        assert sent == []


def test_a_scan_result_appears_without_reloading_the_page(system, tmp_path, stack):
    photo = tmp_path / "photo-e2e.jpg"
    photo.write_bytes(scanfiles.portrait_photo_jpeg())
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(system + "/")
        page.get_by_role("button", name="开始申报").click()
        page.get_by_role("link", name="照片、盖章报名表、荣誉证书").click()
        with page.expect_navigation():
            page.locator("#upload-photo input[type=file]").set_input_files(str(photo))
        assert "结果会自动显示" in page.locator("[data-scan-watch]").inner_text()
        assert "检查中" in page.locator("#upload-photo .file-row").inner_text()
        intake = open_intake(stack)
        for upload_id in pending_upload_ids(intake):
            scan(intake, upload_id)
        page.locator("#upload-photo .tag.done", has_text="检查通过").wait_for(timeout=15_000)
        assert page.locator("[data-scan-watch]").count() == 0
