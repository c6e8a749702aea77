"""The secretariat's import of recommending organisations (R2a, R2b, R2d): one organisation a row.

`parse_organisations(filename, data, campaign)` reads a CSV (UTF-8 with or without BOM, or GB18030 as
Excel saves "CSV" on a Chinese Windows) or an XLSX file, and returns the good rows and, for the others,
Chinese problems naming the row and column as the spreadsheet shows them: `第 5 行「邮箱」：格式不正确`.
A row with any problem is left out of `rows`. Quotas are not in the file: they come from the campaign.
`organisations_template_xlsx()` is the workbook the secretariat downloads to fill in.
"""
import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import islice

import openpyxl
from marshmallow import ValidationError
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from shared.campaign.model import Campaign, Channel
from services.intake.schemas import EmailAddress, PhoneNumber

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 5
NAME_MAX_CHARS = 200
CONTACT_MAX_CHARS = 100
EXAMPLE_PREFIX = "示例"
MEMBER_UNIT_SEPARATORS = re.compile(r"[；;，,\r\n]+")
# The organisation types the notice names, whatever one campaign's channels are.
KNOWN_TYPES = {
    "local_association": "地方教育后勤社团组织",
    "council_unit": "理事单位",
    "member_unit": "会员单位",
    "branch": "分支机构",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_header_key(name) for name in (self.key, self.label, *self.aliases)}


COLUMNS = (
    Column("name", "单位名称", True, ("单位", "推荐单位", "组织名称")),
    Column("type", "类型", True, ("单位类型", "组织类型", "推荐渠道")),
    Column("contact_name", "联系人", False, ("联系人姓名", "contact")),
    Column("email", "邮箱", True, ("电子邮箱", "电子邮件", "e-mail", "mail")),
    Column("phone", "电话", False, ("联系电话", "手机", "手机号码")),
    Column("member_units", "委员单位", False, ("委员单位名单", "member units")),
)
LABELS = {column.key: column.label for column in COLUMNS}


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    type: str  # the code of the campaign channel the organisation recommends through
    contact_name: str
    email: str  # lower case: the organisation's login, unique in the campaign
    phone: str
    member_units: tuple[str, ...]
    quota: int | None  # the campaign's quota for the channel


@dataclass
class ImportResult:
    rows: list[OrganisationRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message says why and what to do, in Chinese."""


# ---------------------------------------------------------------- parsing

def parse_organisations(filename: str, data: bytes, campaign: Campaign) -> ImportResult:
    try:
        rows = read_rows(filename, data)
        header_number, columns = find_header(rows)
    except UnreadableFile as error:
        return ImportResult(problems=[str(error)])
    data_rows = [(number, cells) for number, cells in rows if number > header_number and any(cells)]
    return _parse_rows(data_rows, columns, campaign)


def _parse_rows(data_rows: list[tuple[int, list[str]]], columns: dict[str, int], campaign: Campaign) -> ImportResult:
    if not data_rows:
        return ImportResult(problems=["文件中没有单位数据：请在表头下每行填写一个单位"])
    if len(data_rows) > MAX_ROWS:
        return ImportResult(problems=[f"一次最多导入 {MAX_ROWS} 个单位（文件中有 {len(data_rows)} 行），请分批导入"])
    result = ImportResult()
    first_row_of_email: dict[str, int] = {}
    for number, cells in data_rows:
        values = {key: _cell(cells, position) for key, position in columns.items()}
        row, problems = _organisation(values, campaign)
        email = _email_key(values.get("email", ""))
        if email in first_row_of_email:
            problems.append(("email", f"与第 {first_row_of_email[email]} 行重复（{email}），每个单位须使用不同的邮箱"))
            row = None
        elif email:
            first_row_of_email[email] = number
        result.problems += [_problem(number, column, reason) for column, reason in problems]
        if row is not None:
            result.rows.append(row)
    return result


def _organisation(values: dict[str, str], campaign: Campaign) -> tuple[OrganisationRow | None, list[tuple]]:
    """The row if every field is right, else None; with the problems as (column key or None, reason)."""
    if values.get("name", "").startswith(EXAMPLE_PREFIX):
        return None, [(None, "这是模板中的示例行，请删除后再导入")]
    problems: list[tuple[str | None, str]] = []

    def check(key: str, read):
        try:
            return read(values.get(key, ""))
        except ValueError as error:
            problems.append((key, str(error)))
            return None

    name = check("name", _name)
    channel = check("type", lambda text: _channel(text, campaign))
    contact_name = check("contact_name", _contact_name)
    email = check("email", _email)
    phone = check("phone", _phone)
    member_units = check("member_units", lambda text: _member_units(text, channel, campaign))
    if problems:
        return None, problems
    row = OrganisationRow(name, channel.code, contact_name, email, phone, member_units, channel.quota)
    return row, problems


def _email_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _problem(row_number: int, column_key: str | None, reason: str) -> str:
    if column_key is None:
        return f"第 {row_number} 行：{reason}"
    return f"第 {row_number} 行「{LABELS[column_key]}」：{reason}"


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


# ---------------------------------------------------------------- one field each

def _name(text: str) -> str:
    if not text:
        raise ValueError("必填，请填写单位全称")
    if len(text) > NAME_MAX_CHARS:
        raise ValueError(f"不能超过 {NAME_MAX_CHARS} 个字")
    return text


def _channel(text: str, campaign: Campaign) -> Channel:
    wanted = _type_key(text)
    if not wanted:
        raise ValueError(f"必填，请填写 {_type_choices(campaign)} 之一")
    for channel in campaign.channels:
        if wanted in {_type_key(name) for name in (channel.code, channel.organisation_type, channel.name)}:
            if channel.is_self_nomination:
                raise ValueError(f"“{text}”不经推荐单位推荐，无需导入")
            return channel
    for code, name in KNOWN_TYPES.items():
        if wanted in (code, _type_key(name)):
            raise ValueError(f"本次活动没有“{name}”推荐渠道，请填写 {_type_choices(campaign)} 之一")
    raise ValueError(f"无法识别“{text}”，请填写 {_type_choices(campaign)} 之一")


def _type_choices(campaign: Campaign) -> str:
    return "、".join(channel.organisation_type for channel in campaign.channels if not channel.is_self_nomination)


def _type_key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).lower()


def _contact_name(text: str) -> str:
    if len(text) > CONTACT_MAX_CHARS:
        raise ValueError(f"不能超过 {CONTACT_MAX_CHARS} 个字")
    return text


def _email(text: str) -> str:
    if not text:
        raise ValueError("必填，作为单位登录账号和接收通知的邮箱")
    try:
        return EmailAddress("邮箱").deserialize(_email_key(text))
    except ValidationError:
        raise ValueError(f"格式不正确（{text}），应如 name@example.com") from None


def _phone(text: str) -> str:
    if not text:
        return ""
    try:
        return PhoneNumber("电话", landline=True).deserialize(text)
    except ValidationError:
        raise ValueError(f"格式不正确（{text}），请填写 11 位手机号码或带区号的固定电话，如 010-62512345") from None


def _member_units(text: str, channel: Channel | None, campaign: Campaign) -> tuple[str, ...]:
    units = tuple(dict.fromkeys(unit.strip() for unit in MEMBER_UNIT_SEPARATORS.split(text) if unit.strip()))
    needs_units = channel is not None and channel.nominees_from_member_units
    if needs_units and not units:
        raise ValueError(f"{channel.organisation_type}须填写委员单位名单（以分号、逗号或换行分隔），其推荐对象只能来自委员单位")
    if channel is not None and not needs_units and units:
        holders = "、".join(c.organisation_type for c in campaign.channels if c.nominees_from_member_units)
        raise ValueError(f"只有{holders or '分支机构'}填写委员单位，{channel.organisation_type}请留空")
    return units


# ---------------------------------------------------------------- reading the file

def read_rows(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells as stripped text) of the first sheet, or of the CSV, numbered as Excel shows them."""
    if not data.strip():
        raise UnreadableFile("文件是空的，请选择填写好的 .xlsx 或 CSV 文件")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    return list(enumerate(rows, start=1))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged upload fails in many ways inside zipfile and openpyxl
        raise UnreadableFile("无法读取该 Excel 文件，请确认是 .xlsx 格式，或另存为 CSV 后再导入") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some generators write a wrong size; read every cell there is
        rows = islice(sheet.iter_rows(values_only=True), MAX_ROWS + HEADER_SEARCH_ROWS + 1)
        return [[_text(value) for value in row] for row in rows]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    return str(value).strip()


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[cell.strip() for cell in row] for row in islice(reader, MAX_ROWS + HEADER_SEARCH_ROWS + 1)]
    except csv.Error:
        raise UnreadableFile("CSV 文件格式不正确（引号不成对？），请在 Excel 中重新另存为 CSV") from None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else GB18030."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        raise UnreadableFile("文件的文字编码有误，请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再导入") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别文件的文字编码，请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再导入")


def _header_key(text: str) -> str:
    """`邮箱*`, `邮箱（必填）`, ` Email ` all read as the same column."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\(.*?\)|\*", "", text)
    return re.sub(r"\s", "", text).lower()


def find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int]]:
    """The header's row number and each known column's position. The header is the first row naming
    the required columns among the first few filled rows (a title row above it is allowed)."""
    filled = [(number, cells) for number, cells in rows if any(cells)][:HEADER_SEARCH_ROWS]
    if not filled:
        raise UnreadableFile("文件是空的，请选择填写好的 .xlsx 或 CSV 文件")
    for number, cells in filled:
        positions = _column_positions(cells)
        if not _missing_columns(positions):
            return number, positions
    number, cells = filled[0]
    missing = "」「".join(_missing_columns(_column_positions(cells)))
    expected = "、".join(column.label for column in COLUMNS)
    raise UnreadableFile(f"第 {number} 行表头缺少「{missing}」列；表头应为：{expected}（可下载导入模板）")


def _column_positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = _header_key(cell)
        column = next((column for column in COLUMNS if key in column.names()), None)
        if column is not None and column.key not in positions:
            positions[column.key] = position
    return positions


def _missing_columns(positions: dict[str, int]) -> list[str]:
    return [column.label for column in COLUMNS if column.required and column.key not in positions]


# ---------------------------------------------------------------- the template

TEMPLATE_EXAMPLE = (
    f"{EXAMPLE_PREFIX}：某某省高校后勤协会（导入前请删除本行）",
    KNOWN_TYPES["local_association"],
    "张三",
    "houqin@example.org",
    "010-62512345",
    "",
)
TEMPLATE_NOTES = (
    "每行填写一个推荐单位；第 1 行表头请勿修改。",
    "类型：地方教育后勤社团组织、理事单位、会员单位、分支机构 四选一（各类型的推荐名额按活动规定）。",
    "邮箱：单位的登录账号和通知邮箱，每个单位须不同。",
    "电话：11 位手机号码，或带区号的固定电话，如 010-62512345。",
    "委员单位：仅分支机构填写，多个单位之间用分号、逗号或换行分隔；分支机构只能在委员单位范围内推荐。",
    "第 2 行为示例，导入前请删除。保存为 .xlsx，或在 Excel 中另存为“CSV UTF-8”。",
)
TEMPLATE_WIDTHS = (36, 22, 12, 28, 16, 48)


def organisations_template_xlsx(campaign: Campaign | None = None) -> bytes:
    """The import template: header row, one example row, a drop-down for 类型, and a sheet of notes.
    With a campaign, the drop-down offers its organisation types and the notes give its quotas."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "推荐单位"
    sheet.append([column.label for column in COLUMNS])
    sheet.append(list(TEMPLATE_EXAMPLE))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for letter, width in zip("ABCDEF", TEMPLATE_WIDTHS):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    types = _template_types(campaign)
    choice = DataValidation(type="list", formula1=f'"{",".join(types)}"', allow_blank=False)
    choice.error, choice.errorTitle = f"请选择：{'、'.join(types)}", "类型不正确"
    choice.add(f"B2:B{MAX_ROWS + 1}")
    sheet.add_data_validation(choice)
    notes = workbook.create_sheet("填写说明")
    for line in (*TEMPLATE_NOTES, *_quota_notes(campaign)):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template_types(campaign: Campaign | None) -> list[str]:
    if campaign is None:
        return list(KNOWN_TYPES.values())
    return [channel.organisation_type for channel in campaign.channels if not channel.is_self_nomination]


def _quota_notes(campaign: Campaign | None) -> list[str]:
    if campaign is None:
        return []
    return [
        f"{campaign.short_name}：{channel.organisation_type}每个单位可推荐 {channel.quota} 名。"
        for channel in campaign.channels
        if not channel.is_self_nomination and channel.quota is not None
    ]
