"""The secretariat's import of recommending organisations (R2a, R2b, R2d): the rules of one organisation a row.

`check_organisations(rows, campaign)` takes the rows as adapters/spreadsheets reads them ((row number,
{column key: text})) and returns the good rows and, for the others, problems (message codes) naming the row and
column as the spreadsheet shows them: `第 5 行「邮箱」：格式不正确`. A row with any problem is left out of `rows`.
Quotas are not in the file: they come from the campaign. `TEMPLATE` (with the campaign's types and quotas,
`template(campaign)`) is the workbook the secretariat downloads to fill in.
"""
import re
import unicodedata
from dataclasses import dataclass

from marshmallow import ValidationError

from shared.campaign.model import Campaign
from shared.campaign.parts import Channel
from services.intake.domain.imports import CellRefused, Column, ImportResult, Template, row_problem
from shared.i18n import message
from services.intake.schemas.field_types import EmailAddress, PhoneNumber

MAX_ROWS = 5000
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


# ---------------------------------------------------------------- the rows

def check_organisations(data_rows: list[tuple[int, dict[str, str]]], campaign: Campaign) -> ImportResult:
    if not data_rows:
        return ImportResult(problems=[message("intake.import.no_rows")])
    if len(data_rows) > MAX_ROWS:
        return ImportResult(problems=[message("intake.import.too_many_rows", max=MAX_ROWS, count=len(data_rows))])
    result = ImportResult()
    first_row_of_email: dict[str, int] = {}
    for number, values in data_rows:
        row, problems = _organisation(values, campaign)
        email = _email_key(values.get("email", ""))
        if email in first_row_of_email:
            problems.append(("email", message("intake.import.email_repeated", row=first_row_of_email[email], email=email)))
            row = None
        elif email:
            first_row_of_email[email] = number
        result.problems += [row_problem(number, LABELS.get(column), reason) for column, reason in problems]
        if row is not None:
            result.rows.append(row)
    return result


def _organisation(values: dict[str, str], campaign: Campaign) -> tuple[OrganisationRow | None, list[tuple]]:
    """The row if every field is right, else None; with the problems as (column key or None, reason)."""
    if values.get("name", "").strip() == TEMPLATE_EXAMPLE[0]:  # the template's own row, not a unit named 示例…
        return None, [(None, message("intake.import.example_row"))]
    problems: list[tuple[str | None, str]] = []

    def check(key: str, read):
        try:
            return read(values.get(key, ""))
        except CellRefused as refused:
            problems.append((key, refused.said))
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


# ---------------------------------------------------------------- one field each

def _name(text: str) -> str:
    if not text:
        raise CellRefused("intake.import.name_required")
    if len(text) > NAME_MAX_CHARS:
        raise CellRefused("intake.import.too_long", max=NAME_MAX_CHARS)
    if "<" in text or ">" in text:
        raise CellRefused("intake.hint.plain_text")
    return text


def _channel(text: str, campaign: Campaign) -> Channel:
    wanted = _type_key(text)
    if not wanted:
        raise CellRefused("intake.import.type_required", choices=_type_choices(campaign))
    for channel in campaign.channels:
        if wanted in {_type_key(name) for name in (channel.code, channel.organisation_type, channel.name)}:
            if channel.is_self_nomination:
                raise CellRefused("intake.import.type_self", type=text)
            return channel
    for code, name in KNOWN_TYPES.items():
        if wanted in (code, _type_key(name)):
            raise CellRefused("intake.import.type_not_in_campaign", type=name, choices=_type_choices(campaign))
    raise CellRefused("intake.import.type_unknown", type=text, choices=_type_choices(campaign))


def _type_choices(campaign: Campaign) -> str:
    return "、".join(channel.organisation_type for channel in campaign.channels if not channel.is_self_nomination)


def _type_key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).lower()


def _contact_name(text: str) -> str:
    if len(text) > CONTACT_MAX_CHARS:
        raise CellRefused("intake.import.too_long", max=CONTACT_MAX_CHARS)
    return text


def _email(text: str) -> str:
    if not text:
        raise CellRefused("intake.import.email_required")
    try:
        return EmailAddress("person.email").deserialize(_email_key(text))
    except ValidationError:
        raise CellRefused("intake.import.email_invalid", value=text) from None


def _phone(text: str) -> str:
    if not text:
        return ""
    try:
        return PhoneNumber("person.phone", landline=True).deserialize(text)
    except ValidationError:
        raise CellRefused("intake.import.phone_invalid", value=text) from None


def _member_units(text: str, channel: Channel | None, campaign: Campaign) -> tuple[str, ...]:
    units = tuple(dict.fromkeys(unit.strip() for unit in MEMBER_UNIT_SEPARATORS.split(text) if unit.strip()))
    needs_units = channel is not None and channel.nominees_from_member_units
    if needs_units and not units:
        raise CellRefused("intake.import.member_units_required", type=channel.organisation_type)
    if channel is not None and not needs_units and units:
        holders = "、".join(c.organisation_type for c in campaign.channels if c.nominees_from_member_units)
        raise CellRefused("intake.import.member_units_not_allowed", holders=holders or KNOWN_TYPES["branch"],
                          type=channel.organisation_type)
    return units


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


def template(campaign: Campaign | None = None) -> Template:
    """The import template: header row, one example row, a drop-down for 类型, and a sheet of notes.
    With a campaign, the drop-down offers its organisation types and the notes give its quotas."""
    return Template("推荐单位", COLUMNS, TEMPLATE_EXAMPLE, TEMPLATE_WIDTHS, (*TEMPLATE_NOTES, *_quota_notes(campaign)),
                    choice_column=1, choices=_template_types(campaign), max_rows=MAX_ROWS)


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
