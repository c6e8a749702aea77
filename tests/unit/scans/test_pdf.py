import pypdfium2 as pdfium
import pytest

from shared.scans.findings import Refusal
from shared.scans.limits import ScanLimits
from shared.scans.pdf import open_and_render
from shared.scans.pdf_content import active_content
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("make, names", [
    (scanfiles.pdf_with_javascript, ["JavaScript", "JS"]),
    (scanfiles.pdf_with_openaction, ["OpenAction"]),
    (scanfiles.pdf_with_embedded_file, ["EmbeddedFiles", "EmbeddedFile"]),
    (scanfiles.pdf_with_launch_action, ["AA", "Launch"]),
    (scanfiles.pdf_with_escaped_javascript_name, ["OpenAction", "JavaScript", "JS"]),
    (scanfiles.pdf_with_hidden_openaction_in_object_stream, ["OpenAction"]),
    (scanfiles.pdf_with_action_hidden_in_fake_stream, ["OpenAction", "JavaScript"]),
    (scanfiles.pdf_opening_with_remote_goto, ["OpenAction"]),
])
def test_active_content_found(make, names):
    assert active_content(make()) == names


@pytest.mark.parametrize("make", [
    scanfiles.plain_pdf,
    scanfiles.sealed_form_pdf,
    scanfiles.pdf_opening_at_first_page,
    scanfiles.pdf_opening_with_goto_by_reference,
    scanfiles.pdf_with_links_mentioning_js,
])
def test_active_content_none_in_ordinary_pdfs(make):
    assert active_content(make()) == []


def test_active_content_oversized_object_stream_refused():
    with pytest.raises(Refusal) as raised:
        active_content(scanfiles.pdf_with_hidden_openaction_in_object_stream(), ScanLimits(max_object_stream_bytes=10))
    assert raised.value.code == "pdf_too_complex"


def _refusal_code(data: bytes, limits: ScanLimits = ScanLimits()) -> str:
    with pytest.raises(Refusal) as raised:
        open_and_render(data, limits)
    return raised.value.code


def test_open_and_render_javascript_seen_by_pdfium_refused():
    assert _refusal_code(scanfiles.pdf_with_javascript()) == "pdf_active_content"


def test_open_and_render_attachment_seen_by_pdfium_refused():
    assert _refusal_code(scanfiles.pdf_with_embedded_file()) == "pdf_active_content"


def test_open_and_render_password_refused():
    assert _refusal_code(scanfiles.encrypted_pdf("secret")) == "pdf_encrypted"


def test_open_and_render_encrypted_without_password_refused():
    assert _refusal_code(scanfiles.encrypted_pdf("")) == "pdf_encrypted"


def test_open_and_render_too_many_pages_refused():
    assert _refusal_code(scanfiles.pdf_with_pages(11)) == "pdf_too_many_pages"


def test_open_and_render_page_limit_is_the_campaigns():
    assert open_and_render(scanfiles.pdf_with_pages(11), ScanLimits(max_pdf_pages=12)).count == 11


def test_open_and_render_damaged_refused():
    assert _refusal_code(b"%PDF-1.7\n" + bytes(range(256)) * 4) == "pdf_damaged"


def test_open_and_render_first_pages_only_and_bounded():
    rendered = open_and_render(scanfiles.pdf_with_pages(5), ScanLimits(pdf_pages_rendered=2, preview_px=800))
    assert rendered.count == 5
    assert [max(page.size) for page in rendered.rendered] == [800, 800]


def test_object_stream_fixture_hides_the_action_from_a_raw_byte_search():
    data = scanfiles.pdf_with_hidden_openaction_in_object_stream()
    assert b"OpenAction" not in data
    document = pdfium.PdfDocument(data)
    try:
        assert len(document) == 1
    finally:
        document.close()
