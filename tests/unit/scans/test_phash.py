import io

import numpy as np
import pytest
from PIL import Image

from services.intake.domain.scans.phash import hamming, near_duplicates, phash, sha256_hex
from tests.fixtures import scanfiles

pytestmark = pytest.mark.unit


def _hash(data: bytes) -> str:
    return phash(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))


def test_phash_is_16_hex_digits():
    value = _hash(scanfiles.certificate_jpeg(1))
    assert len(value) == 16 and int(value, 16) >= 0


def test_phash_same_certificate_at_lower_jpeg_quality_is_near():
    assert hamming(_hash(scanfiles.certificate_jpeg(1)), _hash(scanfiles.certificate_jpeg(1, quality=35))) <= 8


def test_phash_same_certificate_scaled_to_80_percent_is_near():
    assert hamming(_hash(scanfiles.certificate_jpeg(1)), _hash(scanfiles.certificate_jpeg(1, scale=0.8))) <= 8


@pytest.mark.parametrize("other", [2, 3, 4])
def test_phash_different_certificates_are_far(other):
    assert hamming(_hash(scanfiles.certificate_jpeg(1)), _hash(scanfiles.certificate_jpeg(other))) > 20


def test_hamming_counts_differing_bits():
    assert hamming("0000000000000000", "000000000000000f") == 4
    assert hamming("ffffffffffffffff", "ffffffffffffffff") == 0


def test_near_duplicates_keeps_close_ones_nearest_first():
    candidates = [("far", "ffffffffffffffff"), ("three", "0000000000000007"), ("one", "0000000000000001")]
    assert near_duplicates("0000000000000000", candidates, max_distance=8) == [("one", 1), ("three", 3)]


def test_sha256_hex():
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
