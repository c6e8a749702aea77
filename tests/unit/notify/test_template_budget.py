"""A secretariat's template cannot stop notify by what it asks for: a huge value, a huge message, or loops
that would run for hours are refused with a reason in Chinese, and ordinary templates are untouched."""
import sys
import time

import pytest

from services.notify.domain.catalogue import sample_context
from services.notify.domain.template_budget import MAX_OUTPUT, MAX_RANGE, TemplateTooCostly, render_within_budget
from services.notify.domain.templates import MessageTemplates, TemplateError, check_template

pytestmark = pytest.mark.unit
FILE = "shortlisted.zh.txt"


@pytest.mark.parametrize("body, reason", [
    ("{{ 'x' * 10**8 }}", "过长"),
    ("{{ 'x' * 100000000 }}", "过长"),
    ("{{ [1] * 100000000 }}", "过长"),
    ("{% set a = 'x' * 90000 %}{{ a + a }}", "过长"),
    ("{{ 10 ** 100000000 }}", "乘方的指数"),
    ("{% for i in range(100000) %}x{% endfor %}", "range() 最多"),
    ("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}"
     "{% endfor %}{% endfor %}", "步骤过多"),
    ("{% for i in range(1000) %}{% for j in range(1000) %}{{ nominee_name }}{% endfor %}{% endfor %}", "过长"),
])
def test_a_template_that_would_cost_too_much_is_refused_with_its_reason(body, reason):
    started = time.process_time()
    with pytest.raises(TemplateError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_template(FILE, "Subject: x\n" + body)
    assert time.process_time() - started < 30  # refused on the way, not after the work was done


def test_ordinary_arithmetic_loops_and_repeats_still_render():
    source = ("Subject: x\n{{ '-' * 20 }}{% for i in range(3) %}{{ i ** 2 }} {% endfor %}"
              "{{ nominee_name + '同志' }}{{ 2 ** 10 }}")
    templates = MessageTemplates()
    templates.load_overrides({FILE: source})
    rendered = templates.render("shortlisted", "zh", "email", sample_context("shortlisted"))
    assert rendered.body.startswith("-" * 20 + "0 1 4 ") and "同志1024" in rendered.body


def test_every_shipped_template_renders_far_inside_the_budget():
    templates = MessageTemplates()
    for file_name in templates.files():
        message, lang, extension = file_name.split(".")
        channel = "sms" if extension == "sms" else "email"
        template = templates._template(message, lang, channel)
        text = render_within_budget(lambda: template.generate(sample_context(message)), max_steps=50_000)
        assert len(text) < MAX_OUTPUT // 10, file_name


def test_a_budget_error_gives_back_the_tracing_there_was():
    before = sys.gettrace()
    with pytest.raises(TemplateTooCostly):
        render_within_budget(lambda: iter(["x" * (MAX_OUTPUT + 1)]))
    assert sys.gettrace() is before


def test_range_is_limited_but_small_ranges_work():
    from services.notify.domain.template_budget import limited_range
    assert list(limited_range(3)) == [0, 1, 2]
    with pytest.raises(TemplateTooCostly):
        limited_range(MAX_RANGE + 1)
