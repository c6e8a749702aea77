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
        raise VerificationRefused("请先在“基本信息”中填写有效的联系人邮箱")
    if email == verified_email:
        raise VerificationRefused("联系人邮箱已验证，无需再次验证")
    if requests >= MAX_VERIFICATION_REQUESTS:
        raise VerificationRefused(f"验证邮件已发送 {MAX_VERIFICATION_REQUESTS} 次，不能再发送；请检查邮箱地址或垃圾邮件箱")
    return email


def is_verified(email: str | None, verified_email: str | None) -> bool:
    return bool(email) and email == verified_email
