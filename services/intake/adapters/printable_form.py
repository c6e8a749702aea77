"""The notice's 附件 (活动报名表) filled from a nomination, as a PDF to print, seal and upload (R6, R7, R13).

`render_registration_pdf(campaign, data, nomination_id, reference=...)` takes the form data as `nomination_schema(campaign)`
loads it. Page 1 is the notice's table, with the unit's opinion left blank for its signature and official
seal, and the committee's opinion left blank for the committee (R6c). The deeds and the media honours
follow on the next pages, marked as printed for reference: the online text is authoritative (R8).

A QR code in the top right corner carries `expected_qr_text(nomination_id)`, so that the scan of the
sealed form can be matched to its nomination; the short reference (申报编号) is printed beneath it and in
every page's footer, with the page's number of the total. Nothing is printed in red: red is how a seal is found.
Fonts: a CJK TrueType font is embedded (reportlab cannot embed the CFF outlines of Noto CJK); see
shared/pdf_fonts.py.
"""
import datetime as dt
import io
from xml.sax.saxutils import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from shared.campaign.model import Campaign
from shared.pdf_fonts import FONT_NAME, cjk_font
from shared.scans.qr import expected_qr_text
from shared.reference import political_status_by_any_name
from services.intake.domain.nomination import channel_name

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


# ---------------------------------------------------------------- entry point

def render_registration_pdf(
    campaign: Campaign, data: dict, nomination_id: str, status_url: str | None = None, reference: str | None = None
) -> bytes:
    """The filled registration form: page 1 the notice's table, then the deeds and media honours.
    `reference` is the short number people quote (the nomination id when there is none)."""
    styles = _styles(cjk_font())
    reference = reference or nomination_id
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[PageTemplate("form", [_body_frame()], onPage=_page_decoration(campaign, reference))],
        title=f"{campaign.display_name}报名表",
        author=campaign.organiser,
        subject=expected_qr_text(nomination_id),
        creator="Tuiju",
        invariant=True,
        initialFontName=FONT_NAME,  # else the canvas names Helvetica, a font not embedded
    )
    # Page 1 is one page whatever was typed: an overlong field shrinks the page rather than split the form.
    form = KeepInFrame(BODY_WIDTH, BODY_HEIGHT, _form_page(campaign, data, nomination_id, reference, styles),
                       mode="shrink", hAlign="CENTER")
    document.build([form, PageBreak(), *_online_texts_pages(campaign, data, styles, status_url)],
                   canvasmaker=PageCountingCanvas)
    return buffer.getvalue()


def _body_frame() -> Frame:
    return Frame(MARGIN_X, MARGIN_BOTTOM, BODY_WIDTH, BODY_HEIGHT,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")


# ---------------------------------------------------------------- page 1: the notice's table

def _form_page(campaign: Campaign, data: dict, nomination_id: str, reference: str, styles: dict) -> list:
    is_team = data.get("nominee_kind") == "team"
    if is_team:
        nominee_rows = _team_rows(data.get("team") or {}, styles)
    else:
        nominee_rows = _person_rows(data.get("person") or {}, styles)
    unit_opinion = OpinionSpace(UNIT_OPINION_HEIGHT, _unit_opinion_hint(campaign, data), styles)
    committee_opinion = OpinionSpace(COMMITTEE_OPINION_HEIGHT, "由评审组委员会填写，申报人请勿填写", styles)
    rows = [
        *nominee_rows,
        _spanning_row("所属业务领域", DomainChoices(campaign.domains, data.get("domain"), styles["choice"]), styles),
        _spanning_row("申报人单位意见", unit_opinion, styles),
        _spanning_row("评审组委员会意见", committee_opinion, styles),
        _spanning_row("特别说明", [Paragraph(escape(text), styles["note"]) for text in special_notes(campaign)], styles),
    ]
    return [
        _header(campaign, nomination_id, reference, styles),
        Spacer(1, 2 * mm),
        _recommender_line(campaign, data, styles),
        Spacer(1, 1.5 * mm),
        _form_table(rows, photo_rows=0 if is_team else 4),
    ]


def _header(campaign: Campaign, nomination_id: str, reference: str, styles: dict) -> Table:
    title = [
        *[Paragraph(escape(line), styles["title"]) for line in title_lines(campaign.name)],
        Paragraph(escape(f"{campaign.organiser} {campaign.document_number} 附件"), styles["subtitle"]),
    ]
    if campaign.is_demo:
        title.append(Paragraph("演示活动生成的样表，不作为正式报名材料", styles["demo"]))
    code = [QrCode(expected_qr_text(nomination_id), QR_SIZE),
            Paragraph(f"申报编号<br/>{escape(reference)}", styles["reference"])]
    side = QR_SIZE + 2 * mm
    return _table([["", title, code]], (side, BODY_WIDTH - 2 * side, side), [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ])


def title_lines(campaign_name: str) -> list[str]:
    """The notice's title, broken where the notice breaks it: after the quoted honour, if there is one."""
    head, quote, tail = campaign_name.rpartition("”")
    if quote and head and tail:
        return [head + quote, f"{tail}报名表"]
    return [f"{campaign_name}报名表"]


def _recommender_line(campaign: Campaign, data: dict, styles: dict) -> Table:
    channel = campaign.channel(data["channel"]) if data.get("channel") in campaign.channel_codes else None
    shown = channel_name(channel, data.get("nominee_kind", "")) if channel else ""
    recommender = data.get("recommender") or (f"（{shown}，无推荐单位）" if channel and channel.is_self_nomination else "")
    cells = [
        Paragraph(f"推荐单位：<u>{escape(recommender) or '　' * 12}</u>", styles["cell"]),
        Paragraph(f"推荐渠道：{escape(shown)}", styles["cell_right"]),
    ]
    return _table([cells], (BODY_WIDTH * 0.62, BODY_WIDTH * 0.38),
                  [("LEFTPADDING", (0, 0), (0, 0), 0), ("RIGHTPADDING", (-1, 0), (-1, 0), 0)])


def _person_rows(person: dict, styles: dict) -> list[list]:
    def value(key: str) -> Paragraph:
        return _value(person.get(key), styles)

    return [
        [_label("姓　　名", styles), value("name"), _label("性　　别", styles), value("gender"),
         Paragraph("一寸免冠照", styles["photo"])],
        [_label("民　　族", styles), value("ethnic_group"), _label("年　　龄", styles), value("age"), ""],
        [_label("政治面貌", styles), _value(_political_status(person.get("political_status")), styles),
         _label("联系电话", styles), value("phone"), ""],
        [_label("邮　　箱", styles), value("email"), "", "", ""],
        [_label("单位名称<br/>（填写至部门）", styles), _value(_unit(person), styles),
         _label("职务/职称", styles), value("position"), ""],
        [_label("通讯地址", styles), value("address"), _label("邮　　编", styles), value("postcode"), ""],
    ]


def _team_rows(team: dict, styles: dict) -> list[list]:
    leader = team.get("leader") or {}
    members = team.get("members") or []
    roster = team_roster(members)
    if not _fits_in_lines(roster, styles["cell"], sum(COLUMNS[1:]) - 12, ROSTER_LINES_ON_FORM):
        roster = f"共 {len(members)} 人，完整名单见第 2 页"
    return [
        [_label("团队名称", styles), _value(team.get("name"), styles), "", "", ""],
        [_label("负 责 人", styles), _value(leader.get("name"), styles), _label("职务/职称", styles),
         _value(leader.get("position"), styles), ""],
        [_label("联系电话", styles), _value(leader.get("phone"), styles), _label("邮　　箱", styles),
         _value(leader.get("email"), styles), ""],
        [_label("单位名称<br/>（填写至部门）", styles), _value(_unit(team), styles), "", "", ""],
        [_label(f"团队成员<br/>（{len(members)} 人）", styles), _value(roster, styles), "", "", ""],
        [_label("通讯地址", styles), _value(team.get("address"), styles), _label("邮　　编", styles),
         _value(team.get("postcode"), styles), ""],
    ]


def team_roster(members: list[dict]) -> str:
    return "、".join(
        f"{member.get('name', '')}（{member['role']}）" if member.get("role") else member.get("name", "")
        for member in members
    )


def _fits_in_lines(text: str, style: ParagraphStyle, width: float, lines: int) -> bool:
    paragraph = Paragraph(escape(text), style)
    _, height = paragraph.wrap(width, PAGE_HEIGHT)
    return height <= lines * style.leading + 0.1


def _spanning_row(label: str, content, styles: dict) -> list:
    return [_label(label, styles), content, "", "", ""]


def _form_table(rows: list[list], photo_rows: int) -> Table:
    """NOMINEE_ROWS rows of the person (4 beside the photo box) or the team, then rows spanning the width."""
    spanning = range(NOMINEE_ROWS, len(rows))
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * mm),
        ("LEFTPADDING", (0, 0), (0, -1), 1 * mm),
        ("RIGHTPADDING", (0, 0), (0, -1), 1 * mm),
    ]
    if photo_rows:
        commands += [
            ("SPAN", (4, 0), (4, photo_rows - 1)),
            ("SPAN", (1, photo_rows - 1), (3, photo_rows - 1)),  # 邮箱
            ("SPAN", (3, photo_rows), (4, photo_rows)),  # 职务/职称
            ("SPAN", (3, photo_rows + 1), (4, photo_rows + 1)),  # 邮编
        ]
    else:
        commands += [
            ("SPAN", (1, 0), (4, 0)),  # 团队名称
            ("SPAN", (3, 1), (4, 1)),
            ("SPAN", (3, 2), (4, 2)),
            ("SPAN", (1, 3), (4, 3)),  # 单位名称
            ("SPAN", (1, 4), (4, 4)),  # 团队成员
            ("SPAN", (3, 5), (4, 5)),
        ]
    commands += [("SPAN", (1, row), (4, row)) for row in spanning]
    commands += [("TOPPADDING", (1, row), (4, row), 1.5 * mm) for row in spanning]
    commands += [("BOTTOMPADDING", (1, row), (4, row), 1.5 * mm) for row in spanning]
    return _table(rows, COLUMNS, commands)


def _table(rows: list[list], widths: tuple[float, ...], commands: list, repeat_rows: int = 0) -> Table:
    """A table whose empty cells use the CJK font too, so that no unembedded font gets into the PDF."""
    table = Table(rows, colWidths=widths, repeatRows=repeat_rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), *commands]))
    return table


def _label(text: str, styles: dict) -> Paragraph:
    return Paragraph(text, styles["label"])


def _value(value, styles: dict) -> Paragraph:
    return Paragraph(escape("" if value is None else str(value)), styles["cell"])


def _unit(section: dict) -> str:
    return " ".join(part for part in (section.get("unit"), section.get("department")) if part)


def _political_status(name: str | None) -> str:
    status = political_status_by_any_name(name) if name else None
    return status.short_name if status else (name or "")


def _unit_opinion_hint(campaign: Campaign, data: dict) -> str:
    channel_code = data.get("channel")
    if channel_code in campaign.channel_codes and campaign.channel(channel_code).requires_unit_seal_for_validity:
        shown = channel_name(campaign.channel(channel_code), data.get("nominee_kind", ""))
        return f"{shown}须由申报人所在单位签署意见并加盖公章，方为有效报名"
    return "由申报人所在单位（或部门）签署意见并加盖公章"


def special_notes(campaign: Campaign) -> list[str]:
    """The notice's 特别说明, with this campaign's figures."""
    site = campaign.submission_channel_url.removeprefix("https://").removeprefix("http://").rstrip("/")
    where = f"{campaign.organiser}官网（{site}）" if site else "线上报名页面"
    certificates = _certificate_count(campaign)
    attach = f"并附{_chinese_count(certificates)}份最高荣誉证书扫描件，" if certificates else ""
    closes = campaign.submission.closes_at
    notes = [
        f"申报人须在{where}《{campaign.name}》专题页面中，认真如实填写报名表中相关内容。",
        f"“{campaign.short_name}事迹材料”、“曾获各级各类媒体平台表彰与奖励情况”两项内容均以线上报名填写信息为准。",
        f"纸质报名表需加盖单位公章{attach}一并上传至专题页面相应模块中。",
        f"线上报名与提交材料截止日期：{closes.year}年{closes.month}月{closes.day}日。",
    ]
    if campaign.excluded_campaigns:
        names = "与".join(excluded.name for excluded in campaign.excluded_campaigns)
        notes.append(f"已经获得协会通报表扬的{names}的个人与集体，不予以参与“{campaign.short_name}”的推举活动。")
    return [f"{_chinese_ordinal(number)}、{text}" for number, text in enumerate(notes, start=1)]


def _certificate_count(campaign: Campaign) -> int:
    try:
        return campaign.upload("certificate").min_count
    except KeyError:
        return 0


def _chinese_count(number: int) -> str:
    return {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"}.get(number, str(number))


def _chinese_ordinal(number: int) -> str:
    return "一二三四五六七八九十"[number - 1] if 1 <= number <= 10 else str(number)


# ---------------------------------------------------------------- following pages: R8 texts

def _online_texts_pages(campaign: Campaign, data: dict, styles: dict, status_url: str | None) -> list:
    story = [
        Paragraph("事迹材料及媒体平台表彰与奖励情况", styles["heading"]),
        Paragraph(escape(_nominee_line(data)), styles["cell_centre"]),
        Spacer(1, 1.5 * mm),
        Paragraph(ONLINE_TEXT_IS_AUTHORITATIVE, styles["authority"]),
        *_roster_section(data, styles),
        Spacer(1, 3 * mm),
        Paragraph(escape(f"{campaign.short_name}事迹材料"), styles["subheading"]),
        *[Paragraph(escape(line), styles["body"]) for line in _paragraphs(data.get("deeds") or "")],
        Spacer(1, 4 * mm),
        Paragraph("曾获各级各类媒体平台表彰与奖励情况", styles["subheading"]),
        _honours_table(data.get("media_honours") or [], styles),
    ]
    if status_url:
        story += [Spacer(1, 6 * mm),
                  Paragraph(f"线上查看报名进度：{escape(status_url)}", styles["small"])]
    return story


def _roster_section(data: dict, styles: dict) -> list:
    if data.get("nominee_kind") != "team":
        return []
    members = (data.get("team") or {}).get("members") or []
    return [
        Spacer(1, 4 * mm),
        Paragraph(f"团队成员名单（{len(members)} 人）", styles["subheading"]),
        Paragraph(escape(team_roster(members)), styles["cell"]),
    ]


def _nominee_line(data: dict) -> str:
    if data.get("nominee_kind") == "team":
        return f"推荐团队：{(data.get('team') or {}).get('name', '')}"
    return f"被推荐人：{(data.get('person') or {}).get('name', '')}"


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] or ["（未填写）"]


def _honours_table(honours: list[dict], styles: dict):
    if not honours:
        return Paragraph("（无）", styles["body"])
    header = [Paragraph(text, styles["label"]) for text in ("序号", "表彰或奖励名称", "级别", "颁发单位", "获得日期")]
    rows = [
        [Paragraph(str(number), styles["cell_centre"]), _value(honour.get("title"), styles),
         _value(honour.get("level"), styles), _value(honour.get("issuer"), styles),
         _value(_date_text(honour.get("date")), styles)]
        for number, honour in enumerate(honours, start=1)
    ]
    return _table([header, *rows], (12 * mm, 60 * mm, 20 * mm, 52 * mm, 30 * mm), [
        ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8 * mm),
    ], repeat_rows=1)


def _date_text(value) -> str:
    """2022年5月1日, from a date or from the ISO text stored data holds."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


# ---------------------------------------------------------------- every page

def _page_decoration(campaign: Campaign, reference: str):
    footer = f"申报编号：{reference}　·　本表由推举系统依据线上填写内容生成"

    def decorate(canvas, document) -> None:
        canvas.saveState()
        if campaign.is_demo:
            _watermark(canvas)
        canvas.setFont(FONT_NAME, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 7 * mm, footer)
        canvas.restoreState()

    return decorate


class PageCountingCanvas(Canvas):
    """Holds each page until the last is drawn, then numbers them all `第 n / N 页`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for page in self._pages:
            self.__dict__.update(page)
            self.saveState()
            self.setFont(FONT_NAME, 7.5)
            self.setFillColor(GREY)
            self.drawRightString(PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM - 7 * mm, f"第 {self._pageNumber} / {total} 页")
            self.restoreState()
            super().showPage()
        super().save()


def _watermark(canvas) -> None:
    canvas.setFillColor(WATERMARK_GREY)
    canvas.setFont(FONT_NAME, 34)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(35)
    for offset in (-80 * mm, 0, 80 * mm):
        canvas.drawCentredString(0, offset, "演示 · 非正式报名表")
    canvas.rotate(-35)
    canvas.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)


# ---------------------------------------------------------------- drawn pieces

class QrCode(Flowable):
    """A vector QR code of `size` points square, quiet zone included."""

    def __init__(self, text: str, size: float):
        super().__init__()
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
        code.add_data(text)
        code.make(fit=True)
        self.matrix = code.get_matrix()
        self.width = self.height = size

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        module = self.width / len(self.matrix)
        path = self.canv.beginPath()
        for row_number, row in enumerate(self.matrix):
            y = self.height - (row_number + 1) * module
            for start, length in _dark_runs(row):
                path.rect(start * module, y, length * module, module)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules, so that neighbours print as one rectangle."""
    runs, start = [], None
    for index, dark in enumerate([*row, False]):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


class DomainChoices(Flowable):
    """The business domains as check boxes in reading order, the chosen one ticked."""

    BOX, GAP, ITEM_GAP, LINE = 3.4 * mm, 1.2 * mm, 4.5 * mm, 6.2 * mm

    def __init__(self, domains: tuple[str, ...], chosen: str | None, style: ParagraphStyle):
        super().__init__()
        self.domains, self.chosen, self.style = domains, chosen, style
        self.places: list[tuple[float, int]] = []

    def wrap(self, avail_width, avail_height):
        self.width, self.places = avail_width, []
        x, line = 0.0, 0
        for domain in self.domains:
            item = self._item_width(domain)
            if x and x + item > avail_width:
                x, line = 0.0, line + 1
            self.places.append((x, line))
            x += item + self.ITEM_GAP
        self.height = (line + 1) * self.LINE
        return self.width, self.height

    def _item_width(self, domain: str) -> float:
        return self.BOX + self.GAP + pdfmetrics.stringWidth(domain, self.style.fontName, self.style.fontSize)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setLineWidth(0.7)
        for domain, (x, line) in zip(self.domains, self.places):
            y = self.height - (line + 1) * self.LINE + (self.LINE - self.BOX) / 2
            canvas.rect(x, y, self.BOX, self.BOX, stroke=1, fill=0)
            if domain == self.chosen:
                self._tick(x, y)
            canvas.drawString(x + self.BOX + self.GAP, y + 0.5, domain)

    def _tick(self, x: float, y: float) -> None:
        box, canvas = self.BOX, self.canv
        canvas.saveState()
        canvas.setLineWidth(1.3)
        path = canvas.beginPath()
        path.moveTo(x + box * 0.18, y + box * 0.55)
        path.lineTo(x + box * 0.42, y + box * 0.22)
        path.lineTo(x + box * 0.85, y + box * 0.88)
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()


class OpinionSpace(Flowable):
    """Blank room for an opinion, a signature and a seal: a hint at the top, （盖章） and the date at the foot."""

    def __init__(self, height: float, hint: str, styles: dict):
        super().__init__()
        self.height, self.hint = height, hint
        self.hint_style, self.style = styles["hint"], styles["cell"]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return self.width, self.height

    def draw(self) -> None:
        canvas, right = self.canv, self.width - 4 * mm
        canvas.setFillColor(GREY)
        canvas.setFont(self.hint_style.fontName, self.hint_style.fontSize)
        canvas.drawString(0, self.height - self.hint_style.fontSize, self.hint)
        canvas.setFillColor(colors.black)
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.drawRightString(right, 8 * mm, "（盖章）")
        canvas.drawRightString(right, 1.5 * mm, "年　　　月　　　日")


# ---------------------------------------------------------------- styles

def _styles(font: str) -> dict[str, ParagraphStyle]:
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
