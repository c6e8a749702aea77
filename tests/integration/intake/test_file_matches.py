"""The secretariat's page of a nomination says, file by file, which other nomination's file it repeats
(tester's A-1): identical or similar (how far apart), and the other's state when it is not sent."""
from __future__ import annotations

import io
import re
import uuid

import pytest

from services.intake.service_layer.nominations import save_draft, start_nomination
from services.intake.service_layer.scans import scan
from services.intake.service_layer.uploads import add_upload
from services.intake.service_layer.views import nomination_view
from tests import staff as staff_accounts
from tests.builders import form_data
from tests.fixtures import scanfiles

pytestmark = pytest.mark.integration


def draft(intake) -> str:
    nomination_id = start_nomination(intake, channel="self", nominee_kind="person")
    save_draft(intake, nomination_id, form_data())
    return nomination_id


def scanned_upload(intake, nomination_id: str, filename: str, data: bytes, content_type: str) -> str:
    upload_id = add_upload(intake, nomination_id, "certificate", io.BytesIO(data), filename=filename,
                           content_type=content_type)
    scan(intake, upload_id)
    return upload_id


def file_cell(page: str, filename: str) -> str:
    row = re.search(rf"<tr>(?:(?!</tr>).)*>{re.escape(filename)}</a>(?:(?!</tr>).)*</tr>", page, re.S)
    assert row, f"no row for {filename}"
    return row.group(0)


def test_a_repeated_certificate_is_named_file_by_file_with_the_other_nomination(client, intake, stack):
    seed = 30_000 + uuid.uuid4().int % 100_000
    first = draft(intake)
    scanned_upload(intake, first, "first-cert.jpg", scanfiles.certificate_jpeg(seed), "image/jpeg")
    second = draft(intake)
    scanned_upload(intake, second, "same-cert.jpg", scanfiles.certificate_jpeg(seed), "image/jpeg")
    scanned_upload(intake, second, "rescanned-cert.pdf", scanfiles.certificate_pdf(seed), "application/pdf")
    first_reference = nomination_view(intake, first).reference

    staff = staff_accounts.as_staff(client, stack, "secretariat")
    page = staff.get(f"/admin/nominations/{nomination_view(intake, second).reference}").get_data(as_text=True)

    assert f"与 {first_reference}（草稿）的最高荣誉证书扫描件完全相同" in file_cell(page, "same-cert.jpg")
    assert re.search(rf"与 {first_reference}（草稿）的最高荣誉证书扫描件相似（差异 \d/64）",
                     file_cell(page, "rescanned-cert.pdf"))
    first_page = staff.get(f"/admin/nominations/{first_reference}").get_data(as_text=True)
    assert f"的最高荣誉证书扫描件完全相同" in file_cell(first_page, "first-cert.jpg")
    # The group at the top of the page says the other nomination is only a draft (tester's A-1).
    flags = page.split('id="flags-heading"')[1].split("</section>")[0]
    assert f"（{first_reference}，草稿）</a>" in flags
