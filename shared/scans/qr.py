"""The QR code the printable registration form carries, read back from the sealed scan. OpenCV and numpy
are imported where an image is read: the web processes use this module for the expected text alone."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

QR_PREFIX = "tuiju:nomination:"


def expected_qr_text(nomination_id: str) -> str:
    return f"{QR_PREFIX}{nomination_id}"


def read_qr(rgb: np.ndarray) -> list[str]:
    """Texts of the QR codes found in a 2x downscale (fast, and kinder to coarse scans), else in the
    image as given (small codes on big pages)."""
    import cv2

    grey = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    half = cv2.resize(grey, (max(1, grey.shape[1] // 2), max(1, grey.shape[0] // 2)), interpolation=cv2.INTER_AREA)
    return _decode(half) or _decode(grey)


def _decode(grey: np.ndarray) -> list[str]:
    import numpy as np
    from pyzbar import pyzbar  # needs the system's libzbar0; imported here so the rest works without it

    found = pyzbar.decode(np.ascontiguousarray(grey), symbols=[pyzbar.ZBarSymbol.QRCODE])
    return list(dict.fromkeys(symbol.data.decode("utf-8", errors="replace") for symbol in found))


def qr_check(texts: list[str], nomination_id: str) -> str:
    """"match" when this nomination's form code is there, "other_nomination" when another's, else "absent"."""
    if expected_qr_text(nomination_id) in texts:
        return "match"
    if any(text.startswith(QR_PREFIX) for text in texts):
        return "other_nomination"
    return "absent"
