import pytest

from services.notify.domain.templates import TemplateError, check_template

pytestmark = pytest.mark.unit
SUBJECT = "Subject: {{ campaign_name }}\n"


@pytest.mark.parametrize("body, says", [
    ("{% if reason %}原因：{{ reason }}", "“{% if %}”没有结束，请在适当位置加上“{% endif %}”"),
    ("{{ nominee_name }", "多了一个“}”"),
    ("{{ nominee_name reason }}", "一个占位符里只能写一个名字"),
    ("{{ }}", "“{{ }}”中间是空的"),
    ("{% endif %}", "“{% endif %}”前面没有对应的开头"),
    ("{% include 'x' %}{% bogus %}", "无法识别的标签“{% bogus %}”"),
    ("{{ reason | shout }}", "没有名为“shout”的过滤器"),
])
def test_a_syntax_error_is_said_in_chinese_naming_what_to_mend(body, says):
    with pytest.raises(TemplateError) as refused:
        check_template("withdrawn.zh.txt", SUBJECT + body)
    assert says in refused.value.problems[0] and refused.value.problems[0].startswith("模板第")


def test_a_template_failing_with_the_examples_is_said_in_chinese():
    with pytest.raises(TemplateError) as refused:
        check_template("withdrawn.zh.txt", SUBJECT + "{{ nominee_name + 1 }}")
    assert "把文字和数字直接相加了" in refused.value.problems[0]
