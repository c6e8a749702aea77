"""Markup typed into a draft is refused and never printed on the form the unit seals (tester's I-9)."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

pytestmark = pytest.mark.integration

MARKUP = "<img src=x onerror=alert(1)>"


def printed_text(client, token: str) -> str:
    pdf = client.get(f"/n/{token}/form.pdf")
    assert pdf.status_code == 200
    return "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf.data))


def test_a_team_name_and_unit_with_markup_are_refused_and_left_blank_on_the_printed_form(client):
    token = client.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "team"}).json["token"]
    saved = client.patch(f"/api/v1/nominations/{token}", json={"team": {
        "name": MARKUP, "unit": "<script>示例大学</script>", "department": "后勤服务集团"}})
    assert saved.status_code == 200
    assert {p["field"]: p["message"] for p in saved.json["problems"]} == {
        "team.name": "团队名称：请填写 2–50 个字，不含 < > @ # 等符号",
        "team.unit": "单位名称：请填写纯文字，不含 < > 等符号",
    }
    text = printed_text(client, token)
    assert "后勤服务集团" in text
    assert "onerror" not in text and "<script>" not in text and "<img" not in text


def test_the_markup_refusal_comes_in_english_when_asked(client):
    token = client.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "team"}).json["token"]
    saved = client.patch(f"/api/v1/nominations/{token}", json={"team": {"unit": MARKUP}},
                         headers={"Accept-Language": "en"})
    assert saved.json["problems"] == [
        {"field": "team.unit", "message": "Unit: please enter plain text, without < > or similar symbols"}]
