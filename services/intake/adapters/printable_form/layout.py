"""The form's page geometry, its paragraph styles and the table cells every page is built of."""
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from shared.pdf_fonts import FONT_NAME

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 14 * mm, 16 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
BODY_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
# label | value | label | value | photo — 174 mm in all
COLUMNS = (32 * mm, 45 * mm, 24 * mm, 43 * mm, 30 * mm)
QR_SIZE = 26 * mm
UNIT_OPINION_HEIGHT = 46 * mm  # room for a 42 mm official seal and a signature
COMMITTEE_OPINION_HEIGHT = 32 * mm
NOMINEE_ROWS = 6  # _person_rows and _team_rows each give six
ROSTER_LINES_ON_FORM = 3  # a longer team roster goes to page 2, so that page 1 keeps its layout
ONLINE_TEXT_IS_AUTHORITATIVE = "事迹材料、媒体平台表彰与奖励情况以线上填写为准（特别说明第二条），此处打印供单位审核时参阅。"
GREY = colors.Color(0.35, 0.35, 0.35)
WATERMARK_GREY = colors.Color(0.88, 0.88, 0.88)


def table(rows: list[list], widths: tuple[float, ...], commands: list, repeat_rows: int = 0) -> Table:
    """A table whose empty cells use the CJK font too, so that no unembedded font gets into the PDF."""
    table = Table(rows, colWidths=widths, repeatRows=repeat_rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), *commands]))
    return table


def label_cell(text: str, styles: dict) -> Paragraph:
    return Paragraph(text, styles["label"])


def value_cell(value, styles: dict) -> Paragraph:
    return Paragraph(escape("" if value is None else str(value)), styles["cell"])


def paragraph_styles(font: str) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, **kwargs) -> ParagraphStyle:
        kwargs.setdefault("leading", size * 1.35)
        return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kwargs)

    return {
        "title": style("title", 15.5, alignment=TA_CENTER, leading=21),
        "subtitle": style("subtitle", 9.5, alignment=TA_CENTER, textColor=GREY, spaceBefore=1.5 * mm),
        "demo": style("demo", 9.5, alignment=TA_CENTER, spaceBefore=1 * mm),
        "reference": style("reference", 6.5, alignment=TA_CENTER, leading=8),
        "label": style("label", 10, alignment=TA_CENTER),
        "cell": style("cell", 10, alignment=TA_LEFT),
        "cell_right": style("cell_right", 10, alignment=TA_RIGHT),
        "cell_centre": style("cell_centre", 10, alignment=TA_CENTER),
        "photo": style("photo", 10, alignment=TA_CENTER, textColor=GREY),
        "choice": style("choice", 9.5),
        "hint": style("hint", 7.5),
        "note": style("note", 8.3, leading=11.2, spaceAfter=0.6 * mm),
        "heading": style("heading", 13.5, alignment=TA_CENTER, leading=19, spaceAfter=2 * mm),
        "authority": style("authority", 9.5, alignment=TA_CENTER, textColor=GREY),
        "subheading": style("subheading", 11, leading=16, spaceBefore=2 * mm, spaceAfter=1.5 * mm),
        "body": style("body", 10, leading=15, firstLineIndent=20, spaceAfter=1 * mm),
        "small": style("small", 8, textColor=GREY),
    }
