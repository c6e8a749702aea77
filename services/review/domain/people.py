"""Staff as review knows them: the role a person holds here, keyed by their identity provider subject, the
business domains they review, and their own unit and organisation (for conflicts of interest, R12).

The roles are the identity provider's realm roles; what each may do lives in `transitions` and `visibility`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    WORKING_GROUP = "working_group"
    BRANCH = "branch"
    COMMITTEE = "committee"
    AUDITOR = "auditor"


ROLE_NAMES = {
    Role.SECRETARIAT: "协会秘书处",
    Role.WORKING_GROUP: "评审工作组",
    Role.BRANCH: "分支机构",
    Role.COMMITTEE: "评审委员会",
    Role.AUDITOR: "审计",
}
# A person the secretariat registers before their first sign-in is known by username until then; the first
# sign-in with that username binds the row to the identity provider's subject.
PENDING_PREFIX = "username:"
# Roles whose work is per business domain: they must name at least one.
DOMAIN_ROLES = frozenset({Role.WORKING_GROUP, Role.BRANCH})
MAX_TEXT = 200


@dataclass(frozen=True)
class StaffMember:
    subject: str
    name: str
    role: Role
    domains: tuple[str, ...] = ()
    unit: str = ""
    organisation_id: str = ""
    organisation_name: str = ""
    email: str = ""
    username: str = ""
    cap: int | None = None  # open nominations at most; None: the campaign's reviewer_cap
    active: bool = True

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    def covers(self, domain: str) -> bool:
        """Whether the domain is theirs: every domain for roles not bound to domains."""
        if self.role in DOMAIN_ROLES:
            return domain in self.domains
        return True

    def label(self) -> str:
        return f"{self.name}（{self.role_name}）"

    @property
    def pending(self) -> bool:
        """Registered by username, not signed in yet."""
        return self.subject.startswith(PENDING_PREFIX)


def pending_subject(username: str) -> str:
    return f"{PENDING_PREFIX}{username}"


def check_staff_member(data: Mapping[str, object], campaign_domains: Iterable[str]) -> tuple[StaffMember | None, dict[str, str]]:
    """The person a form or an imported row describes, or the problems by field, in Chinese naming the field.
    `domains` may be a list or text separated by 、 , ; or spaces."""
    known = tuple(campaign_domains)
    text = lambda name: str(data.get(name) or "").strip()  # noqa: E731
    errors: dict[str, str] = {}
    subject, name, role_code = text("subject"), text("name"), text("role")
    domains = _domains(data.get("domains"))
    if not subject and text("username"):
        subject = pending_subject(text("username"))
    if not subject:
        errors["subject"] = "账号标识或用户名：至少填写一项（统一身份认证中的用户标识 subject，或登录用户名）"
    for field, label in (("subject", "账号标识"), ("name", "姓名"), ("unit", "所在单位"), ("email", "邮箱"),
                         ("organisation_name", "所属组织"), ("organisation_id", "所属组织编号"), ("username", "用户名")):
        if len(text(field)) > MAX_TEXT:
            errors[field] = f"{label}：不能超过{MAX_TEXT}个字"
    if not name:
        errors.setdefault("name", "姓名：必填")
    role = _role(role_code)
    if role is None:
        errors["role"] = f"角色：须为{'、'.join(ROLE_NAMES.values())}之一"
    unknown = [domain for domain in domains if domain not in known]
    if unknown:
        errors["domains"] = f"业务领域：本次活动没有“{'、'.join(unknown)}”"
    elif role in DOMAIN_ROLES and not domains:
        errors["domains"] = f"业务领域：{ROLE_NAMES[role]}须至少负责一个业务领域"
    cap = _cap(data.get("cap"), errors)
    if errors:
        return None, errors
    ordered = tuple(domain for domain in known if domain in domains)
    return StaffMember(subject=subject, name=name, role=role, domains=ordered, unit=text("unit"),
                       organisation_id=text("organisation_id"), organisation_name=text("organisation_name"),
                       email=text("email").lower(), username=text("username"), cap=cap,
                       active=str(data.get("active", "1")).strip().lower() not in ("0", "false", "否", "停用")), {}


def _role(code: str) -> Role | None:
    for role, name in ROLE_NAMES.items():
        if code in (role.value, name):
            return role
    return None


def _domains(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    parts = str(value)
    for separator in ("、", ",", "，", ";", "；"):
        parts = parts.replace(separator, " ")
    return [part for part in parts.split() if part]


def _cap(value: object, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        cap = int(str(value).strip())
    except ValueError:
        cap = 0
    if not 1 <= cap <= 10_000:
        errors["cap"] = "待审上限：须为 1 到 10000 的整数，或留空使用活动的默认值"
        return None
    return cap
