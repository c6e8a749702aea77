"""The reviewers' directory rules: review's staff accounts as reviewers, who reviews which domain, the open work each
reviewer holds and the digest's daily period."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.notify.domain.model import CampaignInfo
from services.notify.domain.reminders import reviewer_reminders
from services.notify.domain.reviewers import Reviewer, digest_period, reviewer_from_staff, reviewer_workloads, reviewers_of

pytestmark = pytest.mark.unit

DOMAINS = ("伙食管理", "学生公寓", "信息化")
SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPAIGN = CampaignInfo("2022-zuimei-houqin", "全国教育后勤系统“2022年度最美后勤人”推举活动")


def staff(**changes):
    return {"subject": "kc-1", "name": "张评审", "email": "Zhang@School.edu.cn", "role": "working_group",
            "domains": ["信息化", "伙食管理"], "active": True, **changes}


def test_reviewer_from_review_staff_has_normalised_address_campaign_order_and_the_role_word():
    assert reviewer_from_staff(staff(), DOMAINS) == Reviewer("张评审", "zhang@school.edu.cn", None, "评审工作组",
                                                             ("伙食管理", "信息化"))


@pytest.mark.parametrize("role,word", [("branch", "分支机构"), ("committee", "评审委员会"), ("secretariat", "秘书处")])
def test_reviewer_roles_take_the_words_of_the_messages(role, word):
    assert reviewer_from_staff(staff(role=role), DOMAINS).role == word


@pytest.mark.parametrize("changes", [{"role": "auditor"}, {"email": ""}, {"email": "zhang.school.edu.cn"}, {"name": " "}])
def test_staff_notify_does_not_write_to_is_not_a_reviewer(changes):
    assert reviewer_from_staff(staff(**changes), DOMAINS) is None


def test_deactivated_staff_is_an_inactive_reviewer_and_unknown_domains_are_dropped():
    reviewer = reviewer_from_staff(staff(active=False, domains=["伙食管理", "游泳"]), DOMAINS)
    assert (reviewer.active, reviewer.domains) == (False, ("伙食管理",))


def test_reviewers_of_domain_includes_all_domain_reviewers_and_skips_inactive():
    food = Reviewer("甲", "a@x.cn", domains=("伙食管理",))
    everything = Reviewer("乙", "b@x.cn")
    gone = Reviewer("丙", "c@x.cn", domains=("伙食管理",), active=False)
    assert [r.email for r in reviewers_of("伙食管理", [food, everything, gone])] == ["a@x.cn", "b@x.cn"]
    assert [r.email for r in reviewers_of("信息化", [food, everything, gone])] == ["b@x.cn"]
    assert reviewers_of("伙食管理", [food])[0].kind == "reviewer"


def test_reviewer_workloads_sum_open_nominations_of_their_domains():
    food = Reviewer("甲", "a@x.cn", domains=("伙食管理",))
    everything = Reviewer("乙", "b@x.cn")
    gone = Reviewer("丙", "c@x.cn", active=False)
    work = reviewer_workloads([food, everything, gone], {"伙食管理": 2, "信息化": 3}, "https://t/review/")
    assert [(w.recipient.email, w.open_count) for w in work] == [("a@x.cn", 2), ("b@x.cn", 5)]


def test_reviewer_with_decided_work_or_opted_out_gets_no_reminder():
    done = Reviewer("甲", "a@x.cn", domains=("学生公寓",))
    opted_out = Reviewer("乙", "b@x.cn", reminders=False)
    busy = Reviewer("丙", "c@x.cn", domains=("伙食管理",))
    work = reviewer_workloads([done, opted_out, busy], {"伙食管理": 2}, "https://t/review/")
    closes = datetime(2023, 3, 20, 15, 59, 59, tzinfo=timezone.utc)
    planned = reviewer_reminders(CAMPAIGN, "材料审核", closes, datetime(2023, 3, 18, tzinfo=timezone.utc), work)
    assert [(m.recipient.email, m.context["open_count"]) for m in planned] == [("c@x.cn", 2)]


def test_digest_period_before_eight_is_the_day_ending_yesterday_at_eight():
    period = digest_period(datetime(2023, 3, 2, 7, 59, tzinfo=SHANGHAI), SHANGHAI)
    assert (period.starts, period.ends, period.name) == (
        datetime(2023, 2, 28, 8, tzinfo=SHANGHAI), datetime(2023, 3, 1, 8, tzinfo=SHANGHAI), "2023-03-01")


def test_digest_period_from_eight_is_the_day_ending_today_at_eight():
    period = digest_period(datetime(2023, 3, 2, 0, 0, tzinfo=timezone.utc), SHANGHAI)  # 08:00 in Shanghai
    assert (period.starts, period.ends, period.name) == (
        datetime(2023, 3, 1, 8, tzinfo=SHANGHAI), datetime(2023, 3, 2, 8, tzinfo=SHANGHAI), "2023-03-02")
