"""Staff, facts and a campaign at a fixed moment for the review unit tests."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from services.review.domain.conflicts import NomineeTies
from services.review.domain.people import Role, StaffMember
from services.review.domain.states import State
from services.review.domain.transitions import Facts

SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING_REVIEW = datetime(2023, 3, 10, 10, 0, tzinfo=SHANGHAI)
AFTER_REVIEW = datetime(2023, 3, 21, 0, 0, tzinfo=SHANGHAI)
DOMAIN = "伙食管理"

WORKER = StaffMember("sub-wg", "张审核", Role.WORKING_GROUP, domains=(DOMAIN,), unit="示例师范大学")
BRANCH = StaffMember("sub-br", "伙食专业委员会", Role.BRANCH, domains=(DOMAIN,), unit="中国教育后勤协会伙食专委会",
                     organisation_id="ORG-BR")
SECRETARIAT = StaffMember("sub-sec", "秘书处王", Role.SECRETARIAT, unit="中国教育后勤协会")
COMMITTEE = StaffMember("sub-com", "评委李", Role.COMMITTEE, unit="某某大学")
AUDITOR = StaffMember("sub-aud", "审计赵", Role.AUDITOR, unit="审计署")
EVERYONE = (WORKER, BRANCH, SECRETARIAT, COMMITTEE, AUDITOR)


def facts(state: State = State.MATERIAL_CHECK, **changes) -> Facts:
    base = Facts(nomination_id="N-1", state=state, domain=DOMAIN, nominee_kind="person",
                 ties=NomineeTies(unit="新疆大学", recommender_id="ORG-7", recommender_name="新疆教育后勤协会"),
                 assigned_to=WORKER.subject)
    return replace(base, **changes)
