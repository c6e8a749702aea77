"""Seeds review's demo people for `make run`: one or more of every role, keyed by the subject their demo
account has in the identity provider, and prints them. `python -m services.review.seed_demo` (safe to run
again: an unchanged person is not saved twice).

The subjects are fixed (uuid5 of the username) so that the realm's demo users can carry the same ids."""
from __future__ import annotations

import uuid

from services.review.bootstrap import bootstrap
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.staff import save_member

DEMO_NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e90-9a1b-7420c0de0016")


def demo_subject(username: str) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, username))


def _member(username: str, name: str, role: Role, **details) -> StaffMember:
    return StaffMember(subject=demo_subject(username), username=username, name=name, role=role,
                       email=f"{username}@demo.tuiju.local", **details)


DEMO_PEOPLE = (
    _member("secretariat", "王秘书（秘书处）", Role.SECRETARIAT, unit="中国教育后勤协会"),
    _member("reviewer-canteen", "张审核（伙食管理）", Role.WORKING_GROUP, domains=("伙食管理", "学生公寓"),
            unit="示例农业大学"),
    _member("reviewer-property", "刘审核（物业管理）", Role.WORKING_GROUP, domains=("物业管理", "伙食管理"),
            unit="示例交通大学"),
    _member("branch-canteen", "孙秘书长（伙食专业委员会）", Role.BRANCH, domains=("伙食管理",),
            unit="协会伙食专业委员会", organisation_name="协会伙食专业委员会"),
    _member("committee-1", "赵评委", Role.COMMITTEE, unit="示例财经大学"),
    _member("committee-2", "钱评委", Role.COMMITTEE, unit="示例外国语大学"),
    _member("committee-3", "周评委", Role.COMMITTEE, unit="示例政法大学"),
    _member("auditor", "吴审计", Role.AUDITOR, unit="协会监事会"),
)


def seed() -> None:
    review = bootstrap()
    with review.sessions.begin() as session:
        for member in DEMO_PEOPLE:
            save_member(session, member, by=None, at=review.clock())
    print("demo: review staff (sign in as these users of the identity provider's demo realm):")
    for member in DEMO_PEOPLE:
        domains = f" · {'、'.join(member.domains)}" if member.domains else ""
        print(f"  {member.username:<18} {member.role_name:<6} {member.name}{domains}  (subject {member.subject})")


if __name__ == "__main__":
    seed()
