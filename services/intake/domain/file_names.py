"""An upload's name as the applicant's device gave it, kept only to show back: never a path, never a
control character, never a name that means a directory."""
from __future__ import annotations

MAX_CHARS = 200
FALLBACK = "file"


def shown_file_name(filename: str | None) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:MAX_CHARS]
    return name if name.strip(".") else FALLBACK
