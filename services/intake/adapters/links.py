"""Private links: a nomination's status page is reached by a signed token, no account needed."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from shared.i18n import message
from shared.i18n.catalogs import chinese


class BadLink(ValueError):
    """A link that does not open what it names; `refusal` is what the reader is told (a message code)."""

    def __init__(self, code: str):
        self.refusal = message(code)
        super().__init__(chinese(self.refusal))


class ExpiredLink(BadLink):
    pass


def _serializer(secret: str, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"tuiju-{purpose}")


def nomination_token(secret: str, nomination_id: str) -> str:
    return _serializer(secret, "nomination").dumps(nomination_id)


def nomination_from_token(secret: str, token: str) -> str:
    try:
        return _serializer(secret, "nomination").loads(token)
    except BadSignature:
        raise BadLink("intake.link_invalid") from None


def invitation_token(secret: str, organisation_id: str, password_hash: str | None = None) -> str:
    """An invitation to set the organisation's password, dated, and bound to its password as it is now:
    once a password is set, the link no longer works (single use)."""
    return URLSafeTimedSerializer(secret, salt="tuiju-invitation-v2").dumps(
        [organisation_id, password_fingerprint(password_hash)])


def invitation_from_token(secret: str, token: str, now: datetime, valid_for: timedelta) -> tuple[str, str]:
    """(organisation id, password fingerprint) of a genuine invitation; ExpiredLink once `valid_for` has
    passed since it was made."""
    try:
        (organisation_id, fingerprint), issued_at = URLSafeTimedSerializer(secret, salt="tuiju-invitation-v2").loads(
            token, return_timestamp=True)
    except (BadSignature, ValueError, TypeError):
        raise BadLink("intake.invitation_invalid") from None
    if now - issued_at > valid_for:
        raise ExpiredLink("intake.invitation_expired")
    return str(organisation_id), str(fingerprint)


def password_fingerprint(password_hash: str | None) -> str:
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def contact_verification_token(secret: str, nomination_id: str, email: str) -> str:
    """A dated link proving that whoever opens it reads `email`'s mail."""
    return URLSafeTimedSerializer(secret, salt="tuiju-contact").dumps([nomination_id, email])


def contact_from_token(secret: str, token: str, now: datetime, valid_for: timedelta) -> tuple[str, str]:
    """(nomination id, e-mail) of a genuine verification link; ExpiredLink once `valid_for` has passed."""
    try:
        (nomination_id, email), issued_at = URLSafeTimedSerializer(secret, salt="tuiju-contact").loads(
            token, return_timestamp=True)
    except (BadSignature, ValueError, TypeError):
        raise BadLink("intake.verification_invalid") from None
    if now - issued_at > valid_for:
        raise ExpiredLink("intake.verification_expired")
    return str(nomination_id), str(email)


def direct_upload_token(secret: str, payload: dict) -> str:
    """A direct upload's slot, signed: the client hands it back when its file is stored."""
    return _serializer(secret, "direct-upload").dumps(payload)


def direct_upload_from_token(secret: str, token: str) -> dict:
    try:
        payload = _serializer(secret, "direct-upload").loads(token)
    except BadSignature:
        raise BadLink("intake.direct_upload_slot_invalid") from None
    if not isinstance(payload, dict):
        raise BadLink("intake.direct_upload_slot_invalid")
    return payload
