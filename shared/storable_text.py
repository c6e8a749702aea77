"""Text no database can store: a NUL (PostgreSQL refuses it in a string and in JSON) or a lone UTF-16
surrogate (no UTF-8 encodes it). A plain rule, for the web's refusal (shared/request_text.py) and for rows read
from uploaded files."""
from __future__ import annotations

import re

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> bool:
    return UNSTORABLE.search(text) is not None


def storable(text: str) -> str:
    """The text without what no database stores: for what is recorded as sent, never refused (a User-Agent)."""
    return UNSTORABLE.sub("", text)
