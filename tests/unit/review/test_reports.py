"""The secretariat's reports: the candidate and honouree lists with the committee's scores, written as Excel
and as PDF with the CJK font embedded, read back (openpyxl; pypdfium2's text extraction)."""
from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pypdfium2
import pytest

from services.review.adapters.report_files import report_pdf, report_xlsx
from services.review.domain.reports import CANDIDATES, HONOUREES, build_report, report_columns
from services.review.domain.states import STATE_NAMES
from services.review.service_layer.ranking import RankedRow

pytestmark = pytest.mark.unit
NOW = datetime(2023, 4, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSON = {"jiangren": 0.9, "jiangxin": 0.8, "jiangpin": 1.0, "shiji": 0.75}
TEAM = {**PERSON, "zuimei_tuandui": 0.5}


def ranked(rank: int, name: str, state: str, selected: bool, kind: str = "person", unit: str = "示例大学后勤处") -> RankedRow:
    return RankedRow(rank, f"N-{rank}", name, unit, "伙食管理", "branch", kind, rank == 1, 90.5 - rank,
                     TEAM if kind == "team" else PERSON, 3, state, selected)


ROWS = [ranked(1, "王秀兰", "honouree", True), ranked(2, "绿色食堂团队", "honouree", True, kind="team"),
        ranked(3, "李建国", "disqualified", False, unit="=HYPERLINK(\"http://x\")"),
        ranked(4, "张伟", "honouree", True), ranked(5, "赵敏", "not_selected", False)]
REFERENCES = {f"N-{n}": f"2022-0000{n}" for n in range(1, 6)}


def report(campaign, kind: str, rows=ROWS, **when):
    return build_report(campaign, kind, rows, REFERENCES, STATE_NAMES,
                        confirmed_at=when.get("confirmed_at", NOW), announced_at=when.get("announced_at"), made_at=NOW)


def test_candidate_report_lists_the_selected_with_each_criterions_mean_score(campaign):
    built = report(campaign, CANDIDATES)
    assert [row[2] for row in built.rows] == ["王秀兰", "绿色食堂团队", "张伟"]
    columns = report_columns(campaign)
    first, team = dict(zip(columns, built.rows[0])), dict(zip(columns, built.rows[1]))
    assert (first["申报编号"], first["匠人觉悟"], first["事迹感召力"], first["综合得分"], first["媒体表彰优先（R10）"]) == (
        "2022-00001", 27.0, 7.5, 89.5, "是")
    assert first["最美服务团队"] is None and team["最美服务团队"] == 15.0 and team["类型"] == "团队"
    assert first["状态"] == "获通报表扬" and "已确认" not in built.subtitle and "2023-04-01 09:30 确认" in built.subtitle


def test_honouree_report_before_the_announcement_is_empty_and_says_so(campaign):
    built = report(campaign, HONOUREES, rows=[ranked(1, "王秀兰", "candidate", True)])
    assert built.rows == () and built.empty_note == "通报表扬名单尚未确认。" and "尚未确认" in built.subtitle
    assert [r[2] for r in report(campaign, HONOUREES, announced_at=NOW).rows] == ["王秀兰", "绿色食堂团队", "张伟"]


def test_excel_report_reads_back_with_text_never_a_formula(campaign):
    unsafe = [ranked(1, "=SUM(A1:A9)", "candidate", True, unit="=HYPERLINK(\"http://x\")")]
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report(campaign, CANDIDATES, rows=[*unsafe, *ROWS[1:2]]))))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "入选候选人名单" and rows[2] == report_columns(campaign)
    assert rows[3][2] == "=SUM(A1:A9)" and rows[3][4] == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=4, column=3).data_type == "s" and sheet.cell(row=4, column=5).data_type == "s"
    assert rows[4][2] == "绿色食堂团队" and rows[4][-3] == 88.5


def test_pdf_report_embeds_the_cjk_font_and_its_text_reads_back(campaign):
    many = [ranked(n, f"候选人{n:03d}", "candidate", True) for n in range(1, 101)]
    data = report_pdf(report(campaign, CANDIDATES, rows=many))
    assert b"/FontFile2" in data  # the TrueType outlines are in the file
    pdf = pypdfium2.PdfDocument(data)
    try:
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        flat = re.sub(r"\s", "", text)  # cells wrap their text
        assert len(pdf) > 1 and "入选候选人名单" in text and "候选人001" in text and "候选人100" in text
        assert flat.count("姓名/团队名称") == len(pdf)  # the header on every page
        assert "匠人觉悟" in flat and "最美服务团队" in flat and "第 2 页" in text
    finally:
        pdf.close()
