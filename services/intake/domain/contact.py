"""The contact of a draft: nothing is sent to its e-mail or phone (reminders, SMS, links) before its owner
confirmed the e-mail by the link mailed to it, and a draft may ask for that link only a few times."""
from __future__ import annotations

from datetime import timedelta

from services.intake.domain.errors import IntakeRefusal

VERIFICATION_VALID = timedelta(days=7)
MAX_VERIFICATION_REQUESTS = 5


class VerificationRefused(IntakeRefusal):
    pass


def check_may_request_verification(email: str | None, verified_email: str | None, requests: int) -> str:
    """The address to send a verification link to, or VerificationRefused with the reason."""
    if not email:
        raise VerificationRefused("intake.contact_email_missing")
    if email == verified_email:
        raise VerificationRefused("intake.contact_verified_already")
    if requests >= MAX_VERIFICATION_REQUESTS:
        raise VerificationRefused("intake.verification_limit", count=MAX_VERIFICATION_REQUESTS)
    return email


def is_verified(email: str | None, verified_email: str | None) -> bool:
    return bool(email) and email == verified_email
