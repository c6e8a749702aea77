"""Seeds the demo campaign that `make run` starts: one recommending organisation of each type (with a
password, so the demo needs no invitation mail). The past honouree that shows the R9 refusal is seeded in
the archive's registry (services/archive/seed_demo.py), which intake learns honourees from.
`python -m services.intake.seed_demo` (safe to run again)."""
from __future__ import annotations

from services.intake.bootstrap import bootstrap
from services.intake.service_layer.organisations import create_organisation, set_password

DEMO_PASSWORD = "demo-pass-2023"
DEMO_ORGANISATIONS = [
    dict(name="示例省高校后勤协会", type="local_association", email="association@demo.tuiju.local", contact_name="王秘书"),
    dict(name="示例理工大学后勤集团", type="council_unit", email="council@demo.tuiju.local", contact_name="李主任"),
    dict(name="示例师范大学后勤处", type="member_unit", email="member@demo.tuiju.local", contact_name="赵老师"),
    dict(name="协会伙食专业委员会", type="branch", email="branch@demo.tuiju.local", contact_name="孙秘书长",
         member_units=("示例理工大学", "示例师范大学", "示例医科大学")),
]


def seed() -> None:
    intake = bootstrap()
    for organisation in DEMO_ORGANISATIONS:
        organisation_id, _ = create_organisation(intake, **organisation)
        set_password(intake, organisation_id, DEMO_PASSWORD)
    print(f"demo: campaign “{intake.campaign.display_name}” open until "
          f"{intake.campaign.submission.closes_at:%Y-%m-%d %H:%M} (Beijing time)")
    print("demo: recommender accounts (password " + DEMO_PASSWORD + "): "
          + ", ".join(o["email"] for o in DEMO_ORGANISATIONS))
    print("demo: secretariat pages /admin (staff sign-in: secretariat / Tuiju-demo-2023; auditor reads the lists)")


if __name__ == "__main__":
    seed()
