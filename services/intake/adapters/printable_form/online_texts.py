"""The pages after the form (R8): the deeds, the media honours and a team's roster, printed for reference
(the online text is authoritative)."""
import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from services.intake.adapters.printable_form.form_page import team_roster
from services.intake.adapters.printable_form.layout import ONLINE_TEXT_IS_AUTHORITATIVE, table, value_cell
from shared.campaign.model import Campaign


def online_texts_pages(campaign: Campaign, data: dict, styles: dict, status_url: str | None) -> list:
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
        [Paragraph(str(number), styles["cell_centre"]), value_cell(honour.get("title"), styles),
         value_cell(honour.get("level"), styles), value_cell(honour.get("issuer"), styles),
         value_cell(_date_text(honour.get("date")), styles)]
        for number, honour in enumerate(honours, start=1)
    ]
    return table([header, *rows], (12 * mm, 60 * mm, 20 * mm, 52 * mm, 30 * mm), [
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
