import re

import pytest

from services.notify.domain.catalogue import MESSAGES, sample_context
from services.notify.domain.html_mail import as_html
from services.notify.domain.templates import render

pytestmark = pytest.mark.unit

BODY = ("申报编号：2022-00042\n\n李红梅，您好：\n\n需要修改的内容：\n- 事迹材料\n- 联系电话\n\n"
        "请通过您的专属链接处理：\nhttps://tuiju.example.cn/n/abc.def\n\n公示页面：https://tuiju.example.cn/notice/x\n")


def test_as_html_keeps_the_texts_shapes_paragraphs_lists_and_the_reference():
    page = as_html("主题", BODY)
    assert '<strong style="color:#1b1b1b;">申报编号：2022-00042</strong>' in page
    assert re.search(r"<ul[^>]*><li[^>]*>事迹材料</li><li[^>]*>联系电话</li></ul>", page)
    assert page.count("<p ") >= 4


def test_as_html_makes_a_link_alone_on_its_line_a_button_and_writes_the_address_out():
    page = as_html("主题", BODY)
    button = re.search(r'<a href="https://tuiju.example.cn/n/abc.def"[^>]*display:inline-block[^>]*>打开链接</a>', page)
    assert button and page.count("https://tuiju.example.cn/n/abc.def") == 2


def test_as_html_links_an_address_inside_a_sentence():
    assert '公示页面：<a href="https://tuiju.example.cn/notice/x"' in as_html("主题", BODY)


def test_as_html_escapes_whatever_the_text_holds():
    page = as_html("<b>主题</b>", '<script>alert(1)</script>\n\n"引号" & 符号 https://x.cn/a?b=1&c="2"')
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;主题" in page
    assert 'href="https://x.cn/a?b=1&amp;c="' in page


def test_as_html_is_one_column_for_a_phone_in_the_recipients_language():
    page = as_html("Subject", "Hello", lang="en")
    assert 'lang="en"' in page and "max-width:600px" in page and "font-size:16px" in page


@pytest.mark.parametrize("name", MESSAGES)
def test_every_shipped_mail_becomes_html_with_each_of_its_links(name):
    rendered = render(name, "zh", "email", sample_context(name))
    page = as_html(rendered.subject, rendered.body)
    for url in re.findall(r"https?://\S+", rendered.body):
        assert f'href="{url.rstrip("。，")}' in page
