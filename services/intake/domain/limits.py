"""How much a user or API client may send, and the refusals when they send more.

Every text has a limit: the form's fields in the form schema (the schemas package), the rest here. The web layer
also caps the size of any request that is not an upload (REQUEST_MAX_BYTES), so that nothing larger is
read at all."""
from __future__ import annotations

import json

from services.intake.domain.errors import IntakeRefusal

REASON_MAX_CHARS = 500
SUBMIT_KEY_MAX_CHARS = 100
PASSWORD_MAX_CHARS = 200
EMAIL_MAX_CHARS = 254
CODE_MAX_CHARS = 30
# A draft holds the whole form: 3,000 characters of deeds, 50 team members, 10 honours fit many times over.
DRAFT_MAX_BYTES = 64 * 1024
REQUEST_MAX_BYTES = 128 * 1024


class InputTooLong(IntakeRefusal):
    """A text or a draft over its limit; `field` names it for the API's problem list."""

    def __init__(self, field: str, code: str, **params):
        super().__init__(code, **params)
        self.field = field


def check_withdrawal_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_CHARS:
        raise InputTooLong("reason", "intake.reason_too_long", max=REASON_MAX_CHARS, count=len(reason))
    return reason


def check_draft_size(data: dict) -> None:
    size = len(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    if size > DRAFT_MAX_BYTES:
        raise InputTooLong("data", "intake.draft_too_large", max=DRAFT_MAX_BYTES // 1024, size=size // 1024)


def fits(text: str | None, max_chars: int) -> bool:
    return text is None or len(text) <= max_chars
