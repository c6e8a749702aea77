"""The secretariat's import of past honourees (R9) for campaigns held before this system: the rules of one
honouree a row, with the same problems by row and column as the organisations' import.

`check_honourees(rows)` takes the rows as adapters/spreadsheets reads them and returns the good rows and the
problems; `TEMPLATE` is the workbook to fill in.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.intake.domain.imports import Column, ImportResult, Template, row_problem
from shared.nominees import person_key, phone_digits

MAX_ROWS = 5000
EXAMPLE_PREFIX = "示例"
KINDS = {"个人": "person", "团队": "team", "": "person", "person": "person", "team": "team"}
COLUMNS = (
    Column("name", "姓名", True, ("姓名/团队名称", "团队名称", "name")),
    Column("unit", "单位", True, ("单位名称", "所在单位", "unit")),
    Column("phone", "手机", False, ("手机号码", "电话", "联系电话", "phone")),
    Column("campaign_name", "活动名称", True, ("活动", "表彰名称", "campaign")),
    Column("year", "年度", True, ("年份", "year")),
    Column("kind", "类型", False, ("个人/团队", "kind")),
)
LABELS = {column.key: column.label for column in COLUMNS}
MAX_CHARS = {"name": 200, "unit": 300, "phone": 30, "campaign_name": 200}


@dataclass(frozen=True)
class HonoureeRow:
    name: str
    unit: str
    phone: str
    campaign_name: str
    year: int
    kind: str  # person or team


def check_honourees(data_rows: list[tuple[int, dict[str, str]]]) -> ImportResult:
    if not data_rows:
        return ImportResult(problems=["文件中没有获奖记录：请在表头下每行填写一位获奖者（或团队）"])
    if len(data_rows) > MAX_ROWS:
        return ImportResult(problems=[f"一次最多导入 {MAX_ROWS} 条记录（文件中有 {len(data_rows)} 行），请分批导入"])
    result = ImportResult()
    first_row_of: dict[tuple, int] = {}
    for number, values in data_rows:
        row, problems = honouree(values)
        if row is not None:
            key = (row.kind, person_key(row.name, row.unit), row.campaign_name)
            if key in first_row_of:
                problems.append((None, f"与第 {first_row_of[key]} 行重复（同一获奖者、同一活动）"))
                row = None
            else:
                first_row_of[key] = number
        result.problems += [row_problem(number, LABELS.get(column), reason) for column, reason in problems]
        if row is not None:
            result.rows.append(row)
    return result


def honouree(values: dict[str, str]) -> tuple[HonoureeRow | None, list[tuple[str | None, str]]]:
    """The row if every field is right, else None; with the problems as (column key or None, reason)."""
    if values.get("name", "").startswith(EXAMPLE_PREFIX):
        return None, [(None, "这是模板中的示例行，请删除后再导入")]
    problems: list[tuple[str | None, str]] = []
    for key in ("name", "unit", "campaign_name", "year"):
        if not values.get(key):
            problems.append((key, "必填"))
    problems += [(key, f"不能超过 {limit} 个字") for key, limit in MAX_CHARS.items() if len(values.get(key, "")) > limit]
    year = values.get("year", "")
    if year and not (year.isascii() and year.isdigit() and len(year) == 4):
        problems.append(("year", f"须为四位数字的年份，如 2021（现为“{year}”）"))
    phone = values.get("phone", "")
    if phone and len(phone_digits(phone)) not in (7, 8, 11, 12):
        problems.append(("phone", f"格式不正确（{phone}），请填写 11 位手机号码，或留空"))
    kind = KINDS.get(values.get("kind", "").strip().lower())
    if kind is None:
        problems.append(("kind", f"只能填写“个人”或“团队”（现为“{values['kind']}”），留空即为个人"))
    if problems:
        return None, problems
    return HonoureeRow(values["name"], values["unit"], phone, values["campaign_name"], int(year), kind), []


TEMPLATE = Template(
    sheet_title="往届获奖名单",
    columns=COLUMNS,
    example=(f"{EXAMPLE_PREFIX}：张三（导入前请删除本行）", "某某大学后勤处", "13800000000", "2021年度最美后勤人",
             "2021", "个人"),
    widths=(30, 30, 16, 26, 8, 8),
    notes=(
        "每行填写一位往届获奖者或一个获奖团队；第 1 行表头请勿修改。",
        "姓名、单位、活动名称、年度必填；年度为四位数字，如 2021。",
        "手机选填：填写后可更准确地识别同名同单位的人；团队可不填。",
        "类型：个人 或 团队，留空即为个人。",
        "第 2 行为示例，导入前请删除。保存为 .xlsx，或在 Excel 中另存为 CSV（UTF-8 或 GBK 均可）。",
    ),
    choice_column=5,
    choices=("个人", "团队"),
    max_rows=MAX_ROWS,
)
