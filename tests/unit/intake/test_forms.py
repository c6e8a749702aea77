import pytest

from services.intake.entrypoints.forms import errors_by_field

pytestmark = pytest.mark.unit


def test_errors_are_listed_in_the_order_of_the_fields_on_the_page():
    problems = [("contact.email", "联系人邮箱：必填"), ("domain", "所属业务领域：请选择"), ("team.members", "团队成员：必填"),
                ("contact.phone", "联系人手机：必填"), ("team.postcode", "邮编：6 位数字"), ("team.name", "团队名称：必填")]
    assert list(errors_by_field(problems)) == [
        "team.name", "team.postcode", "team.members", "domain", "contact.phone", "contact.email"]


def test_rows_of_a_list_come_in_their_order_each_with_its_fields_as_the_form_gave_them():
    problems = [("media_honours.1.title", "1"), ("deeds", "d"), ("media_honours.0.date", "2"),
                ("media_honours.0.level", "3"), ("recommender", "r")]
    assert list(errors_by_field(problems)) == [
        "deeds", "media_honours.0.date", "media_honours.0.level", "media_honours.1.title", "recommender"]


def test_the_first_message_of_a_field_is_kept():
    assert errors_by_field([("person.name", "姓名：必填"), ("person.name", "姓名：太长")]) == {"person.name": "姓名：必填"}
