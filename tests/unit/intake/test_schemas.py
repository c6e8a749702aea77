"""The whole registration form's schema: the nomination, a draft, the order of its errors. The parts of the
form (person, team, media honour): test_section_schemas.py."""
import copy
from datetime import date

import pytest

from services.intake.schemas import nomination_schema
from services.intake.schemas.nomination import deeds_char_count
from services.intake.schemas.problems import flatten_errors
from shared.i18n.catalogs import chinese
from tests.unit.intake.samples import HONOUR, PERSON, TEAM
from tests.unit.intake.schema_checks import MARKUP, errors_of, nomination

pytestmark = pytest.mark.unit


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
    from services.intake.schemas.problems import named_rows, started_honour_problems

    honours = [{"title": "最美后勤服务明星", "level": "省部级", "issuer": "新疆日报", "date": "2022-05-01"},
               {"title": "首都劳动奖章", "level": "", "issuer": "", "date": ""}, {"title": "", "level": ""}]
    assert [(path, chinese(problem)) for path, problem in named_rows(started_honour_problems(campaign, honours))] == [
        ("media_honours.1.level", "第 2 项表彰·级别：必填"), ("media_honours.1.issuer", "第 2 项表彰·颁发单位：必填"),
        ("media_honours.1.date", "第 2 项表彰·获得日期：必填")]


def test_nomination_schema_refuses_markup_in_the_deeds_and_the_recommender(campaign):
    data = nomination(campaign, deeds="她扎根食堂一线二十年。" * 40 + "<script>alert(1)</script>", recommender=MARKUP)
    assert errors_of(nomination_schema(campaign), data) == {
        "deeds": ["事迹材料：请填写纯文字，不含 < > 等符号"], "recommender": ["推荐单位：请填写纯文字，不含 < > 等符号"]}
