import io
import random

import numpy as np
import pytest
from PIL import Image

from shared.scans.phash import band_probes, bands, hamming, near_duplicates, phash, sha256_hex
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


def test_bands_cut_the_hash_into_four_16_bit_values_most_significant_first():
    assert bands("0123456789abcdef") == (0x0123, 0x4567, 0x89AB, 0xCDEF)


def test_band_probes_are_the_values_within_two_bits_of_each_band():
    probes = band_probes("0000ffff00000001")
    assert [len(values) for values in probes] == [137] * 4  # 1 + 16 + 120
    assert 0 in probes[0] and 0b11 in probes[0] and 0b111 not in probes[0]
    assert 0xFFFF in probes[1] and 0xFFFC in probes[1] and 0xFFF8 not in probes[1]


def test_band_probes_find_every_hash_within_8_bits_and_verification_drops_the_rest():
    rng = random.Random(21)
    for _ in range(2000):
        original = rng.getrandbits(64)
        flipped = original
        for bit in rng.sample(range(64), rng.randint(0, 8)):
            flipped ^= 1 << bit
        query, other = f"{original:016x}", f"{flipped:016x}"
        probes = band_probes(query)
        assert any(band in probes[index] for index, band in enumerate(bands(other)))
    # Half the bits differ, yet two bands are equal: a candidate that the exact check then drops.
    far = f"{0xFFFF_FFFF_0000_0000:016x}"
    assert bands(far)[2] in band_probes("0" * 16)[2]
    assert near_duplicates("0" * 16, [("far", far)]) == []
