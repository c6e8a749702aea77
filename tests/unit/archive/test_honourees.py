import pytest

from services.archive.domain.honouree_import import check_rows
from services.archive.domain.honourees import CampaignInfo, campaign_year_in, record_of_confirmed
from shared.nominees import person_key, phone_hmac
from tests.unit.notify.builders import submission, team_submission

pytestmark = pytest.mark.unit
CAMPAIGN = CampaignInfo("2022-zuimei-houqin", 2022, "全国教育后勤系统“2022年度最美后勤人”推举活动")
DOMAINS = ("伙食管理", "学生公寓")


def hasher(phone: str) -> str:
    return phone_hmac("test-secret", phone)


def row(**changes) -> dict:
    return {"类型": "个人", "姓名": "张三", "单位": "示例大学后勤集团", "业务领域": "伙食管理", "年度": "2021",
            "活动名称": "全国教育后勤系统“2021年度最美后勤人”", "手机": "138 0000 0000", **changes}


def test_phone_hmac_depends_on_the_secret_and_not_on_how_the_number_is_written():
    assert phone_hmac("a", "+86 138-0000-0000") == phone_hmac("a", "13800000000") != phone_hmac("b", "13800000000")


def test_record_of_a_confirmed_person_takes_unit_and_phone_from_the_last_snapshot():
    honouree = {"nomination_id": "N-1", "nominee_name": "王秀兰", "unit": None, "domain": "伙食管理"}
    record = record_of_confirmed(honouree, submission(), CAMPAIGN, hasher)
    assert (record.kind, record.unit, record.campaign_year) == ("person", "上海某大学后勤集团", 2022)
    assert record.person_key == person_key("王秀兰", "上海某大学后勤集团")
    assert record.phone_hmac == hasher("13800138000")
    assert "13800138000" not in str(record.event_payload())


def test_record_of_a_confirmed_team_hashes_its_leaders_phone():
    honouree = {"nomination_id": "N-2", "nominee_name": "后勤保障服务团队", "unit": "某大学", "domain": "学生公寓"}
    record = record_of_confirmed(honouree, team_submission(), CAMPAIGN, hasher)
    assert (record.kind, record.phone_hmac, record.unit) == ("team", hasher("13700001111"), "某大学")


def test_record_of_a_confirmed_honouree_without_snapshot_keeps_the_list_data():
    record = record_of_confirmed({"nomination_id": "N-3", "nominee_name": "李四", "unit": "某学院", "domain": "信息化"},
                                 None, CAMPAIGN, hasher)
    assert (record.kind, record.unit, record.phone_hmac) == ("person", "某学院", None)


def test_campaign_year_in_a_campaign_name():
    assert campaign_year_in("全国教育后勤系统“2023年度最美后勤人”推举活动") == 2023
    assert campaign_year_in("最美后勤人") is None


def test_check_rows_records_good_rows_of_persons_and_teams():
    check = check_rows([row(), row(类型="团队", 姓名="阳光餐饮团队", 手机="")], domains=DOMAINS, this_year=2023,
                       hash_phone=hasher)
    assert check.problems == []
    assert [(r.kind, r.name, r.campaign_year, r.source) for r in check.records] == [
        ("person", "张三", 2021, "import"), ("team", "阳光餐饮团队", 2021, "import")]
    assert check.records[0].phone_hmac == hasher("13800000000") and check.records[1].phone_hmac is None


@pytest.mark.parametrize("changes, problem", [
    ({"姓名": ""}, "第 2 行缺少：姓名"),
    ({"类型": "集体"}, "第 2 行「类型」应为 个人 或 团队"),
    ({"年度": "二〇二一"}, "第 2 行「年度」应为 1990–2022 之间的四位年份"),
    ({"年度": "2023"}, "第 2 行「年度」应为"),
    ({"业务领域": "财务管理"}, "第 2 行「业务领域」“财务管理”不在业务领域代码表中"),
    ({"手机": "12"}, "第 2 行「手机」不是有效的电话号码"),
    ({"单位": "单" * 301}, "第 2 行的姓名、单位或活动名称过长"),
    ({"姓名": "张\x00三"}, "第 2 行含有无法保存的字符"),
    ({"活动名称": "最美后勤人\ud800"}, "第 2 行含有无法保存的字符"),
])
def test_check_rows_names_the_row_and_the_problem(changes, problem):
    check = check_rows([row(**changes)], domains=DOMAINS, this_year=2023, hash_phone=hasher)
    assert check.records == [] and check.problems[0].startswith(problem)


def test_check_rows_refuses_the_same_person_twice_in_one_campaign():
    check = check_rows([row(), row(姓名="张 三")], domains=DOMAINS, this_year=2023, hash_phone=hasher)
    assert check.problems == ["第 3 行与第 2 行是同一人同一活动"]
