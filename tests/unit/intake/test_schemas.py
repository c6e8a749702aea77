import copy
from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from services.intake.schemas import (
    FIELD_LABELS,
    deeds_char_count,
    flatten_errors,
    media_honour_schema,
    nomination_schema,
    person_schema,
    team_schema,
)

from tests.unit.intake.samples import HONOUR, PERSON, TEAM

pytestmark = pytest.mark.unit



def nomination(campaign, **changes) -> dict:
    data = {
        "campaign_id": campaign.id,
        "channel": "local_association",
        "recommender": "新疆维吾尔自治区高校后勤协会",
        "nominee_kind": "person",
        "person": copy.deepcopy(PERSON),
        "domain": "伙食管理",
        "deeds": "她扎根食堂一线二十年。" * 40,
        "media_honours": [dict(HONOUR)],
        "contact": {"name": "马丽", "email": "mali@example.com", "phone": "13900001111"},
    }
    data.update(changes)
    return data


def errors_of(schema, data) -> dict:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)
    return caught.value.messages


def test_nomination_schema_loads_a_complete_person_nomination(campaign):
    loaded = nomination_schema(campaign).load(nomination(campaign))
    assert loaded["person"]["political_status"] == "中国共产党党员"
    assert loaded["media_honours"][0]["date"] == date(2022, 5, 1)


def test_nomination_schema_loads_a_complete_team_nomination(campaign):
    data = nomination(campaign, nominee_kind="team", team=copy.deepcopy(TEAM))
    del data["person"]
    loaded = nomination_schema(campaign).load(data)
    assert [m["name"] for m in loaded["team"]["members"]] == ["李娜", "赵强"]


@pytest.mark.parametrize(
    ("field", "good", "loaded"),
    [
        ("name", " 张伟 ", "张伟"),
        ("name", "阿依古丽·买买提", "阿依古丽·买买提"),
        ("gender", "男", "男"),
        ("ethnic_group", "汉族", "汉族"),
        ("ethnic_group", "外国血统中国籍人士", "外国血统中国籍人士"),
        ("age", 18, 18),
        ("age", "70", 70),
        ("age", "４５", 45),
        ("political_status", "群众", "群众"),
        ("political_status", "中国共产主义青年团团员", "中国共产主义青年团团员"),
        ("political_status", "共青团员", "中国共产主义青年团团员"),
        ("phone", "138-1234-5678", "13812345678"),
        ("phone", "+86 138 1234 5678", "13812345678"),
        ("phone", "010-62512345", "010-62512345"),
        ("phone", "075583456789", "075583456789"),
        ("email", " li@example.edu.cn ", "li@example.edu.cn"),
        ("unit", "中国人民大学", "中国人民大学"),
        ("department", "后勤集团", "后勤集团"),
        ("position", "高级工程师", "高级工程师"),
        ("address", "北京市海淀区中关村大街59号", "北京市海淀区中关村大街59号"),
        ("postcode", "100872", "100872"),
        ("postcode", "８３００４６", "830046"),
        ("phone", "１３８１２３４５６７８", "13812345678"),
    ],
)
def test_person_schema_accepts_good_values(campaign, field, good, loaded):
    data = dict(PERSON, **{field: good})
    assert person_schema(campaign).load(data)[field] == loaded


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("name", "张", "姓名：请填写 2–30 个字，不含数字和符号"),
        ("name", "张3", "姓名：请填写 2–30 个字，不含数字和符号"),
        ("name", "张" * 31, "姓名：请填写 2–30 个字，不含数字和符号"),
        ("name", "   ", "姓名：必填"),
        ("gender", "M", "性别：请选择 男 或 女"),
        ("ethnic_group", "汉", "民族：请从列表中选择，如 汉族"),
        ("age", 17, "年龄：请填写 18 至 70 之间的整数"),
        ("age", 71, "年龄：请填写 18 至 70 之间的整数"),
        ("age", "四十五", "年龄：请填写整数，如 45"),
        ("age", 45.5, "年龄：请填写整数，如 45"),
        ("age", True, "年龄：请填写整数，如 45"),
        ("political_status", "党员", "政治面貌：请从列表中选择，如 中共党员、群众"),
        ("phone", "12812345678", "联系电话：请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345"),
        ("phone", "1381234567", "联系电话：请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345"),
        ("phone", "62512345", "联系电话：请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345"),
        ("email", "ayguli@", "邮箱：请输入有效的电子邮箱地址，如 name@example.com"),
        ("unit", "新大", "单位名称：请填写单位全称，4–100 个字，如 中国人民大学"),
        ("department", "后", "部门：请填写所在部门（单位名称须填写至部门），如 后勤集团"),
        ("position", "职" * 51, "职务/职称：请填写 1–50 个字"),
        ("address", "乌市", "通讯地址：请填写 5–200 个字"),
        ("postcode", "83004", "邮编：请输入 6 位数字邮政编码，如 100872"),
        ("postcode", "83004٦", "邮编：请输入 6 位数字邮政编码，如 100872"),
        ("phone", "1381234567٨", "联系电话：请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345"),
    ],
)
def test_person_schema_refuses_bad_values_naming_the_field(campaign, field, bad, message):
    data = dict(PERSON, **{field: bad})
    assert errors_of(person_schema(campaign), data) == {field: [message]}


@pytest.mark.parametrize("field", sorted(PERSON))
def test_person_schema_requires_every_field(campaign, field):
    data = {key: value for key, value in PERSON.items() if key != field}
    assert errors_of(person_schema(campaign), data) == {field: [f"{FIELD_LABELS['person.' + field]}：必填"]}


def test_person_schema_age_range_comes_from_the_campaign(campaign):
    from dataclasses import replace

    from shared.campaign.model import AgeRange

    older = replace(campaign, age_range=AgeRange(18, 80))
    assert person_schema(older).load(dict(PERSON, age=75))["age"] == 75
    assert "age" in errors_of(person_schema(campaign), dict(PERSON, age=75))


def test_person_schema_refuses_unknown_fields(campaign):
    assert errors_of(person_schema(campaign), dict(PERSON, salary="1")) == {"salary": ["表单中没有这一项"]}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"name": "队"}, {"name": ["团队名称：请填写 2–50 个字"]}),
        ({"members": [{"name": "李娜", "role": "宿管员"}]}, {"members": ["团队成员：请填写 2 至 50 名成员（现 1 名）"]}),
        ({"members": [{"name": "李娜", "role": "宿管员"}] * 51}, {"members": ["团队成员：请填写 2 至 50 名成员（现 51 名）"]}),
        ({"members": [{"name": "李娜"}, {"name": "赵强", "role": "维修工"}]}, {"members": {0: {"role": ["成员分工：必填"]}}}),
        ({"members": "李娜、赵强"}, {"members": ["团队成员：格式不正确，应为列表"]}),
        ({"leader": dict(TEAM["leader"], phone="123")},
         {"leader": {"phone": ["负责人联系电话：请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345"]}}),
        ({"leader": dict(TEAM["leader"], email="wf")}, {"leader": {"email": ["负责人邮箱：请输入有效的电子邮箱地址，如 name@example.com"]}}),
        ({"leader": None}, {"leader": ["团队负责人：必填"]}),
        ({"unit": "武大"}, {"unit": ["单位名称：请填写单位全称，4–100 个字，如 中国人民大学"]}),
        ({"postcode": "4300"}, {"postcode": ["邮编：请输入 6 位数字邮政编码，如 100872"]}),
    ],
)
def test_team_schema_refuses_bad_values(campaign, change, errors):
    assert errors_of(team_schema(campaign), dict(copy.deepcopy(TEAM), **change)) == errors


def test_team_schema_accepts_a_mobile_leader_phone(campaign):
    team = dict(copy.deepcopy(TEAM), leader=dict(TEAM["leader"], phone="139 0000 1111"))
    assert team_schema(campaign).load(team)["leader"]["phone"] == "13900001111"


@pytest.mark.parametrize("level", ["国家级", "省部级", "市厅级", "区县级", "校级", "媒体平台"])
def test_media_honour_schema_accepts_each_level(campaign, level):
    assert media_honour_schema(campaign).load(dict(HONOUR, level=level))["level"] == level


def test_media_honour_schema_accepts_today(campaign):
    from datetime import datetime

    today = datetime.now(campaign.zone).date()
    assert media_honour_schema(campaign).load(dict(HONOUR, date=today.isoformat()))["date"] == today


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("title", "奖", "表彰或奖励名称：请填写 2–100 个字"),
        ("level", "省级", "级别：请选择 国家级、省部级、市厅级、区县级、校级、媒体平台 之一"),
        ("issuer", "", "颁发单位：必填"),
        ("date", "2022/05/01", "获得日期：请按 2022-06-01 的格式填写"),
        ("date", (date.today() + timedelta(days=3)).isoformat(), "获得日期：不能晚于今天"),
    ],
)
def test_media_honour_schema_refuses_bad_values(campaign, field, bad, message):
    assert errors_of(media_honour_schema(campaign), dict(HONOUR, **{field: bad})) == {field: [message]}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"campaign_id": "2021-zuimei-houqin"}, {"campaign_id": ["活动：不是本次活动，请从活动页面重新进入"]}),
        ({"channel": "province"}, {"channel": ["推荐渠道：请选择本次活动的推荐渠道"]}),
        ({"nominee_kind": "unit"}, {"nominee_kind": ["推荐对象类型：请选择 个人 或 团队"]}),
        ({"domain": "园林绿化"}, {"domain": ["所属业务领域：请从 12 个业务领域中选择一个"]}),
        ({"deeds": "事迹" * 100}, {"deeds": ["事迹材料：请填写 300–3000 字（现 200 字，不计空白）"]}),
        ({"deeds": "字" * 3001}, {"deeds": ["事迹材料：请填写 300–3000 字（现 3001 字，不计空白）"]}),
        ({"media_honours": [HONOUR] * 11}, {"media_honours": ["曾获媒体平台表彰与奖励情况：最多填写 10 项"]}),
        ({"media_honours": [dict(HONOUR, level="省级")]},
         {"media_honours": {0: {"level": ["级别：请选择 国家级、省部级、市厅级、区县级、校级、媒体平台 之一"]}}}),
        ({"contact": {"name": "马丽", "email": "mali@example.com", "phone": "010-62512345"}},
         {"contact": {"phone": ["联系人手机：请输入 11 位手机号码，如 13812345678"]}}),
        ({"contact": {"name": "马丽", "email": "mali", "phone": "13900001111"}},
         {"contact": {"email": ["联系人邮箱：请输入有效的电子邮箱地址，如 name@example.com"]}}),
        ({"recommender": ""}, {"recommender": ["推荐单位：组织推荐须填写推荐单位名称"]}),
        ({"team": TEAM}, {"team": ["团队信息：推荐个人时不填写此项"]}),
        ({"person": None}, {"person": ["被推荐人信息：必填"]}),
    ],
)
def test_nomination_schema_refuses_bad_values(campaign, change, errors):
    assert errors_of(nomination_schema(campaign), nomination(campaign, **change)) == errors


def test_nomination_schema_deeds_exactly_at_the_limits(campaign):
    for text in ("字" * 300, "字" * 3000, "字 " * 300):
        assert nomination_schema(campaign).load(nomination(campaign, deeds=text))["deeds"] == text


def test_nomination_schema_team_kind_requires_the_team(campaign):
    data = nomination(campaign, nominee_kind="team")
    errors = errors_of(nomination_schema(campaign), data)
    assert errors == {"team": ["团队信息：必填"], "person": ["被推荐人信息：推荐团队时不填写此项"]}


def test_nomination_schema_self_nomination_needs_no_recommender(campaign):
    data = nomination(campaign, channel="self")
    del data["recommender"]
    assert "recommender" not in nomination_schema(campaign).load(data)


def test_nomination_schema_media_honours_are_optional(campaign):
    data = nomination(campaign)
    del data["media_honours"]
    assert "media_honours" not in nomination_schema(campaign).load(data)


def test_nomination_schema_reports_section_and_field_errors_together(campaign):
    data = nomination(campaign, person=dict(PERSON, phone="123"), deeds="短", recommender=" ")
    errors = errors_of(nomination_schema(campaign), data)
    assert set(errors) == {"person", "deeds", "recommender"}


def test_draft_schema_accepts_a_partial_form(campaign):
    draft = {"nominee_kind": "person", "person": {"name": "张伟", "phone": ""}, "deeds": ""}
    assert nomination_schema(campaign, draft=True).load(draft) == {"nominee_kind": "person", "person": {"name": "张伟"}}


def test_draft_schema_still_checks_what_is_filled(campaign):
    draft = {"person": {"phone": "123"}, "domain": "园林绿化"}
    errors = errors_of(nomination_schema(campaign, draft=True), draft)
    assert set(errors) == {"person", "domain"}
    assert errors["person"] == {"phone": ["联系电话：请输入 11 位手机号码，如 13812345678；固定电话请带区号，如 010-62512345"]}


def test_submit_schema_requires_everything(campaign):
    errors = errors_of(nomination_schema(campaign), {})
    assert set(errors) == {"campaign_id", "channel", "nominee_kind", "domain", "deeds", "contact"}
    assert errors["contact"] == ["联系人：必填"]


def test_flatten_errors_gives_field_paths_in_order(campaign):
    data = nomination(campaign, person=dict(PERSON, phone="123"), media_honours=[dict(HONOUR, level="省级")])
    flat = flatten_errors(errors_of(nomination_schema(campaign), data))
    assert [path for path, _ in flat] == ["person.phone", "media_honours.0.level"]


def test_deeds_char_count_ignores_whitespace():
    assert deeds_char_count("扎根 一线\n二十年\u3000") == 7


def test_schemas_for_a_campaign_are_built_once(campaign):
    assert type(nomination_schema(campaign)) is type(nomination_schema(campaign, draft=True))


def test_a_begun_honour_row_is_checked_whole_and_its_messages_name_the_row(campaign):
    from services.intake.schemas import named_rows, started_honour_problems

    honours = [{"title": "最美后勤服务明星", "level": "省部级", "issuer": "新疆日报", "date": "2022-05-01"},
               {"title": "首都劳动奖章", "level": "", "issuer": "", "date": ""}, {"title": "", "level": ""}]
    assert named_rows(started_honour_problems(campaign, honours)) == [
        ("media_honours.1.level", "第 2 项表彰·级别：必填"), ("media_honours.1.issuer", "第 2 项表彰·颁发单位：必填"),
        ("media_honours.1.date", "第 2 项表彰·获得日期：必填")]
