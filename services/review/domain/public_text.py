"""What of a nomination the public pages may show (R12's 公开, within PIPL): the name, the unit, the
business domain, the nominee kind and the deeds, never the phone, e-mail, address, postcode, ethnic
group, political status, age or identity number. The deeds are the applicant's own text and may hold
contact details typed into it: every phone number, e-mail address, identity number and postcode-like
digit run is masked before it is shown."""
from __future__ import annotations

import re

MASK = "＊＊＊"
SUMMARY_CHARS = 120
# Full-width digits, Latin letters and @ . + - read as their ASCII selves (the rest of the text, its
# Chinese punctuation included, stays as written).
_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                                                0xFF20, 0xFF0E, 0xFF0B, 0xFF0D)}
_PATTERNS = (
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),  # e-mail
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),                           # identity card
    re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)"),  # mobile, with spaces or dashes
    re.compile(r"(?<!\d)(?:0\d{2,3}[\s-]?)?\d{7,8}(?!\d)"),               # landline
    re.compile(r"(?<!\d)\d{6}(?!\d)"),                                   # postcode
)


def masked(text: str) -> str:
    """The text with contact details and identity numbers replaced (full-width digits read as digits)."""
    value = (text or "").translate(_HALF_WIDTH)
    for pattern in _PATTERNS:
        value = pattern.sub(MASK, value)
    return value


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The masked text on one line, cut at `limit` characters (at a sentence's end when one is near)."""
    line = " ".join(masked(text).split())
    if len(line) <= limit:
        return line
    cut = line[:limit]
    end = max(cut.rfind(mark) for mark in "。！？；")
    return cut[:end + 1] if end >= limit * 2 // 3 else cut + "……"
