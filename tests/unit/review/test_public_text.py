"""What the public pages show of the deeds: contact details and identity numbers typed into them masked,
the rest as written; a one-line summary."""
from __future__ import annotations

import pytest

from services.review.domain.public_text import MASK, masked, summary

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("typed", [
    "13912345678", "139 1234 5678", "139-1234-5678", "+86 13912345678", "１３９１２３４５６７８",
    "010-82509123", "０１０－８２５０９１２３", "82509123", "wang.xl@school.edu.cn", "ｗａｎｇ＠ｓｃｈｏｏｌ．ｃｎ",
    "11010519491231002X", "100872",
])
def test_contact_details_and_identity_numbers_are_masked(typed):
    shown = masked(f"她的联系方式：{typed}。")
    assert shown == f"她的联系方式：{MASK}。"


def test_the_rest_stays_as_written():
    text = "她扎根食堂一线二十六年，服务师生2万人次，2022年获“最美后勤人”称号（省级）。"
    assert masked(text) == text


def test_summary_is_one_line_cut_at_a_sentence_end_when_near():
    text = "第一句话讲她的坚守。\n" + "第二句很长" * 30 + "。"
    assert summary(text, 40) == "第一句话讲她的坚守。 " + ("第二句很长" * 30)[:29] + "……"
    assert summary("短句。", 40) == "短句。"
    assert summary("电话13912345678。" + "好" * 200, 20).startswith(f"电话{MASK}。")
