import pytest

from shared.reference import (
    business_domains,
    ethnic_group_names,
    ethnic_groups,
    political_status_by_any_name,
    political_statuses,
    provinces,
)

pytestmark = pytest.mark.unit


def test_business_domains_are_the_notices_twelve_in_order():
    assert business_domains() == [
        "伙食管理", "学生公寓", "物业管理", "能源管理", "商贸管理", "安全管理",
        "思想文化与人力资源管理", "信息化", "房产管理", "建设修缮", "中小学后勤", "接待服务",
    ]


def test_ethnic_groups_are_56_plus_other_and_foreign_origin():
    groups = ethnic_groups()
    assert len(groups) == 58
    assert (groups[0].code, groups[0].name) == ("01", "汉族")
    assert [g.name for g in groups[-2:]] == ["其他", "外国血统中国籍人士"]
    assert ethnic_group_names()[55] == "基诺族"


def test_political_statuses_carry_short_names():
    statuses = political_statuses()
    assert len(statuses) == 13
    assert (statuses[0].name, statuses[0].short_name) == ("中国共产党党员", "中共党员")


def test_political_status_by_any_name_finds_full_and_short_names():
    assert political_status_by_any_name("共青团员").name == "中国共产主义青年团团员"
    assert political_status_by_any_name(" 群众 ").code == "13"
    assert political_status_by_any_name("党员") is None


def test_provinces_are_the_34_divisions():
    names = [p.name for p in provinces()]
    assert len(names) == 34
    assert names[0] == "北京市" and "澳门特别行政区" in names


def test_loaders_return_lists_callers_may_change():
    domains = business_domains()
    domains.clear()
    assert len(business_domains()) == 12
