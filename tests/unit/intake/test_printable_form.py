import copy
import datetime as dt
import re

import numpy as np
import pypdfium2 as pdfium
import pytest

from services.intake.adapters.printable_form import render_registration_pdf
from services.intake.adapters.printable_form.drawings import DomainChoices
from services.intake.adapters.printable_form.form_page import special_notes, title_lines
from shared.campaign.demo import demo_copy
from shared.scans.qr import expected_qr_text, read_qr
from services.intake.schemas import nomination_schema

from tests.unit.intake.samples import TEAM
from tests.unit.intake.schema_checks import nomination

pytestmark = pytest.mark.unit

NOMINATION_ID = "3f2b8c1e-9a4d-4e7b-8c21-5d6e7f8a9b0c"
REFERENCE = "2022-00042"
DEEDS = "她扎根食堂一线二十年，每天清晨五点到岗。" * 20


def loaded(campaign, **changes) -> dict:
    """Form data as the schema loads it, which is what the renderer receives."""
    data = nomination(campaign, **{"deeds": DEEDS, **changes})
    return nomination_schema(campaign).load({key: value for key, value in data.items() if value is not None})


def team_data(campaign, **team_changes) -> dict:
    return loaded(campaign, nominee_kind="team", person=None, team={**copy.deepcopy(TEAM), **team_changes})


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, its wrapped lines joined again."""
    document = pdfium.PdfDocument(pdf)
    return [re.sub(r"[\r\n]", "", page.get_textpage().get_text_range()) for page in document]


def page_pixels(pdf: bytes, dpi: int, page: int = 0) -> np.ndarray:
    return np.asarray(pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72).to_pil().convert("RGB"))


@pytest.fixture(scope="module")
def person_pdf(campaign) -> bytes:
    return render_registration_pdf(campaign, loaded(campaign), NOMINATION_ID, reference=REFERENCE)


@pytest.fixture(scope="module")
def team_pdf(campaign) -> bytes:
    return render_registration_pdf(campaign, team_data(campaign), NOMINATION_ID)


def test_render_registration_pdf_page_one_has_the_form_as_text(person_pdf):
    first = page_texts(person_pdf)[0]
    for text in ("阿依古丽·买买提", "维吾尔族", "13812345678", "新疆大学 后勤保障部", "830046",
                 "所属业务领域", "申报人单位意见", "评审组委员会意见", "特别说明", "一寸免冠照",
                 "推荐单位：新疆维吾尔自治区高校后勤协会"):
        assert text in first


def test_render_registration_pdf_title_is_the_campaign_and_its_document_number(campaign, person_pdf):
    first = page_texts(person_pdf)[0]
    assert "全国教育后勤系统“2022年度最美后勤人”" in first
    assert "推举活动报名表" in first
    assert campaign.document_number in first


def test_render_registration_pdf_lists_every_domain_of_the_campaign(campaign, person_pdf):
    first = page_texts(person_pdf)[0]
    assert all(domain in first for domain in campaign.domains)


def test_render_registration_pdf_qr_decodes_to_the_nomination(person_pdf):
    assert read_qr(page_pixels(person_pdf, dpi=200)) == [expected_qr_text(NOMINATION_ID)]


def test_render_registration_pdf_prints_the_reference_number_on_every_page(person_pdf):
    texts = page_texts(person_pdf)
    assert len(texts) > 1
    assert all(f"申报编号：{REFERENCE}" in text for text in texts)


def test_render_registration_pdf_numbers_each_page_of_the_total(person_pdf):
    texts = page_texts(person_pdf)
    assert [re.search(r"第 (\d+) / (\d+) 页", text).groups() for text in texts] == [
        (str(number), str(len(texts))) for number in range(1, len(texts) + 1)]


def test_render_registration_pdf_without_a_reference_prints_the_nomination_id(campaign):
    texts = page_texts(render_registration_pdf(campaign, loaded(campaign), NOMINATION_ID))
    assert all(NOMINATION_ID in text for text in texts)


def test_render_registration_pdf_embeds_every_font(person_pdf):
    assert b"/FontFile2" in person_pdf or b"/FontFile3" in person_pdf
    base_fonts = set(re.findall(rb"/BaseFont\s*/([^\s/]+)", person_pdf))
    assert base_fonts and all(re.match(rb"[A-Z]{6}\+", name) for name in base_fonts)


def test_render_registration_pdf_leaves_both_opinions_blank(campaign):
    """The applicant's data never lands in the opinion rows: they hold only their printed prompts."""
    first = page_texts(render_registration_pdf(campaign, loaded(campaign), NOMINATION_ID))[0]
    unit_part = first[first.index("申报人单位意见"):first.index("评审组委员会意见")]
    committee_part = first[first.index("评审组委员会意见"):first.index("特别说明")]
    assert re.sub(r"\s", "", unit_part) == "申报人单位意见由申报人所在单位（或部门）签署意见并加盖公章（盖章）年月日"
    assert re.sub(r"\s", "", committee_part) == "评审组委员会意见由评审组委员会填写，申报人请勿填写（盖章）年月日"


def test_render_registration_pdf_puts_the_form_on_one_page_and_the_texts_after(person_pdf):
    texts = page_texts(person_pdf)
    assert len(texts) == 2
    assert DEEDS[:20] not in texts[0]
    assert "以线上填写为准" in texts[1]
    assert "她扎根食堂一线二十年" in texts[1]
    assert "最美后勤服务明星" in texts[1] and "2022年5月1日" in texts[1]


def _box_darkness(pdf: bytes, domain: str, dpi: int = 150) -> float:
    """Share of dark pixels in the middle of the check box printed before `domain`."""
    page = pdfium.PdfDocument(pdf)[0]
    text_page = page.get_textpage()
    found = text_page.search(domain).get_next()
    assert found, domain
    left, bottom, _, top = text_page.get_charbox(found[0], loose=True)
    scale, height = dpi / 72, page.get_height()
    box, gap = DomainChoices.BOX, DomainChoices.GAP
    x0, x1 = left - gap - box * 0.75, left - gap - box * 0.25
    middle = (bottom + top) / 2
    y0, y1 = middle - box * 0.25, middle + box * 0.25
    pixels = page_pixels(pdf, dpi).mean(axis=2)
    inside = pixels[int((height - y1) * scale):int((height - y0) * scale), int(x0 * scale):int(x1 * scale)]
    return float((inside < 128).mean())


def test_render_registration_pdf_ticks_only_the_chosen_domain(campaign):
    pdf = render_registration_pdf(campaign, loaded(campaign, domain="信息化"), NOMINATION_ID)
    assert _box_darkness(pdf, "信息化") > 0.05
    assert _box_darkness(pdf, "伙食管理") == 0.0
    assert _box_darkness(pdf, "接待服务") == 0.0


def test_render_registration_pdf_team_form_shows_the_team_rows(team_pdf):
    first = page_texts(team_pdf)[0]
    for text in ("团队名称", TEAM["name"], "负 责 人", "王芳", "宿管中心主任", "团队成员",
                 "李娜（宿管员）、赵强（维修工）", "武汉大学 后勤服务集团"):
        assert text in first
    assert "一寸免冠照" not in first and "性 别" not in first


def test_render_registration_pdf_team_qr_decodes_to_the_nomination(team_pdf):
    assert read_qr(page_pixels(team_pdf, dpi=200)) == [expected_qr_text(NOMINATION_ID)]


def test_render_registration_pdf_large_team_roster_moves_to_page_two(campaign):
    members = [{"name": f"成员{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'子丑寅卯巳'[i // 10]}", "role": "宿舍管理与维修服务"}
               for i in range(50)]
    texts = page_texts(render_registration_pdf(campaign, team_data(campaign, members=members), NOMINATION_ID))
    assert "共 50 人，完整名单见第 2 页" in texts[0]
    assert "成员癸巳" not in texts[0]
    assert "团队成员名单（50 人）" in texts[1] and "成员癸巳（宿舍管理与维修服务）" in texts[1]


def test_render_registration_pdf_self_nomination_has_no_recommender(campaign):
    data = loaded(campaign, channel="self", recommender=None)
    first = page_texts(render_registration_pdf(campaign, data, NOMINATION_ID))[0]
    assert "（个人自荐，无推荐单位）" in first
    assert "个人自荐须由申报人所在单位签署意见并加盖公章" in first


def test_render_registration_pdf_marks_a_demo_campaign(campaign, person_pdf):
    demo = demo_copy(campaign, dt.datetime(2030, 5, 1, tzinfo=dt.timezone.utc))
    pdf = render_registration_pdf(demo, loaded(demo), NOMINATION_ID)
    assert "不作为正式报名材料" in page_texts(pdf)[0]
    assert read_qr(page_pixels(pdf, dpi=200)) == [expected_qr_text(NOMINATION_ID)]
    assert "演示" not in page_texts(person_pdf)[0]


def test_render_registration_pdf_prints_the_status_link_only_when_given(campaign, person_pdf):
    url = "https://tuiju.example.org/status/abc"
    pdf = render_registration_pdf(campaign, loaded(campaign), NOMINATION_ID, status_url=url)
    assert url in page_texts(pdf)[-1]
    assert "查看报名进度" not in "".join(page_texts(person_pdf))


def test_render_registration_pdf_accepts_stored_data_with_iso_dates(campaign):
    """The data as the nominations table stores it (JSON: dates as text) prints the same."""
    stored = loaded(campaign)
    stored["media_honours"][0]["date"] = "2022-05-01"
    assert "2022年5月1日" in page_texts(render_registration_pdf(campaign, stored, NOMINATION_ID))[1]


def test_special_notes_follow_the_campaign_data(campaign):
    notes = special_notes(campaign)
    assert len(notes) == 5
    assert notes[2] == "三、纸质报名表需加盖单位公章并附两份最高荣誉证书扫描件，一并上传至专题页面相应模块中。"
    assert notes[3] == "四、线上报名与提交材料截止日期：2023年2月28日。"
    assert "全国教育后勤系统“2020年度感动人物”与全国教育后勤系统“2021年度最美后勤人”" in notes[4]


def test_special_notes_move_with_a_demo_deadline(campaign):
    demo = demo_copy(campaign, dt.datetime(2030, 5, 1, tzinfo=dt.timezone.utc))
    closes = demo.submission.closes_at
    assert special_notes(demo)[3] == f"四、线上报名与提交材料截止日期：{closes.year}年{closes.month}月{closes.day}日。"


@pytest.mark.parametrize("name, lines", [
    ("全国教育后勤系统“2022年度最美后勤人”推举活动", ["全国教育后勤系统“2022年度最美后勤人”", "推举活动报名表"]),
    ("年度评选活动", ["年度评选活动报名表"]),
    ("“最美后勤人”", ["“最美后勤人”报名表"]),
])
def test_title_lines_break_after_the_quoted_honour(name, lines):
    assert title_lines(name) == lines


def test_a_team_nominating_itself_is_called_team_self_nomination_on_its_form(campaign):
    data = team_data(campaign)
    data.update(channel="self", recommender=None)
    first = page_texts(render_registration_pdf(campaign, data, NOMINATION_ID))[0]
    assert "推荐单位：（团队自荐，无推荐单位）" in first and "推荐渠道：团队自荐" in first
    assert "团队自荐须由申报人所在单位签署意见并加盖公章" in first
    assert "个人自荐" not in first
