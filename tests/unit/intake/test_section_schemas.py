"""The schemas of the form's parts: the person, the team, a media honour; the values each accepts and refuses,
markup among them."""
import copy
from datetime import date, timedelta

import pytest

from services.intake.schemas import media_honour_schema, person_schema, team_schema
from services.intake.schemas.labels import FIELD_LABELS
from tests.unit.intake.samples import HONOUR, PERSON, TEAM
from tests.unit.intake.schema_checks import MARKUP, errors_of

pytestmark = pytest.mark.unit


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

    from shared.campaign.parts import AgeRange

    older = replace(campaign, age_range=AgeRange(18, 80))
    assert person_schema(older).load(dict(PERSON, age=75))["age"] == 75
    assert "age" in errors_of(person_schema(campaign), dict(PERSON, age=75))


def test_person_schema_refuses_unknown_fields(campaign):
    assert errors_of(person_schema(campaign), dict(PERSON, salary="1")) == {"salary": ["表单中没有这一项"]}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"name": "队"}, {"name": ["团队名称：请填写 2–50 个字，不含 < > @ # 等符号"]}),
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


@pytest.mark.parametrize(("field", "message"), [
    ("name", "团队名称：请填写 2–50 个字，不含 < > @ # 等符号"),
    ("unit", "单位名称：请填写纯文字，不含 < > 等符号"),
    ("department", "部门：请填写纯文字，不含 < > 等符号"),
    ("address", "通讯地址：请填写纯文字，不含 < > 等符号"),
])
def test_team_schema_refuses_markup_in_names_and_units(campaign, field, message):
    assert errors_of(team_schema(campaign), dict(copy.deepcopy(TEAM), **{field: MARKUP})) == {field: [message]}


def test_team_schema_refuses_markup_in_a_leader_position_and_a_member_role(campaign):
    team = dict(copy.deepcopy(TEAM), leader=dict(TEAM["leader"], position="<b>主任</b>"),
                members=[{"name": "李娜", "role": "<script>"}, {"name": "赵强", "role": "维修工"}])
    assert errors_of(team_schema(campaign), team) == {
        "leader": {"position": ["负责人职务/职称：请填写纯文字，不含 < > 等符号"]},
        "members": {0: {"role": ["成员分工：请填写纯文字，不含 < > 等符号"]}},
    }


@pytest.mark.parametrize("field", ["title", "issuer"])
def test_media_honour_schema_refuses_markup(campaign, field):
    label = {"title": "表彰或奖励名称", "issuer": "颁发单位"}[field]
    assert errors_of(media_honour_schema(campaign), dict(HONOUR, **{field: MARKUP})) == {
        field: [f"{label}：请填写纯文字，不含 < > 等符号"]}


def test_team_schema_accepts_a_name_with_digits_and_brackets(campaign):
    team = dict(copy.deepcopy(TEAM), name="第3食堂（清真）“暖心”团队")
    assert team_schema(campaign).load(team)["name"] == "第3食堂（清真）“暖心”团队"
