"""Hashes for duplicate search: SHA-256 for identical files, a DCT perceptual hash for re-encoded ones."""
import hashlib

import cv2
import numpy as np

HASH_SIZE = 8
DCT_SIZE = 32


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def phash(rgb: np.ndarray) -> str:
    """64-bit pHash as 16 hex digits: the low 8x8 DCT frequencies of a 32x32 grey image vs their median."""
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
