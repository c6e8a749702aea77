"""Hashes for duplicate search: SHA-256 for identical files, a DCT perceptual hash for re-encoded ones.
OpenCV and numpy are imported where a hash is computed: the web processes use the bands alone."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

HASH_SIZE = 8
DCT_SIZE = 32


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def phash(rgb: np.ndarray) -> str:
    """64-bit pHash as 16 hex digits: the low 8x8 DCT frequencies of a 32x32 grey image vs their median."""
    import cv2
    import numpy as np

    grey = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    small = cv2.resize(grey, (DCT_SIZE, DCT_SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:HASH_SIZE, :HASH_SIZE]
    bits = (low > np.median(low)).flatten()
    return np.packbits(bits).tobytes().hex()


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicates(
    phash_hex: str, candidates: list[tuple[str, str]], max_distance: int = 8
) -> list[tuple[str, int]]:
    """The (id, distance) of candidates within max_distance of phash_hex, nearest first."""
    distances = ((cid, hamming(phash_hex, other)) for cid, other in candidates if other)
    return sorted(((cid, d) for cid, d in distances if d <= max_distance), key=lambda pair: pair[1])


# Near-duplicate search through an index: the 64-bit hash is cut into BANDS bands of 16 bits, each
# stored in its own indexed column. Two hashes within MAX_DISTANCE bits differ in at most
# MAX_DISTANCE // BANDS bits in at least one band (pigeonhole), so every near duplicate has a band
# equal to one of the probes of that band: the values within BAND_RADIUS bits of the file's own.
# The probes are 4 x 137 exact index look-ups; the candidates they find are verified bit by bit.
MAX_DISTANCE = 8
BANDS = 4
BAND_BITS = 64 // BANDS
BAND_RADIUS = MAX_DISTANCE // BANDS


def bands(phash_hex: str) -> tuple[int, ...]:
    """The hash's bands, most significant first, as non-negative integers below 2**16."""
    value = int(phash_hex, 16)
    mask = (1 << BAND_BITS) - 1
    return tuple((value >> (BAND_BITS * (BANDS - 1 - index))) & mask for index in range(BANDS))


def band_probes(phash_hex: str) -> tuple[list[int], ...]:
    """Per band, every value within BAND_RADIUS bits of the hash's own band value."""
    return tuple(_within(value, BAND_RADIUS) for value in bands(phash_hex))


def _within(value: int, radius: int) -> list[int]:
    found = {value}
    for _ in range(radius):
        found |= {neighbour ^ (1 << bit) for neighbour in found for bit in range(BAND_BITS)}
    return sorted(found)
