import io

import numpy as np
import pytest
from PIL import Image

from shared.scans.qr import expected_qr_text, qr_check, read_qr
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_expected_qr_text_names_the_nomination():
    assert expected_qr_text("abc-1") == "tuiju:nomination:abc-1"


def test_read_qr_on_the_printed_form():
    assert read_qr(_pixels(scanfiles.sealed_form_png())) == [expected_qr_text(scanfiles.NOMINATION_ID)]


def test_read_qr_on_a_phone_snapshot():
    assert read_qr(_pixels(scanfiles.sealed_form_phone_jpeg())) == [expected_qr_text(scanfiles.NOMINATION_ID)]


def test_read_qr_none_on_a_form_without_code():
    assert read_qr(_pixels(scanfiles.sealed_form_png(with_qr=False))) == []


@pytest.mark.parametrize("texts, check", [
    (["tuiju:nomination:n-1"], "match"),
    (["https://example.org", "tuiju:nomination:n-1"], "match"),
    (["tuiju:nomination:n-2"], "other_nomination"),
    (["https://example.org"], "absent"),
    ([], "absent"),
])
def test_qr_check(texts, check):
    assert qr_check(texts, "n-1") == check
