"""Page 1: the notice's table, filled from the nomination, with room for the unit's and the committee's
opinions and the notice's 特别说明."""
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from services.intake.adapters.printable_form.drawings import DomainChoices, OpinionSpace, QrCode
from services.intake.adapters.printable_form.layout import (BODY_WIDTH, COLUMNS, COMMITTEE_OPINION_HEIGHT, NOMINEE_ROWS,
                                                           PAGE_HEIGHT, QR_SIZE, ROSTER_LINES_ON_FORM,
                                                           UNIT_OPINION_HEIGHT, label_cell, table, value_cell)
from shared.campaign.model import Campaign
from shared.reference import political_status_label
from shared.scans.qr import expected_qr_text


def form_page(campaign: Campaign, data: dict, nomination_id: str, reference: str, styles: dict) -> list:
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
    return table([["", title, code]], (side, BODY_WIDTH - 2 * side, side), [
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
    shown = channel.name_for(data.get("nominee_kind", "")) if channel else ""
    recommender = data.get("recommender") or (f"（{shown}，无推荐单位）" if channel and channel.is_self_nomination else "")
    cells = [
        Paragraph(f"推荐单位：<u>{escape(recommender) or '　' * 12}</u>", styles["cell"]),
        Paragraph(f"推荐渠道：{escape(shown)}", styles["cell_right"]),
    ]
    return table([cells], (BODY_WIDTH * 0.62, BODY_WIDTH * 0.38),
                  [("LEFTPADDING", (0, 0), (0, 0), 0), ("RIGHTPADDING", (-1, 0), (-1, 0), 0)])


def _person_rows(person: dict, styles: dict) -> list[list]:
    def value(key: str) -> Paragraph:
        return value_cell(person.get(key), styles)

    return [
        [label_cell("姓　　名", styles), value("name"), label_cell("性　　别", styles), value("gender"),
         Paragraph("一寸免冠照", styles["photo"])],
        [label_cell("民　　族", styles), value("ethnic_group"), label_cell("年　　龄", styles), value("age"), ""],
        [label_cell("政治面貌", styles), value_cell(_political_status(person.get("political_status")), styles),
         label_cell("联系电话", styles), value("phone"), ""],
        [label_cell("邮　　箱", styles), value("email"), "", "", ""],
        [label_cell("单位名称<br/>（填写至部门）", styles), value_cell(_unit(person), styles),
         label_cell("职务/职称", styles), value("position"), ""],
        [label_cell("通讯地址", styles), value("address"), label_cell("邮　　编", styles), value("postcode"), ""],
    ]


def _team_rows(team: dict, styles: dict) -> list[list]:
    leader = team.get("leader") or {}
    members = team.get("members") or []
    roster = team_roster(members)
    if not _fits_in_lines(roster, styles["cell"], sum(COLUMNS[1:]) - 12, ROSTER_LINES_ON_FORM):
        roster = f"共 {len(members)} 人，完整名单见第 2 页"
    return [
        [label_cell("团队名称", styles), value_cell(team.get("name"), styles), "", "", ""],
        [label_cell("负 责 人", styles), value_cell(leader.get("name"), styles), label_cell("职务/职称", styles),
         value_cell(leader.get("position"), styles), ""],
        [label_cell("联系电话", styles), value_cell(leader.get("phone"), styles), label_cell("邮　　箱", styles),
         value_cell(leader.get("email"), styles), ""],
        [label_cell("单位名称<br/>（填写至部门）", styles), value_cell(_unit(team), styles), "", "", ""],
        [label_cell(f"团队成员<br/>（{len(members)} 人）", styles), value_cell(roster, styles), "", "", ""],
        [label_cell("通讯地址", styles), value_cell(team.get("address"), styles), label_cell("邮　　编", styles),
         value_cell(team.get("postcode"), styles), ""],
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
    return [label_cell(label, styles), content, "", "", ""]


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
    return table(rows, COLUMNS, commands)


def _unit(section: dict) -> str:
    return " ".join(part for part in (section.get("unit"), section.get("department")) if part)


def _political_status(name: str | None) -> str:
    return political_status_label(name)


def _unit_opinion_hint(campaign: Campaign, data: dict) -> str:
    channel_code = data.get("channel")
    if channel_code in campaign.channel_codes and campaign.channel(channel_code).requires_unit_seal_for_validity:
        shown = campaign.channel(channel_code).name_for(data.get("nominee_kind", ""))
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
