"""Seeds review's demo people for `make run`, one of every role, registered by the usernames of the identity
provider's demo users, and prints them. `python -m services.review.seed_demo` (safe to run again: an
unchanged person is not saved twice, a person already bound to their subject is left as they are)."""
from __future__ import annotations

from services.review.bootstrap import bootstrap
from services.review.domain.people import Role, StaffMember, pending_subject
from services.review.service_layer.staff import all_members, save_member

def _member(username: str, name: str, role: Role, **details) -> StaffMember:
    return StaffMember(subject=pending_subject(username), username=username, name=name, role=role,
                       email=f"{username.replace('_', '-')}@demo.tuiju.local", **details)


# The identity provider's demo users (deploy/keycloak/demo-users.json), one of each role; each row is bound
# to the user's subject at their first sign-in.
DEMO_PEOPLE = (
    _member("secretariat", "王晓梅", Role.SECRETARIAT, unit="中国教育后勤协会"),
    _member("working_group", "李建国", Role.WORKING_GROUP, domains=("伙食管理", "学生公寓", "物业管理"),
            unit="示例农业大学"),
    _member("branch", "张海燕", Role.BRANCH, domains=("伙食管理", "学生公寓"), unit="协会伙食专业委员会",
            organisation_name="协会伙食专业委员会"),
    _member("committee", "刘志强", Role.COMMITTEE, unit="示例财经大学"),
    _member("auditor", "陈秀英", Role.AUDITOR, unit="协会监事会"),
)


def seed() -> None:
    review = bootstrap()
    with review.sessions.begin() as session:
        bound = {row.username for row in all_members(session) if not row.pending}
        for member in DEMO_PEOPLE:
            if member.username not in bound:
                save_member(session, member, by=None, at=review.clock())
    print(f"demo: reviewers sign in at {review.settings.review_url}/ as (password: the realm's demo password):")
    for member in DEMO_PEOPLE:
        domains = f" · {'、'.join(member.domains)}" if member.domains else ""
        print(f"  {member.username:<14} {member.role_name:<6} {member.name}{domains}")


if __name__ == "__main__":
    seed()
