"""A guard for the public objection form without a CAPTCHA: the form carries a token the server signed
when it served the form (so a script must fetch the page first), which is accepted only after a person's
least filling time and before it expires; a field hidden from people (a honeypot) must stay empty. With
the rate limit per client address (shared/request_limits.py) this keeps scripted floods out while a person
never meets a puzzle. The token is not bound to a session, so the public pages set no cookie."""
from __future__ import annotations

import secrets
import time

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shared.campaign import Refusal

SALT = "review-objection-form"
MIN_FILL_SECONDS = 5
MAX_AGE_SECONDS = 2 * 3600
HONEYPOT = "website"


class FormGuard:
    def __init__(self, secret: str, clock=time.time):
        self.serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.clock = clock

    def token(self) -> str:
        return self.serializer.dumps({"n": secrets.token_urlsafe(8)})

    def check(self, token: str, honeypot: str) -> None:
        """Refusal (in Chinese) unless the form was served by us, at least MIN_FILL_SECONDS ago, not
        expired, and the honeypot is empty."""
        if honeypot:
            raise Refusal("无法提交：表单填写异常，请刷新页面后重新填写")
        try:
            _, signed_at = self.serializer.loads(token or "", max_age=MAX_AGE_SECONDS, return_timestamp=True)
        except SignatureExpired:
            raise Refusal("页面已打开超过两小时，请刷新后重新填写提交") from None
        except BadSignature:
            raise Refusal("无法提交：请从公示页面打开异议表单后填写") from None
        if self.clock() - signed_at.timestamp() < MIN_FILL_SECONDS:
            raise Refusal("提交过快：请核对填写内容后再提交")
