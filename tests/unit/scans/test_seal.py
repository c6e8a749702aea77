import io

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from shared.scans.seal import find_seal
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def _page_pixels(data: bytes) -> np.ndarray:
    document = pdfium.PdfDocument(data)
    try:
        return np.asarray(document[0].render(scale=2).to_pil().convert("RGB"))
    finally:
        document.close()


def test_find_seal_on_form_image():
    seal = find_seal(_pixels(scanfiles.sealed_form_png()))
    assert seal.found and seal.confidence >= 0.8
    x, y, w, h = seal.box
    centre_px = (150 / 25.4 * scanfiles.FORM_DPI, 204 / 25.4 * scanfiles.FORM_DPI)
    assert abs(x + w / 2 - centre_px[0]) < 10 and abs(y + h / 2 - centre_px[1]) < 10
    assert abs(w - 40 / 25.4 * scanfiles.FORM_DPI) < 20


def test_find_seal_on_rendered_form_pdf():
    assert find_seal(_page_pixels(scanfiles.sealed_form_pdf())).found


def test_find_seal_on_phone_snapshot():
    assert find_seal(_pixels(scanfiles.sealed_form_phone_jpeg())).found


def test_find_seal_oval():
    seal = find_seal(_pixels(scanfiles.oval_seal_form_png()))
    assert seal.found and seal.box[2] > seal.box[3]


@pytest.mark.parametrize("pixels", [
    lambda: _pixels(scanfiles.unsealed_form_png()),
    lambda: _page_pixels(scanfiles.unsealed_form_pdf()),
    lambda: _pixels(scanfiles.red_marked_form_png()),
    lambda: _page_pixels(scanfiles.red_marked_form_pdf()),
    lambda: _pixels(scanfiles.red_circled_form_png()),
    lambda: _pixels(scanfiles.square_stamp_form_png()),
    lambda: _pixels(scanfiles.certificate_jpeg(1)),
    lambda: _pixels(scanfiles.portrait_photo_jpeg()),
], ids=["unsealed-png", "unsealed-pdf", "red-ink-png", "red-ink-pdf", "red-circle", "square-stamp", "certificate",
     "photo"])
def test_find_seal_not_on_pages_without_one(pixels):
    seal = find_seal(pixels())
    assert (seal.found, seal.box) == (False, None)
    assert seal.confidence < 0.5


def test_find_seal_on_blank_page():
    assert find_seal(np.full((800, 600, 3), 255, np.uint8)).found is False
