"""The lists of earlier campaigns (2020 感动人物, 2021 最美后勤人, ...), row by row: what each row records,
or what is wrong with it, in the secretariat's words. Columns of the template: 类型, 姓名, 单位, 业务领域,
年度, 活动名称, 手机 (类型 个人 or 团队, 个人 when empty; 姓名 is the team's name for a team; 业务领域 and 手机
may be empty)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from services.archive.domain.honourees import KINDS, MAX_NAME, MAX_UNIT, HonoureeRecord
from shared.nominees import person_key, phone_digits
from shared.storable_text import unstorable

COLUMNS = ("类型", "姓名", "单位", "业务领域", "年度", "活动名称", "手机")
REQUIRED = ("姓名", "单位", "年度", "活动名称")
MAX_ROWS = 5000
FIRST_YEAR = 1990
EXAMPLE = {"类型": "个人", "姓名": "张三", "单位": "示例大学后勤集团", "业务领域": "伙食管理", "年度": "2021",
           "活动名称": "全国教育后勤系统“2021年度最美后勤人”", "手机": "13800000000"}


@dataclass
class ImportCheck:
    records: list[HonoureeRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_rows(rows: list[dict], *, domains: tuple[str, ...], this_year: int,
               hash_phone: Callable[[str], str]) -> ImportCheck:
    """Every row checked (row numbers as the spreadsheet shows them, the header being row 1)."""
    check = ImportCheck()
    if len(rows) > MAX_ROWS:
        check.problems.append(f"一次最多导入 {MAX_ROWS} 行，此文件有 {len(rows)} 行")
        return check
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        record, problems = _record(number, row, domains, this_year, hash_phone)
        if record and (record.person_key, record.campaign_name) in seen:
            problems.append(f"第 {number} 行与第 {seen[(record.person_key, record.campaign_name)]} 行是同一人同一活动")
        check.problems += problems
        if record and not problems:
            seen[(record.person_key, record.campaign_name)] = number
            check.records.append(record)
    return check


def _record(number: int, row: dict, domains: tuple[str, ...], this_year: int,
            hash_phone: Callable[[str], str]) -> tuple[HonoureeRecord | None, list[str]]:
    value = {column: str(row.get(column) or "").strip() for column in COLUMNS}
    missing = [column for column in REQUIRED if not value[column]]
    if missing:
        return None, [f"第 {number} 行缺少：{'、'.join(missing)}"]
    if any(unstorable(text) for text in value.values()):
        return None, [f"第 {number} 行含有无法保存的字符（NUL 或不成对的 Unicode 代理字符），请删除后重新导入"]
    problems = []
    if value["类型"] not in KINDS:
        problems.append(f"第 {number} 行「类型」应为 个人 或 团队，而不是“{value['类型'][:20]}”")
    if len(value["姓名"]) > MAX_NAME or len(value["单位"]) > MAX_UNIT or len(value["活动名称"]) > 200:
        problems.append(f"第 {number} 行的姓名、单位或活动名称过长")
    if value["业务领域"] and value["业务领域"] not in domains:
        problems.append(f"第 {number} 行「业务领域」“{value['业务领域'][:20]}”不在业务领域代码表中")
    year = _year(value["年度"])
    if year is None or not FIRST_YEAR <= year < this_year:
        problems.append(f"第 {number} 行「年度」应为 {FIRST_YEAR}–{this_year - 1} 之间的四位年份")
    if value["手机"] and len(phone_digits(value["手机"])) not in range(7, 16):
        problems.append(f"第 {number} 行「手机」不是有效的电话号码")
    if problems:
        return None, problems
    return HonoureeRecord(
        person_key=person_key(value["姓名"], value["单位"]), kind=KINDS[value["类型"]], name=value["姓名"],
        unit=value["单位"], domain=value["业务领域"] or None, campaign_id=None, campaign_year=year,
        campaign_name=value["活动名称"], phone_hmac=hash_phone(value["手机"]) if value["手机"] else None,
        nomination_id=None, source="import"), []


def _year(text: str) -> int | None:
    text = text.removesuffix(".0").removesuffix("年")
    return int(text) if text.isdigit() and len(text) == 4 else None
