"""The secretariat's reports written as files: an Excel workbook (openpyxl) and a PDF on A4 landscape with
the CJK font embedded (shared/pdf_fonts.py), its header row repeated on every page and the page number below.

Every text goes into the workbook typed as text, never as a formula: a unit named `=HYPERLINK(...)` stays
that name in Excel."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.review.domain.reports import Report
from shared.pdf_fonts import cjk_font
from shared.spreadsheets import ILLEGAL_IN_CELL

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = {"姓名/团队名称": 16, "单位": 30, "业务领域": 14, "推荐渠道": 16, "申报编号": 12, "状态": 14}
# PDF column widths in mm for the fixed columns; the criteria share what is left of the page
PDF_WIDTHS = {"名次": 10, "申报编号": 22, "姓名/团队名称": 24, "类型": 10, "单位": 38, "业务领域": 20,
              "推荐渠道": 26, "媒体表彰优先（R10）": 14, "综合得分": 16, "评分人数": 11, "状态": 24}


def report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # with numpy and Pillow: loaded by the first report, not by every web process
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = report.title[:31]
    sheet.append([_text(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_text(report.subtitle)])
    sheet.append([_text(title) for title in report.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in report.rows:
        sheet.append([_text(value) if isinstance(value, str) else value for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    if report.empty_note:
        sheet.append([report.empty_note])
    for position, title in enumerate(report.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = WIDTHS.get(title, 10)
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value: str) -> str:
    return ILLEGAL_IN_CELL.sub("", value)  # control characters cannot be stored in a workbook


def report_pdf(report: Report) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=13, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                                 topMargin=12 * mm, bottomMargin=14 * mm, title=report.title, author="推举 Tuiju")
    header = [Paragraph(escape(name), cell) for name in report.columns]
    body = [[Paragraph(escape(_shown(value)), cell) for value in row] for row in report.rows]
    table = Table([header, *body], colWidths=_pdf_widths(report.columns, document.width), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    story = [Paragraph(escape(report.title), title), Paragraph(escape(report.subtitle), small), Spacer(1, 4 * mm), table]
    if report.empty_note:
        story += [Spacer(1, 4 * mm), Paragraph(escape(report.empty_note), small)]
    document.build(story, onFirstPage=_footer(font), onLaterPages=_footer(font))
    return out.getvalue()


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _pdf_widths(columns, width: float) -> list[float]:
    fixed = sum(PDF_WIDTHS.get(c, 0) for c in columns) * mm
    flexible = [c for c in columns if c not in PDF_WIDTHS]
    share = max((width - fixed) / len(flexible), 12 * mm) if flexible else 0
    return [PDF_WIDTHS[c] * mm if c in PDF_WIDTHS else share for c in columns]


def _footer(font: str):
    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(document.pagesize[0] / 2, 7 * mm, f"第 {document.page} 页")
        canvas.restoreState()
    return draw
