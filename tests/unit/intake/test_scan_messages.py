"""Every reason a scan of an uploaded file gives reads in Chinese and in English; a scan code of the catalogs
without a sample here fails."""
from __future__ import annotations

import pytest

from shared.i18n import Message, message
from shared.i18n.messages import from_plain
from shared.scans.findings import reason_messages
from shared.i18n.catalogs import render
from shared.scans import pdf_content, pipeline, scan_upload
from shared.scans.images import _DAMAGED, _too_large
from shared.scans.limits import ScanLimits
from shared.scans.sniff import REFUSED_TYPES
from tests.unit.intake.bilingual import assert_speaks_both

pytestmark = pytest.mark.unit


def _scan_samples() -> list[Message]:
    """What the scans say, made by the scan where cheap, else as the scan makes it."""
    limits = ScanLimits()
    samples = [scan_upload(b"", "photo", "n").findings, scan_upload(b"MZ\x90\x00" + bytes(100), "photo", "n").findings]
    said = [from_plain(plain) for findings in samples for plain in findings.messages]
    said += [_too_large(size, limits).said for size in ((30000, 30000), None)]
    try:
        pdf_content.refuse_active_content(list(pdf_content.ACTIVE_CONTENT))
    except pipeline.Refusal as refusal:
        said.append(refusal.said)
    said += [pipeline.unsupported_type(detected) for detected in REFUSED_TYPES]
    said += [_DAMAGED, *(message(f"scan.{code}") for code in FIXED_SCAN_MESSAGES),
             message("scan.file_too_large", max="20", size="21.5"), message("scan.pdf_too_many_pages", max=20, count=31),
             message("scan.image_appended_data", what=[message(f"scan.payload.{kind}") for kind in pipeline.PAYLOADS]),
             message("scan.photo_aspect", width=800, height=800),
             message("scan.photo_low_resolution", width=100, height=140, min_width=295, min_height=413)]
    return said


FIXED_SCAN_MESSAGES = ("photo_not_image", "image_truncated", "image_embedded_markup", "unreadable", "unreadable_retried",
                       "file_missing", "pdf_password", "pdf_encrypted", "pdf_damaged", "pdf_no_pages", "pdf_page_size",
                       "pdf_uninspectable", "pdf_too_complex", "seal_missing", "qr_other_nomination")
SCAN_SAMPLES = _scan_samples()


@pytest.mark.parametrize("said", SCAN_SAMPLES, ids=str)
def test_scan_reason_speaks_both_languages(said):
    assert_speaks_both(said)


def test_every_scan_message_of_the_catalogs_has_a_sample():
    from shared.i18n.catalogs import SHARED_TRANSLATIONS, codes

    words = ("scan.detected.", "scan.type_hint.", "scan.payload.", "scan.active.")
    scan_codes = {code for code in codes(SHARED_TRANSLATIONS, "zh_Hans") if code.startswith("scan.")
                  and not code.startswith(words)}
    assert scan_codes == {said.code for said in SCAN_SAMPLES}


def test_a_refused_type_names_what_it_is_and_what_to_do_in_each_language():
    said = pipeline.unsupported_type("heic")
    assert render(said, "zh_Hans") == "文件类型不受支持：仅接受 JPG、PNG、PDF（检测到 HEIC 图片）：请在手机相册中将照片导出为 JPG 后上传"
    assert render(said, "en") == ("This type of file is not accepted: only JPG, PNG and PDF are (this is a HEIC image): "
                                  "please export the photo as JPG from the phone's album")


def test_an_image_too_large_counts_in_each_language_s_units():
    said = _too_large((30000, 30000), ScanLimits()).said
    assert "万像素" in render(said, "zh_Hans") and "30000×30000" in render(said, "zh_Hans")
    assert f"{ScanLimits().max_pixels / 1_000_000:g} megapixels" in render(said, "en")


def test_findings_keep_the_chinese_reason_and_the_message_in_step():
    findings = scan_upload(b"", "photo", "n").findings
    assert findings.reasons == ["文件为空（0 字节）：请重新选择文件上传"]
    assert reason_messages(findings.as_dict()) == [message("scan.empty_file")]


def test_findings_stored_before_their_messages_show_their_chinese_reason():
    old = {"codes": ["seal_missing"], "reasons": ["未检测到公章：请上传加盖单位公章的报名表扫描件"]}
    assert [render(said, "en") for said in reason_messages(old)] == ["未检测到公章：请上传加盖单位公章的报名表扫描件"]
