"""The reviewers' directory rules: the secretariat's form, who reviews which domain, the open work each
reviewer holds and the digest's daily period."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.notify.domain.model import CampaignInfo
from services.notify.domain.reminders import reviewer_reminders
from services.notify.domain.reviewers import Reviewer, check_reviewer_form, digest_period, reviewer_workloads, reviewers_of

pytestmark = pytest.mark.unit

DOMAINS = ("伙食管理", "学生公寓", "信息化")
SHANGHAI = ZoneInfo("Asia/Shanghai")
CAMPAIGN = CampaignInfo("2022-zuimei-houqin", "全国教育后勤系统“2022年度最美后勤人”推举活动")


def form(**changes):
    return {"name": "张评审", "email": "Zhang@School.edu.cn", "phone": "", "role": "评审工作组",
            "domains": ["信息化", "伙食管理"], "lang": "zh", **changes}


def test_reviewer_form_valid_gives_the_reviewer_with_normalised_address_and_campaign_order():
    reviewer, errors = check_reviewer_form(form(phone="139 1111 2222"), DOMAINS)
    assert errors == {}
    assert reviewer == Reviewer("张评审", "zhang@school.edu.cn", "13911112222", "评审工作组", ("伙食管理", "信息化"))


def test_reviewer_form_bad_email_is_refused_naming_the_field():
    reviewer, errors = check_reviewer_form(form(email="zhang.school.edu.cn"), DOMAINS)
    assert reviewer is None
    assert errors == {"email": "电子邮箱：“zhang.school.edu.cn”不是有效的邮箱地址（例如 zhang@school.edu.cn）"}


def test_reviewer_form_missing_name_unknown_role_domain_and_bad_mobile_are_each_reported():
    _, errors = check_reviewer_form(form(name=" ", role="评委", domains=["伙食管理", "游泳"], phone="12345"), DOMAINS)
    assert set(errors) == {"name", "role", "domains", "phone"}
    assert "游泳" in errors["domains"] and errors["name"].startswith("姓名")


def test_reviewer_form_sms_without_mobile_is_refused():
    _, errors = check_reviewer_form(form(sms="on"), DOMAINS)
    assert errors == {"phone": "手机号：选择接收短信时请填写手机号"}


def test_reviewer_form_reminder_opt_out_is_kept_in_preferences():
    reviewer, _ = check_reviewer_form(form(no_reminders="on"), DOMAINS)
    assert reviewer.reminders is False and reviewer.as_recipient().prefs.reminders is False


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
