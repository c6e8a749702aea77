"""Where a sign-in may send the browser next: a path on this site only, never another host."""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path of this site (`/admin/`), else `default`. Refused: absolute URLs, scheme-
    relative `//host`, `/\\host` (browsers read the backslash as a slash), control characters."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
