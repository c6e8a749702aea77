"""Who a staff user is, from the provider's claims: plain data and rules, no Flask, no I/O."""
from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

STAFF_ROLES = ("secretariat", "working_group", "branch", "committee", "auditor")
ROLE_LABELS = {"secretariat": "秘书处", "working_group": "评审工作组", "branch": "分支机构",
               "committee": "评审委员会", "auditor": "审计"}
# A staff sign-in lasts a working day; the provider's own session (and its roles) are asked again after it.
STAFF_SESSION_SECONDS = 8 * 3600
MAX_CLAIM_LENGTH = 256

# (Chinese, English) of every refusal the sign-in gives; the language follows the client's Accept-Language.
MESSAGES = {
    "unauthenticated": ("请先以工作人员身份登录。", "Staff sign-in required."),
    "invalid_token": ("访问令牌无效或已过期，请重新获取。", "The access token is invalid or has expired."),
    "forbidden": ("您的账号没有访问此页面所需的角色。", "Your account lacks the role this page needs."),
    "bearer_required": ("通过接口修改数据需要访问令牌（Authorization: Bearer）。",
                        "Changes through the API need an access token (Authorization: Bearer)."),
    "sign_in_failed": ("登录未完成，请重新登录。", "Sign-in did not complete; please sign in again."),
    "too_many": ("登录尝试过于频繁，请稍后再试。", "Too many sign-in attempts; please wait a minute."),
    "provider_unavailable": ("统一身份认证暂时无法访问，请稍后重试。",
                             "The sign-in service cannot be reached; please try again shortly."),
}


@dataclass(frozen=True)
class StaffUser:
    subject: str
    username: str
    name: str
    email: str
    roles: frozenset

    def has_any(self, roles: Iterable[str]) -> bool:
        """Whether the user holds one of these roles; no roles named means any staff role."""
        wanted = set(roles) or set(STAFF_ROLES)
        return bool(self.roles & wanted)

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[role] for role in STAFF_ROLES if role in self.roles) or "无"


def _text(value: object) -> str:
    return str(value)[:MAX_CLAIM_LENGTH] if isinstance(value, (str, int)) else ""


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(char, "").startswith("CJK UNIFIED") for char in text)


def display_name(claims: Mapping) -> str:
    """Chinese names family name first, without a space (王晓梅); others as the provider writes them."""
    family, given = _text(claims.get("family_name")), _text(claims.get("given_name"))
    if family and given and (_is_cjk(family) or _is_cjk(given)):
        return family + given
    return _text(claims.get("name")) or _text(claims.get("preferred_username"))


def roles_in(claims: Mapping) -> frozenset:
    """The staff roles among the token's realm roles (`roles`, or Keycloak's `realm_access.roles`)."""
    listed = claims.get("roles")
    if listed is None:
        listed = (claims.get("realm_access") or {}).get("roles")
    return frozenset(role for role in (listed or []) if role in STAFF_ROLES)


def staff_from_claims(claims: Mapping) -> StaffUser:
    return StaffUser(subject=_text(claims.get("sub")), username=_text(claims.get("preferred_username")),
                     name=display_name(claims), email=_text(claims.get("email")), roles=roles_in(claims))


def to_session(user: StaffUser, client_id: str, now: Optional[float] = None) -> dict:
    return {"sub": user.subject, "username": user.username, "name": user.name, "email": user.email,
            "roles": sorted(user.roles), "client": client_id, "at": int(now if now is not None else time.time())}


def from_session(data: object, client_id: str, now: Optional[float] = None) -> Optional[StaffUser]:
    """The user a session holds, or None when it holds none, another service signed it in (the services share
    a secret key), or it is older than a staff session lasts."""
    if not isinstance(data, dict) or not data.get("sub") or data.get("client") != client_id:
        return None
    age = (now if now is not None else time.time()) - int(data.get("at", 0))
    if not 0 <= age <= STAFF_SESSION_SECONDS:
        return None
    return StaffUser(subject=data["sub"], username=data.get("username", ""), name=data.get("name", ""),
                     email=data.get("email", ""), roles=frozenset(r for r in data.get("roles", []) if r in STAFF_ROLES))



def message(code: str, english: bool) -> str:
    chinese, in_english = MESSAGES[code]
    return in_english if english else chinese
