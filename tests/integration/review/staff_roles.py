"""Review's part of the authorisation matrix of every service (tests/integration/auth/test_matrix.py): the
roles of each review endpoint, and the demo users registered in review under their subjects."""
from __future__ import annotations

import base64
import json

from services.review.domain.people import Role, StaffMember
from services.review.service_layer.staff import save_member

# The public notice (公示), its objection form and the announcement (通报): for everyone, without sign-in
# (R12: 公开); they show public fields only (tests/integration/review/test_announcement.py scans them).
REVIEW_PUBLIC_PREFIXES = ("/notice/", "/announcement/")
EVERYONE = {"secretariat", "working_group", "branch", "committee", "auditor"}
DECIDERS = {"secretariat", "working_group", "branch"}
READERS = {"secretariat", "auditor"}
COMMITTEE_READERS = {"committee", "secretariat", "auditor"}
REVIEW_ENDPOINT_ROLES = {
    # more specific rules first: a rule takes the roles of the first key it starts with
    ("review", "/scoring/reminders"): {"secretariat"},
    ("review", "/api/v1/scoring/reminders"): {"secretariat"},
    ("review", "/scoring/<nomination_id>", "POST"): {"committee"},
    ("review", "/api/v1/scoring/<nomination_id>", "POST"): {"committee"},
    ("review", "/ranking/ties"): {"secretariat"},
    ("review", "/ranking/confirmation"): {"secretariat"},
    ("review", "/ranking/publication"): {"secretariat"},
    ("review", "/ranking/announcement"): {"secretariat"},
    ("review", "/api/v1/ranking/"): {"secretariat"},  # the acts: ties, confirmation, publication, announcement
    ("review", "/ranking/"): COMMITTEE_READERS,
    ("review", "/api/v1/ranking"): COMMITTEE_READERS,
    ("review", "/scoring/"): COMMITTEE_READERS,
    ("review", "/objections/<ref>", "POST"): {"secretariat"},
    ("review", "/objections/"): READERS,
    ("review", "/reports/"): READERS,
    ("review", "/api/v1/scoring"): COMMITTEE_READERS,
    ("review", "/n/<nomination_id>/decision"): DECIDERS,
    ("review", "/api/v1/nominations/<nomination_id>/decisions"): DECIDERS,
    ("review", "/batch/approve"): {"secretariat", "working_group"},
    ("review", "/api/v1/nominations/batch-approve"): {"secretariat", "working_group"},
    ("review", "/n/<nomination_id>/conflict"): EVERYONE - {"auditor"},
    ("review", "/api/v1/nominations/<nomination_id>/conflicts"): EVERYONE - {"auditor"},
    ("review", "/shortlist/<domain>"): {"secretariat", "branch", "auditor"},
    ("review", "/api/v1/shortlists/<domain>"): {"secretariat", "branch", "auditor"},
    ("review", "/staff/", "GET"): READERS,
    ("review", "/staff/", "POST"): {"secretariat"},
    ("review", "/staff/import"): {"secretariat"},
    ("review", "/staff/import/confirm"): {"secretariat"},
    ("review", "/staff/template.xlsx"): {"secretariat"},
    ("review", "/staff/reassign"): {"secretariat"},
    ("review", "/staff/audit"): READERS,
    ("review", "/staff/audit.csv"): READERS,
    ("review", "/api/v1/staff"): READERS,
    ("review", "/api/v1/audit/verify"): READERS,
    ("review", "/api/v1/assignments"): {"secretariat"},
}


def subject_of(token: str) -> str:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def register_demo_staff(review, tokens: dict[str, str]) -> None:
    """Each demo user whose name is a role, known to review with that role (domain roles: every domain)."""
    with review.sessions.begin() as session:
        for username, token in tokens.items():
            if username in EVERYONE:
                role = Role(username)
                domains = review.campaign.domains if role in (Role.WORKING_GROUP, Role.BRANCH) else ()
                save_member(session, StaffMember(subject_of(token), f"矩阵{username}", role, domains=domains,
                                                 username=username, unit="矩阵单位"), by=None, at=review.clock())
