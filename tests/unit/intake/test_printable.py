import pytest

from services.intake.domain.printable import without_refused_values

pytestmark = pytest.mark.unit


def test_without_refused_values_leaves_out_each_refused_path_and_keeps_the_rest():
    data = {"team": {"name": "<img>", "unit": "武汉大学", "members": [{"name": "李娜", "role": "<b>"}]},
            "media_honours": [{"title": "<script>"}, {"title": "好"}], "deeds": "事迹"}
    shown = without_refused_values(data, ["team.name", "team.members.0.role", "media_honours.0"])
    assert shown == {"team": {"unit": "武汉大学", "members": [{"name": "李娜"}]},
                     "media_honours": [{}, {"title": "好"}], "deeds": "事迹"}
    assert data["team"]["name"] == "<img>"


def test_without_refused_values_ignores_a_path_that_is_not_in_the_data():
    data = {"person": {"name": "王芳"}}
    assert without_refused_values(data, ["team.name", "person.name.x", "media_honours.3.title"]) == data
