"""Private links: a nomination's status page is reached by a signed token, no account needed."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer


class BadLink(ValueError):
    pass


def _serializer(secret: str, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"tuiju-{purpose}")


def nomination_token(secret: str, nomination_id: str) -> str:
    return _serializer(secret, "nomination").dumps(nomination_id)


def nomination_from_token(secret: str, token: str) -> str:
    try:
        return _serializer(secret, "nomination").loads(token)
    except BadSignature:
        raise BadLink("链接无效或已被篡改，请使用邮件中的完整链接") from None


def invitation_token(secret: str, organisation_id: str) -> str:
    return _serializer(secret, "invitation").dumps(organisation_id)


def organisation_from_invitation(secret: str, token: str) -> str:
    try:
        return _serializer(secret, "invitation").loads(token)
    except BadSignature:
        raise BadLink("邀请链接无效，请联系活动秘书处") from None
