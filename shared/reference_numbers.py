"""A nomination's short reference (申报编号): the campaign's year and the number the database gave it
when it started, `2022-00042`. People quote it on the phone and in mails; staff search by it.

Typed back, it may come whole (`2022-00042`), without the year (`00042`, `42`), with spaces or a full-width
dash; `parse_reference` reads each of these as the number.
"""
from __future__ import annotations

import re
import unicodedata

DIGITS = 5
_WHOLE = re.compile(r"^(?:(\d{4})\s*[-‐–—－ ]\s*)?0*(\d{1,12})$")


def format_reference(year: int, number: int) -> str:
    return f"{year}-{number_part(number)}"


def number_part(number: int) -> str:
    """What follows the year's dash: `42` -> `00042`."""
    return f"{number:0{DIGITS}d}"


def parse_reference(text: str, year: int | None = None) -> int | None:
    """The number a typed reference names, or None when the text is not one (or names another year)."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    match = _WHOLE.match(cleaned)
    if match is None:
        return None
    typed_year, number = match.groups()
    if typed_year is not None and year is not None and int(typed_year) != year:
        return None
    if typed_year is None and len(number) > DIGITS + 1:
        return None  # a long bare number is a phone number, not a reference
    return int(number)
