"""The secretariat's export of nominations as an Excel workbook, written row by row (openpyxl's write-only
mode keeps memory flat however many nominations there are) into a temporary file that is then sent in
chunks.

Every value an applicant typed is written as text, never as a formula: a name starting with `=` stays
that name in Excel (the usual spreadsheet-injection hole).
"""
from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, BinaryIO, Iterable, Iterator

from shared.campaign.form_fields import PERSON_FIELDS
from shared.campaign.model import Campaign
from shared.reference import political_status_label
from shared.spreadsheets import ILLEGAL_IN_CELL

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024
LEADING = ("申报编号", "状态", "推荐对象类型", "姓名/团队名称", "推荐渠道", "推荐单位", "所属业务领域", "单位名称")
PERSON_COLUMNS = tuple(path for path in PERSON_FIELDS if path not in ("person.name", "person.unit"))
TRAILING = ("团队负责人", "团队成员", "联系人", "联系人手机", "联系人邮箱", "事迹材料", "曾获媒体平台表彰与奖励情况",
            "提示", "版本", "提交时间（北京时间）", "创建时间（北京时间）")
HEADER = (*LEADING, *(PERSON_FIELDS[path] for path in PERSON_COLUMNS), *TRAILING)
WIDTHS = {"申报编号": 12, "姓名/团队名称": 16, "推荐单位": 24, "单位名称": 24, "事迹材料": 60,
          "曾获媒体平台表彰与奖励情况": 40, "通讯地址": 30, "邮箱": 24, "联系人邮箱": 24}


def nominations_workbook(rows: Iterable[list], sheet_title: str) -> BinaryIO:
    """A workbook of the header and `rows` (lists of cell values), rewound, in a temporary file."""
    from openpyxl import Workbook  # loaded by the first export, not by every web process

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    for position, title in enumerate(HEADER):
        sheet.column_dimensions[_letter(position)].width = WIDTHS.get(title, 14)
    sheet.freeze_panes = "B2"
    sheet.append([_cell(sheet, title, bold=True) for title in HEADER])
    for values in rows:
        sheet.append([_value(sheet, value) for value in values])
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    book.save(spool)
    spool.seek(0)
    return spool


def chunks(file: BinaryIO) -> Iterator[bytes]:
    try:
        while block := file.read(CHUNK):
            yield block
    finally:
        file.close()


def export_row(campaign: Campaign, listed, data: dict, version: int, state_name: str, flags: str,
               when) -> list:
    """One nomination as a row under HEADER; `when` formats a time in Beijing time."""
    person = data.get("person") or {}
    team = data.get("team") or {}
    contact = data.get("contact") or {}
    leader = team.get("leader") or {}
    return [
        listed.reference, state_name, "团队" if listed.nominee_kind == "team" else "个人", listed.name,
        campaign.channel(listed.channel).name, listed.organisation or "", listed.domain or "未选择", listed.unit,
        *(_person_value(person, path) for path in PERSON_COLUMNS),
        " ".join(str(leader.get(key) or "") for key in ("name", "phone", "email")).strip(),
        "、".join(f"{m.get('name') or ''}（{m.get('role') or ''}）" for m in team.get("members") or []),
        contact.get("name"), contact.get("phone"), contact.get("email"), data.get("deeds"),
        "；".join(_honour(h) for h in data.get("media_honours") or []),
        flags, version, when(listed.submitted_at), when(listed.created_at),
    ]


def _person_value(person: dict, path: str):
    """As the form showed it: 政治面貌 by the name the applicant chose (中共党员), not its full name."""
    key = path.split(".")[1]
    return political_status_label(person.get(key)) if key == "political_status" else person.get(key)


def _honour(honour: dict) -> str:
    details = "，".join(str(honour.get(key)) for key in ("level", "issuer", "date") if honour.get(key))
    return f"{honour.get('title') or ''}（{details}）" if details else str(honour.get("title") or "")


def _value(sheet, value):
    """The value as openpyxl writes it: plain (fast), but a text openpyxl would take for a formula goes in a
    cell typed as text."""
    if isinstance(value, str):
        value = ILLEGAL_IN_CELL.sub("", value)
        if value.startswith("="):
            return _cell(sheet, value)
    return "" if value is None else value


def _cell(sheet, value, bold: bool = False) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, str):
        value = ILLEGAL_IN_CELL.sub("", value)  # control characters cannot be stored in a workbook
    cell = WriteOnlyCell(sheet, value="" if value is None else value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


def _letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)
