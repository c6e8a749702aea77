import pytest

from shared.scans.sniff import REFUSED_TYPES, declared_size, detect_type, real_type, sniff
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("make, expected", [
    (scanfiles.portrait_photo_jpeg, "jpeg"),
    (scanfiles.sealed_form_png, "png"),
    (scanfiles.sealed_form_pdf, "pdf"),
    (scanfiles.plain_pdf, "pdf"),
])
def test_real_type_accepted_by_magic_bytes(make, expected):
    assert real_type(make()[:1024]) == expected


@pytest.mark.parametrize("make, detected", [
    (scanfiles.elf_named_jpg, "elf"),
    (scanfiles.svg_named_png, "svg"),
    (scanfiles.zip_named_pdf, "zip"),
    (scanfiles.html_named_jpg, "html"),
    (scanfiles.gif_file, "gif"),
    (scanfiles.empty_file, "empty"),
    (scanfiles.pdf_with_junk_before_header, "pdf_with_prefix"),
    (lambda: b"MZ\x90\x00\x03" + bytes(60), "pe"),
    (lambda: b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
    (lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "heic"),
    (lambda: b"just some words", "unknown"),
])
def test_real_type_refused_kinds_are_named(make, detected):
    head = make()[:1024]
    assert real_type(head) is None
    assert detect_type(head) == detected
    assert detected in REFUSED_TYPES


def test_sniff_clean_jpeg_has_no_trailing_bytes():
    found = sniff(scanfiles.portrait_photo_jpeg())
    assert (found.complete, found.trailing_bytes, found.trailing_kinds) == (True, 0, ())


def test_sniff_jpeg_with_zip_and_html_reports_the_appended_bytes():
    clean = scanfiles.portrait_photo_jpeg()
    polyglot = scanfiles.jpeg_with_zip_and_html_appended()
    found = sniff(polyglot)
    assert found.real_type == "jpeg"
    assert found.trailing_bytes == len(polyglot) - len(clean)
    assert set(found.trailing_kinds) >= {"zip", "html", "script"}


def test_sniff_png_with_html_after_iend_reports_it():
    found = sniff(scanfiles.png_with_appended_html())
    assert found.trailing_bytes == len(scanfiles.APPENDED_HTML)
    assert "html" in found.trailing_kinds


def test_sniff_zero_padding_is_counted_but_not_suspicious():
    found = sniff(scanfiles.jpeg_with_zero_padding())
    assert (found.trailing_bytes, found.trailing_kinds) == (4096, ())


def test_sniff_truncated_jpeg_is_incomplete():
    assert sniff(scanfiles.truncated_jpeg()).complete is False


def test_sniff_html_inside_a_jpeg_comment_is_embedded_markup():
    jpeg = scanfiles.portrait_photo_jpeg()
    comment = b"<html><script>alert(1)</script></html>"
    with_comment = jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]
    found = sniff(with_comment)
    assert (found.embedded_markup, found.trailing_bytes) == (True, 0)


def test_declared_size_reads_headers_without_decoding():
    assert declared_size(scanfiles.bomb_png(), "png") == (50_000, 50_000)
    assert declared_size(scanfiles.portrait_photo_jpeg(), "jpeg") == (354, 496)
