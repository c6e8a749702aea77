"""Who is asking, on every review page and API call: the staff user of the sign-in (shared.auth), the person
review knows under their subject (bound at their first sign-in), and whether they may open a nomination.
A refusal to open one is written to the audit trail with the reason."""
from __future__ import annotations

import logging
from functools import wraps
from typing import Callable

from flask import abort, current_app, g, jsonify, render_template, request

from services.review.domain.people import Role, StaffMember
from services.review.domain.transitions import Facts
from services.review.domain.visibility import view_refusal
from services.review.service_layer import audit
from services.review.service_layer.facts import facts_of
from services.review.service_layer.staff import member_signing_in
from shared.auth import STAFF_ROLES, current_staff, outbox_recorder, staff_required
from shared.db import reading

log = logging.getLogger(__name__)
NOT_REGISTERED = "您已登录，但秘书处尚未在评审系统中登记您的评审角色，请联系秘书处。"
ROLE_WITHDRAWN = "您的评审角色已在统一身份认证中撤销，请联系秘书处。"


def review():
    return current_app.extensions["review"]


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def current_member() -> StaffMember | None:
    """The signed-in person as review knows them, when the provider still gives them that role."""
    if "member" not in g:
        user = current_staff()
        g.member = None
        if user is not None:
            container = review()
            with container.sessions.begin() as session:
                member = member_signing_in(session, user.subject, user.username, container.clock())
            if member is not None and member.role.value in user.roles:
                g.member = member
            g.member_refusal = ROLE_WITHDRAWN if member is not None and g.member is None else NOT_REGISTERED
    return g.member


def member_required(*roles: Role) -> Callable:
    """Signed in (shared.auth), registered in review, active, and holding one of `roles` (any, when none)."""
    wanted = {role.value for role in roles} or set(STAFF_ROLES)

    def decorate(view: Callable) -> Callable:
        @staff_required(*wanted)
        @wraps(view)
        def guarded(*args, **kwargs):
            member = current_member()
            if member is None:
                return refusal(g.get("member_refusal", NOT_REGISTERED), 403)
            if member.role.value not in wanted or not member.active:
                return refusal("您的评审角色不能使用此功能。" if member.active else "您的评审账号已停用。", 403)
            return view(*args, **kwargs)
        return guarded
    return decorate


def refusal(message: str, status: int):
    if wants_json():
        response = jsonify(ok=False, error=message, code="forbidden" if status == 403 else "refused")
        response.status_code = status
        return response
    return render_template("refused.html", message=message), status


def nomination_facts(nomination_id: str, member: StaffMember) -> Facts:
    """The facts of a nomination `member` may open; otherwise 404 (none) or 403, the refusal audited."""
    container = review()
    if len(nomination_id) > 64:
        abort(404)
    with reading(container.sessions) as session:
        facts = facts_of(session, nomination_id)
    if facts is None:
        abort(404)
    reason = view_refusal(member, facts)
    if reason is not None:
        with container.sessions.begin() as session:
            audit.record(session, actor=member.subject, actor_role=member.role.value, action="access.refused",
                         target=nomination_id, details={"reason": reason, "path": request.path[:200]},
                         at=container.clock())
        log.warning("access refused", extra={"subject": member.subject, "nomination_id": nomination_id})
        g.refused_reason = reason
        abort(403)
    return facts


def record_sign_in(container):
    """The recorder shared.auth calls: every sign-in, sign-out and failed sign-in into the audit trail, and
    published on the staff topic (shared.auth's outbox recorder) for the archive."""
    publish = outbox_recorder(container.sessions)

    def record(event) -> None:
        publish(event)
        with container.sessions.begin() as session:
            audit.record(session, actor=event.subject or audit.SYSTEM, actor_role=",".join(event.roles) or "-",
                         action=f"staff.{event.kind}", target=event.username or "-",
                         details={"service": event.service, "reason": event.reason, "remote_addr": event.remote_addr},
                         at=event.at)
    return record


def bearer_for_changes():
    """Changes through the API need a bearer token: a browser's session cookie alone cannot make them."""
    if request.method != "GET" and not request.headers.get("Authorization", "").lower().startswith("bearer "):
        response = jsonify(ok=False, error="请使用访问令牌（Authorization: Bearer）", code="unauthenticated")
        response.status_code = 401
        return response
    return None
