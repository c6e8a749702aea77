import io
import json
import random

import pytest
from PIL import ExifTags, Image

from shared.scans import ScanLimits, expected_qr_text, near_duplicates, scan_upload
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit

NOMINATION = scanfiles.NOMINATION_ID


def _scan(data: bytes, kind: str, nomination_id: str = NOMINATION, limits: ScanLimits = ScanLimits()):
    return scan_upload(data, kind, nomination_id, limits)


@pytest.mark.parametrize("make, kind, code, words", [
    (scanfiles.bomb_png, "certificate", "image_too_large", "50000×50000"),
    (scanfiles.elf_named_jpg, "photo", "unsupported_type", "检测到 ELF 可执行文件"),
    (scanfiles.svg_named_png, "photo", "unsupported_type", "检测到 SVG 矢量图"),
    (scanfiles.zip_named_pdf, "sealed_form", "unsupported_type", "检测到 ZIP 压缩包"),
    (scanfiles.html_named_jpg, "certificate", "unsupported_type", "检测到 HTML 网页"),
    (scanfiles.gif_file, "photo", "unsupported_type", "检测到 GIF 图片"),
    (scanfiles.pdf_with_junk_before_header, "certificate", "unsupported_type", "文件头前带有多余数据的 PDF"),
    (scanfiles.empty_file, "photo", "empty_file", "文件为空"),
    (scanfiles.truncated_jpeg, "certificate", "image_truncated", "图片文件不完整"),
    (scanfiles.pdf_with_javascript, "sealed_form", "pdf_active_content", "JavaScript"),
    (scanfiles.pdf_with_openaction, "certificate", "pdf_active_content", "OpenAction"),
    (scanfiles.pdf_with_embedded_file, "certificate", "pdf_active_content", "嵌入的附件"),
    (scanfiles.pdf_with_launch_action, "certificate", "pdf_active_content", "Launch"),
    (scanfiles.pdf_with_hidden_openaction_in_object_stream, "certificate", "pdf_active_content", "OpenAction"),
    (scanfiles.encrypted_pdf, "sealed_form", "pdf_encrypted", "密码"),
    (lambda: scanfiles.pdf_with_pages(11), "media_proof", "pdf_too_many_pages", "最多 10 页，本文件有 11 页"),
    (scanfiles.sealed_form_pdf, "photo", "photo_not_image", "不接受 PDF"),
])
def test_scan_upload_hostile_or_wrong_file_refused_with_reason(make, kind, code, words):
    result = _scan(make(), kind)
    findings = result.findings
    assert (findings.verdict, findings.refused, findings.codes) == ("refused", True, [code])
    assert words in findings.reasons[0]
    assert result.derivatives == []


def test_scan_upload_refused_type_message_is_for_the_applicant():
    reasons = _scan(scanfiles.elf_named_jpg(), "photo").findings.reasons
    assert reasons == ["文件类型不受支持：仅接受 JPG、PNG、PDF（检测到 ELF 可执行文件）"]


def test_scan_upload_file_over_size_limit_refused():
    findings = _scan(scanfiles.sealed_form_png(), "sealed_form", limits=ScanLimits(max_bytes=1000)).findings
    assert findings.codes == ["file_too_large"]


@pytest.mark.parametrize("make", [
    scanfiles.sealed_form_png, scanfiles.sealed_form_pdf, scanfiles.sealed_form_phone_jpeg,
])
def test_scan_upload_sealed_form_ok(make):
    result = _scan(make(), "sealed_form")
    findings = result.findings
    assert (findings.verdict, findings.reasons) == ("ok", [])
    assert findings.seal.found and findings.seal.page == 1
    assert (findings.qr.check, findings.qr.texts) == ("match", (expected_qr_text(NOMINATION),))
    assert [d.name for d in result.derivatives] == ["preview.jpg", "thumbnail.jpg"]


def test_scan_upload_seal_box_in_page_pixels():
    findings = _scan(scanfiles.sealed_form_phone_jpeg(), "sealed_form").findings
    x, y, w, h = findings.seal.box
    assert x + w <= findings.width and y + h <= findings.height
    assert w > 0.15 * min(findings.width, findings.height)


@pytest.mark.parametrize("make", [
    scanfiles.unsealed_form_png, scanfiles.unsealed_form_pdf, scanfiles.red_marked_form_png,
])
def test_scan_upload_form_without_seal_flagged(make):
    findings = _scan(make(), "sealed_form").findings
    assert (findings.verdict, findings.codes) == ("flagged", ["seal_missing"])
    assert findings.reasons == ["未检测到公章：请上传加盖单位公章的报名表扫描件"]
    assert findings.seal.found is False


def test_scan_upload_form_of_another_nomination_flagged():
    findings = _scan(scanfiles.sealed_form_png(scanfiles.OTHER_NOMINATION_ID), "sealed_form").findings
    assert (findings.verdict, findings.codes) == ("flagged", ["qr_other_nomination"])
    assert findings.qr.check == "other_nomination"


def test_scan_upload_form_without_qr_is_absent_not_flagged():
    findings = _scan(scanfiles.sealed_form_png(with_qr=False), "sealed_form").findings
    assert (findings.verdict, findings.qr.check) == ("ok", "absent")


def test_scan_upload_pdf_form_reports_pages_and_renders_them():
    result = _scan(scanfiles.pdf_with_pages(3), "media_proof")
    assert result.findings.pages == 3
    assert [d.name for d in result.derivatives] == ["preview.jpg", "preview-2.jpg", "thumbnail.jpg"]


def test_scan_upload_photo_ok():
    findings = _scan(scanfiles.portrait_photo_jpeg(), "photo").findings
    assert (findings.verdict, findings.photo.aspect_ok, findings.photo.resolution_ok) == ("ok", True, True)


def test_scan_upload_photo_on_its_side_by_exif_is_upright():
    result = _scan(scanfiles.rotated_portrait_jpeg(), "photo")
    assert (result.findings.verdict, result.findings.width, result.findings.height) == ("ok", 354, 496)
    preview = Image.open(io.BytesIO(result.derivatives[0].data))
    assert preview.height > preview.width


def test_scan_upload_landscape_photo_flagged():
    findings = _scan(scanfiles.portrait_photo_jpeg(700, 500), "photo").findings
    assert (findings.verdict, findings.codes) == ("flagged", ["photo_aspect"])


def test_scan_upload_small_photo_flagged_not_refused():
    findings = _scan(scanfiles.portrait_photo_jpeg(200, 280), "photo").findings
    assert (findings.verdict, findings.codes) == ("flagged", ["photo_low_resolution"])


def test_scan_upload_gps_photo_derivatives_have_no_exif():
    original = Image.open(io.BytesIO(scanfiles.gps_photo_jpeg()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == scanfiles.GPS_LATITUDE
    result = _scan(scanfiles.gps_photo_jpeg(), "photo")
    assert result.findings.verdict == "ok"
    for derivative in result.derivatives:
        assert dict(Image.open(io.BytesIO(derivative.data)).getexif()) == {}


def test_scan_upload_appended_payload_flagged_and_absent_from_derivatives():
    result = _scan(scanfiles.jpeg_with_zip_and_html_appended(), "photo")
    findings = result.findings
    assert (findings.verdict, findings.codes) == ("flagged", ["image_appended_data"])
    assert findings.trailing_bytes > 0 and {"zip", "html"} <= set(findings.trailing_kinds)
    for derivative in result.derivatives:
        assert b"PK\x03\x04" not in derivative.data and b"<script" not in derivative.data
        assert derivative.data.endswith(b"\xff\xd9")


def test_scan_upload_harmless_padding_recorded_not_flagged():
    findings = _scan(scanfiles.jpeg_with_zero_padding(), "photo").findings
    assert (findings.verdict, findings.trailing_bytes) == ("ok", 4096)


@pytest.mark.parametrize("kind", ["certificate", "media_proof"])
def test_scan_upload_certificate_hashes_for_duplicate_search(kind):
    data = scanfiles.certificate_jpeg(5)
    findings = _scan(data, kind).findings
    assert findings.verdict == "ok"
    assert len(findings.sha256) == 64 and len(findings.phash) == 16
    assert (findings.seal, findings.qr, findings.photo) == (None, None, None)


def test_scan_upload_same_certificate_as_jpeg_and_pdf_is_a_near_duplicate():
    as_jpeg = _scan(scanfiles.certificate_jpeg(6), "certificate").findings
    as_pdf = _scan(scanfiles.certificate_pdf(6), "certificate").findings
    other = _scan(scanfiles.certificate_pdf(7), "certificate").findings
    candidates = [("other-nomination", other.phash), ("same-certificate", as_pdf.phash)]
    assert as_jpeg.sha256 != as_pdf.sha256
    assert [cid for cid, _ in near_duplicates(as_jpeg.phash, candidates)] == ["same-certificate"]


def test_scan_upload_findings_as_dict_is_plain_json():
    plain = _scan(scanfiles.sealed_form_png(), "sealed_form").findings.as_dict()
    assert json.loads(json.dumps(plain)) == plain
    assert plain["verdict"] == "ok" and plain["seal"]["found"] is True and len(plain["seal"]["box"]) == 4
    assert plain["qr"] == {"texts": [expected_qr_text(NOMINATION)], "check": "match"}


def test_scan_upload_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        scan_upload(scanfiles.portrait_photo_jpeg(), "selfie", NOMINATION)


@pytest.mark.parametrize("make, kind", [
    (scanfiles.portrait_photo_jpeg, "photo"),
    (scanfiles.sealed_form_png, "sealed_form"),
    (scanfiles.plain_pdf, "certificate"),
])
def test_scan_upload_never_raises_on_damaged_copies(make, kind):
    original = make()
    rng = random.Random(20221201)
    for _ in range(12):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(16, len(damaged))] = rng.randrange(256)
        findings = scan_upload(bytes(damaged), kind, NOMINATION).findings
        assert findings.verdict in ("ok", "flagged", "refused")
        assert findings.reasons or not findings.refused


@pytest.mark.parametrize("magic", [b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n"])
def test_scan_upload_garbage_behind_a_valid_magic_refused(magic):
    garbage = magic + random.Random(7).randbytes(5000)
    findings = scan_upload(garbage, "certificate", NOMINATION).findings
    assert findings.verdict == "refused" and findings.reasons
