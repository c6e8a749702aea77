import pytest

from services.intake.domain.errors import UnknownChannel
from services.intake.domain.quotas import (
    NotBranchMember,
    QuotaExceeded,
    below_advisory_minimum,
    check_branch_member,
    check_quota,
    quota_for,
    quota_hint,
    quota_left,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("channel", "quota"),
    [("local_association", 3), ("council_unit", 1), ("member_unit", 1), ("branch", 10), ("self", None)],
)
def test_quota_for_each_organisation_type(campaign, channel, quota):
    assert quota_for(campaign, channel) == quota


@pytest.mark.parametrize(
    ("channel", "used", "left"),
    [
        ("local_association", 0, 3),
        ("local_association", 2, 1),
        ("local_association", 3, 0),
        ("local_association", 5, 0),
        ("council_unit", 0, 1),
        ("member_unit", 1, 0),
        ("branch", 7, 3),
    ],
)
def test_quota_left_never_below_zero(campaign, channel, used, left):
    assert quota_left(campaign, channel, used) == left


def test_quota_left_is_none_for_self_nomination(campaign):
    assert quota_left(campaign, "self", 40) is None


@pytest.mark.parametrize(
    ("channel", "last_allowed_used"),
    [("local_association", 2), ("council_unit", 0), ("member_unit", 0), ("branch", 9)],
)
def test_check_quota_allows_up_to_the_quota(campaign, channel, last_allowed_used):
    assert check_quota(campaign, channel, last_allowed_used) is None


@pytest.mark.parametrize(
    ("channel", "used", "message"),
    [
        ("local_association", 3, "贵单位本次活动的推荐名额为 3 名，已用 3 名"),
        ("council_unit", 1, "贵单位本次活动的推荐名额为 1 名，已用 1 名"),
        ("member_unit", 1, "贵单位本次活动的推荐名额为 1 名，已用 1 名"),
        ("branch", 10, "贵单位本次活动的推荐名额为 10 名，已用 10 名"),
    ],
)
def test_check_quota_refuses_one_more_than_the_quota(campaign, channel, used, message):
    with pytest.raises(QuotaExceeded) as caught:
        check_quota(campaign, channel, used)
    assert caught.value.message.startswith(message)
    assert (caught.value.quota, caught.value.used) == (quota_for(campaign, channel), used)


def test_check_quota_self_nomination_has_no_organisation_quota(campaign):
    assert check_quota(campaign, "self", 1000) is None


def test_check_quota_refuses_an_unknown_channel(campaign):
    with pytest.raises(UnknownChannel):
        check_quota(campaign, "province", 0)


def test_check_quota_refuses_a_negative_count(campaign):
    with pytest.raises(ValueError):
        check_quota(campaign, "branch", -1)


def test_below_advisory_minimum_for_local_associations_under_two(campaign):
    assert below_advisory_minimum(campaign, "local_association", 1) is True
    assert below_advisory_minimum(campaign, "local_association", 2) is False
    assert below_advisory_minimum(campaign, "council_unit", 0) is False


@pytest.mark.parametrize(
    ("channel", "hint"),
    [
        ("local_association", "可推荐 2-3 名"),
        ("council_unit", "限推荐 1 名"),
        ("branch", "限推荐 10 名"),
        ("self", "个人自荐，不占组织名额"),
    ],
)
def test_quota_hint_as_the_form_shows_it(campaign, channel, hint):
    assert quota_hint(campaign, channel) == hint


MEMBER_UNITS = ["北京大学", "清华大学后勤综合服务中心", "上海交通大学"]


@pytest.mark.parametrize(
    ("unit", "member"),
    [
        ("北京大学", "北京大学"),
        ("北京大学后勤保障部", "北京大学"),
        ("北京 大学（后勤保障部）", "北京大学"),
        ("清华大学后勤综合服务中心", "清华大学后勤综合服务中心"),
    ],
)
def test_check_branch_member_accepts_a_member_unit_or_its_department(unit, member):
    assert check_branch_member(MEMBER_UNITS, unit) == member


def test_check_branch_member_refuses_a_unit_outside_the_committee():
    with pytest.raises(NotBranchMember) as caught:
        check_branch_member(MEMBER_UNITS, "复旦大学后勤服务中心")
    assert caught.value.message.startswith("被推荐对象所在单位“复旦大学后勤服务中心”不在本分支机构的委员单位名单中")
