"""Comparing nominees across services and years: names and units normalised the same way everywhere, and
the phone hashes of the honouree records (`honouree.recorded`).

v1 of the phone hash is a bare SHA-256 of the digits behind a fixed prefix: anyone can recover a phone
number from it by trying the 10^11 mobile numbers. v2 is an HMAC keyed with the deployment's
`TUIJU_PHONE_HASH_SECRET` (by default derived from `TUIJU_SECRET_KEY`), which only the services hold."""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

PHONE_HASH_PREFIX = "tuiju:phone:v1:"
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


def phone_hash(phone: str) -> str:
    """v1: SHA-256 (hex) of the number's digits behind a fixed prefix. Recoverable; kept until v1 is gone."""
    return hashlib.sha256(f"{PHONE_HASH_PREFIX}{_digits_or_refuse(phone)}".encode()).hexdigest()


def phone_hmac(secret: str, phone: str) -> str:
    """v2: HMAC-SHA256 (hex) of the number's digits, keyed with the deployment's phone-hash secret."""
    return hmac.new(secret.encode(), _digits_or_refuse(phone).encode(), hashlib.sha256).hexdigest()


def phone_hashes(phone: str | None, secret: str | None) -> set[str]:
    """Every hash a record of this phone may carry (v1, and v2 when the secret is known); empty without digits."""
    if not phone or not phone_digits(phone):
        return set()
    return {phone_hash(phone), *([phone_hmac(secret, phone)] if secret else [])}


def _digits_or_refuse(phone: str) -> str:
    digits = phone_digits(phone)
    if not digits:
        raise ValueError("电话号码中没有数字 / the phone number has no digits")
    return digits
