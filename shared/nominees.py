"""Comparing nominees across services and years: names and units normalised the same way everywhere, and
the phone hash of the honouree records (`honouree.recorded` v2).

The phone hash is an HMAC keyed with the deployment's `TUIJU_PHONE_HASH_SECRET` (by default derived from
`TUIJU_SECRET_KEY`), which only the services hold. v1 of the event carried a bare SHA-256 of the digits,
which anyone recovers by trying the 10^11 mobile numbers: it is no longer computed anywhere."""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

NAME_DOTS = "·•‧・⋅∙ㆍ.。"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_DROPPED_FROM_NAMES = str.maketrans("", "", NAME_DOTS + INVISIBLE)
_DROPPED_FROM_UNITS = str.maketrans("", "", INVISIBLE)


def normalise_name(name: str) -> str:
    """NFKC, no whitespace of any width, no middle dots: `阿依古丽 · 买买提` == `阿依古丽买买提`."""
    text = unicodedata.normalize("NFKC", name).translate(_DROPPED_FROM_NAMES)
    return "".join(text.split()).casefold()


def normalise_unit(unit: str) -> str:
    """NFKC, no whitespace, no punctuation (brackets and quotes included), case-folded."""
    text = unicodedata.normalize("NFKC", unit).translate(_DROPPED_FROM_UNITS)
    kept = (char for char in text if not char.isspace() and not unicodedata.category(char).startswith("P"))
    return "".join(kept).casefold()


def person_key(name: str, unit: str) -> str:
    """The key of a person across campaigns: normalised name and unit."""
    return f"{normalise_name(name)}@{normalise_unit(unit)}"


def phone_digits(phone: str) -> str:
    """The digits of a phone number, without a +86 / 0086 country prefix on a mobile number."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    return re.sub(r"^(?:0086|86)(?=1\d{10}$)", "", digits)


def phone_hmac(secret: str, phone: str) -> str:
    """HMAC-SHA256 (hex) of the number's digits, keyed with the deployment's phone-hash secret."""
    return hmac.new(secret.encode(), _digits_or_refuse(phone).encode(), hashlib.sha256).hexdigest()


def _digits_or_refuse(phone: str) -> str:
    digits = phone_digits(phone)
    if not digits:
        raise ValueError("电话号码中没有数字 / the phone number has no digits")
    return digits
