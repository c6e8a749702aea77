"""The people review knows, keyed by their identity provider subject: the secretariat adds and changes them
(one by one or by importing a file); each change is audited and published as `staff.updated`, from which
notify keeps its directory of reviewers."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.review.adapters.orm import staff
from services.review.domain.people import Role, StaffMember, check_staff_member, pending_subject
from services.review.service_layer import audit
from services.review.service_layer.conflict_index import index_member
from shared.db import transaction_memo
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

if TYPE_CHECKING:
    from services.review.bootstrap import Review

MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class ImportResult:
    saved: int
    problems: dict[int, dict[str, str]]  # row number (1 = the first row after the header) -> field -> reason


def member_of(row) -> StaffMember:
    return StaffMember(subject=row.subject, name=row.name, role=Role(row.role), domains=tuple(row.domains),
                       unit=row.unit, organisation_id=row.organisation_id, organisation_name=row.organisation_name,
                       email=row.email, username=row.username, cap=row.cap, active=row.active)


def staff_members(session: Session) -> list[StaffMember]:
    """Everyone review knows, read once per transaction (a consumer's batch assigns and indexes many
    nominations against the same people); a change of staff in the transaction reads them again."""
    memo = transaction_memo(session)
    if "staff" not in memo:
        memo["staff"] = [member_of(row) for row in session.execute(sa.select(staff).order_by(staff.c.subject))]
    return memo["staff"]


def _staff_changed(session: Session) -> None:
    transaction_memo(session).pop("staff", None)


def load_member(session: Session, subject: str) -> StaffMember | None:
    row = session.execute(sa.select(staff).where(staff.c.subject == subject)).first()
    return member_of(row) if row else None


def all_members(session: Session) -> list[StaffMember]:
    rows = session.execute(sa.select(staff).order_by(staff.c.role, staff.c.name, staff.c.subject)).all()
    return [member_of(row) for row in rows]


def save_member(session: Session, member: StaffMember, *, by: StaffMember | None, at: datetime) -> None:
    """Add or change one person, audited and published; nothing happens when nothing changed."""
    before = load_member(session, member.subject)
    if before == member:
        return
    values = _values(member)
    statement = pg_insert(staff).values(**values, updated_by=_who(by), updated_at=at)
    _staff_changed(session)
    session.execute(statement.on_conflict_do_update(
        index_elements=[staff.c.subject], set_={**values, "updated_by": _who(by), "updated_at": at}))
    if before is None or (before.unit, before.organisation_id, before.organisation_name, before.role) != (
            member.unit, member.organisation_id, member.organisation_name, member.role):
        index_member(session, member)
    audit.record(session, actor=_who(by), actor_role=by.role.value if by else audit.SYSTEM,
                 action="staff.added" if before is None else "staff.changed", target=member.subject,
                 details={"before": _values(before) if before else None, "after": values}, at=at)
    if not member.pending:  # notify hears of a person once their account is bound to a subject
        _publish(session, member)


def _publish(session: Session, member: StaffMember) -> None:
    add_to_outbox(session, new_event("staff.updated", member.subject, {
        "subject": member.subject, "name": member.name, "email": member.email, "role": member.role.value,
        "domains": list(member.domains), "active": member.active}, producer="review"))


def member_signing_in(session: Session, subject: str, username: str, at: datetime) -> StaffMember | None:
    """The person behind a sign-in: by subject, or, at their first sign-in, the row the secretariat registered
    under their username, which is then bound to the subject (with their assignments and conflicts)."""
    member = load_member(session, subject)
    if member is not None or not username:
        return member
    pending = load_member(session, pending_subject(username))
    if pending is None:
        return None
    _rebind(session, pending.subject, subject)
    bound = replace(pending, subject=subject)
    audit.record(session, actor=subject, actor_role=bound.role.value, action="staff.bound", target=subject,
                 details={"username": username, "was": pending.subject}, at=at)
    _publish(session, bound)
    return bound


def _rebind(session: Session, old: str, new: str) -> None:
    from services.review.adapters.orm import conflicts, reviews, staff_conflicts

    _staff_changed(session)
    session.execute(sa.update(staff).where(staff.c.subject == old).values(subject=new))
    session.execute(sa.update(reviews).where(reviews.c.assigned_to == old).values(assigned_to=new))
    session.execute(sa.update(staff_conflicts).where(staff_conflicts.c.subject == old).values(subject=new))
    session.execute(sa.update(conflicts).where(conflicts.c.subject == old).values(subject=new))


def checked_members(review: "Review", rows: list[dict]) -> tuple[list[StaffMember], dict[int, dict[str, str]]]:
    """The file's people, and its problems by row (none of them may be saved while there is one)."""
    if len(rows) > MAX_IMPORT_ROWS:
        return [], {0: {"file": f"一次最多导入{MAX_IMPORT_ROWS}行"}}
    checked = [check_staff_member(row, review.campaign.domains) for row in rows]
    problems = {number: errors for number, (_, errors) in enumerate(checked, start=1) if errors}
    subjects = Counter(member.subject for member, _ in checked if member)
    for number, (member, _) in enumerate(checked, start=1):
        if member and subjects[member.subject] > 1:
            problems.setdefault(number, {})["subject"] = f"账号标识：“{member.subject}”在文件中重复"
    return [member for member, _ in checked if member], problems


def import_members(review: "Review", rows: list[dict], *, by: StaffMember | None) -> ImportResult:
    """Every valid row saved in one transaction, or none when any row has a problem (so a corrected file
    can simply be imported again)."""
    members, problems = checked_members(review, rows)
    if problems:
        return ImportResult(0, problems)
    with review.sessions.begin() as session:
        for member in members:
            save_member(session, member, by=by, at=review.clock())
    return ImportResult(len(members), {})


def _values(member: StaffMember) -> dict:
    return dict(subject=member.subject, username=member.username, name=member.name, email=member.email,
                role=member.role.value, domains=list(member.domains), unit=member.unit,
                organisation_id=member.organisation_id, organisation_name=member.organisation_name,
                cap=member.cap, active=member.active)


def _who(member: StaffMember | None) -> str:
    return member.subject if member else audit.SYSTEM
