"""Objections to the public notice (R12: 公开、公正): what a filed objection must hold, its reference
number, and the secretariat's outcome. An upheld objection disqualifies the candidate (R11) and the next of
the committee's reserve takes the place (see service_layer/objections.py)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from shared.campaign import Refusal
from services.review.domain.people import Role, StaffMember

MAX_NAME, MAX_CONTACT, MIN_TEXT, MAX_TEXT, MAX_REASON = 50, 100, 20, 2000, 2000
OUTCOMES = {"dismissed": "异议不成立", "upheld": "异议成立，取消候选人资格"}
OPEN, DISMISSED, UPHELD = "open", "dismissed", "upheld"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s-]{7,20}$")


@dataclass(frozen=True)
class ObjectionDraft:
    nomination_id: str
    name: str
    contact: str
    email: str | None  # the contact when it is an e-mail address: the outcome is mailed there
    text: str


def _clean(value: object) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(value or "")).split())


def check_objection(form: Mapping[str, object], candidates: Collection[str]) -> tuple[ObjectionDraft | None, dict]:
    """The objection a form describes, or the problems by field (in Chinese, naming the field)."""
    errors: dict[str, str] = {}
    nomination_id = str(form.get("nomination_id") or "")
    if nomination_id not in candidates:
        errors["nomination_id"] = "异议对象：请从公示名单中选择一位候选人"
    name, contact = _clean(form.get("name")), _clean(form.get("contact"))
    text = str(form.get("text") or "").strip()
    if not name or len(name) > MAX_NAME:
        errors["name"] = f"您的姓名：必填，不超过{MAX_NAME}个字（异议须实名提出）"
    email = contact.lower() if _EMAIL.match(contact) else None
    if not contact or len(contact) > MAX_CONTACT or not (email or _PHONE.match(contact)):
        errors["contact"] = "联系方式：请填写电子邮箱或电话号码，以便告知核查结果"
    if not MIN_TEXT <= len(text) <= MAX_TEXT:
        errors["text"] = f"异议内容：请写明事实和理由，{MIN_TEXT}到{MAX_TEXT}个字（现 {len(text)} 字）"
    if errors:
        return None, errors
    return ObjectionDraft(nomination_id, name, contact, email, text), {}


def reference(year: int, number: int) -> str:
    """The objection's reference number, as the objector quotes it: YY2022-0007 (YY: 异议)."""
    return f"YY{year}-{number:04d}"


@dataclass(frozen=True)
class Outcome:
    outcome: str
    reason: str


def check_outcome(actor: StaffMember, state: str, outcome: str, reason: str, *, candidate: bool) -> Outcome:
    """The secretariat records an open objection's outcome with its reasons; an upheld one needs the
    candidate still on the list (it disqualifies them)."""
    if actor.role is not Role.SECRETARIAT or not actor.active:
        raise Refusal("只有协会秘书处可以处理异议")
    if state != OPEN:
        raise Refusal("此异议已处理完毕")
    if outcome not in OUTCOMES:
        raise Refusal("请选择核查结论：异议不成立，或异议成立")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise Refusal(f"请写明核查情况和理由（不超过{MAX_REASON}字）")
    if outcome == UPHELD and not candidate:
        raise Refusal("被异议者已不在候选人名单中，不能再以此异议取消资格")
    return Outcome(outcome, reason)
