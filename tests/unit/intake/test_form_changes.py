import copy

import pytest

from services.intake.form_changes import changed_form_fields, with_values_at
from services.intake.schemas import nomination_schema
from tests.unit.intake.samples import HONOUR, PERSON, TEAM

pytestmark = pytest.mark.unit


def submitted(campaign, **sections) -> dict:
    """A form as a submission stores it: loaded and dumped by the schema."""
    data = {"campaign_id": campaign.id, "channel": "self", "nominee_kind": "person", "domain": "伙食管理",
            "deeds": "事迹" * 200, "media_honours": [HONOUR], "person": copy.deepcopy(PERSON),
            "contact": {"name": "王芳", "email": "wf@example.com", "phone": "13912345678"}, **sections}
    data = {key: value for key, value in data.items() if value is not None}
    schema = nomination_schema(campaign)
    return schema.dump(schema.load(data))


def as_posted(section: dict) -> dict:
    """What a page's inputs post back: every value a string."""
    return {key: str(value) for key, value in section.items()}


def test_changed_form_fields_ignores_the_same_answers_as_a_page_posts_them(campaign):
    before = submitted(campaign)
    posted = {**before, "person": {**as_posted(before["person"]), "political_status": "中共党员"}}
    assert before["person"]["political_status"] == "中国共产党党员" and before["person"]["age"] == 45
    assert changed_form_fields(campaign, before, posted) == []


def test_changed_form_fields_names_a_real_change_beside_round_tripped_ones(campaign):
    before = submitted(campaign)
    posted = {**before, "person": {**as_posted(before["person"]), "phone": "13987654321", "age": "46"}}
    assert changed_form_fields(campaign, before, posted) == ["person.age", "person.phone"]


def test_changed_form_fields_compares_a_refused_value_as_typed(campaign):
    before = submitted(campaign)
    posted = {**before, "person": {**before["person"], "age": "四十五"}}
    assert changed_form_fields(campaign, before, posted) == ["person.age"]


def test_changed_form_fields_takes_blank_rows_and_missing_sections_as_the_same(campaign):
    before = submitted(campaign, media_honours=[])
    posted = {**before, "media_honours": [{"title": "", "level": ""}], "team": {"name": ""}}
    assert changed_form_fields(campaign, before, posted) == []


def test_changed_form_fields_of_a_team_list_compares_the_rows(campaign):
    before = submitted(campaign, nominee_kind="team", person=None, team=copy.deepcopy(TEAM))
    same = {**before, "team": {**before["team"], "members": [dict(m) for m in TEAM["members"]]}}
    fewer = {**before, "team": {**before["team"], "members": TEAM["members"][:1]}}
    assert changed_form_fields(campaign, before, same) == []
    assert changed_form_fields(campaign, before, fewer) == ["team.members"]


def test_with_values_at_takes_only_the_named_paths(campaign):
    before = {"person": {"age": 45, "phone": "13812345678"}, "deeds": "旧", "media_honours": [HONOUR]}
    after = {"person": {"age": "45", "phone": "13987654321"}, "deeds": "新"}
    taken = with_values_at(before, after, ["person.phone", "media_honours"])
    assert taken == {"person": {"age": 45, "phone": "13987654321"}, "deeds": "旧"}
    assert before["person"]["phone"] == "13812345678"


def test_a_correction_keeps_each_changed_fields_value_as_sent_as_text():
    from services.intake.service_layer.snapshots import previous_values

    sent = {"person": {"name": "王秀兰", "position": "主管", "phone": "13800138000"}, "domain": "伙食管理",
            "deeds": "二十年", "media_honours": [{"title": "优秀员工", "level": "校级"}], "contact": {"name": "李"}}
    now = {**sent, "person": {**sent["person"], "position": "经理"}, "media_honours": [],
           "contact": {"name": "李", "email": "li@example.org"}}
    assert previous_values(sent, now) == {"person.position": "主管", "media_honours": "优秀员工 校级",
                                          "contact.email": "（空）"}
    assert previous_values(sent, sent) == {}
