"""Excel files the association files each year, written in openpyxl's write-only mode (rows go to temporary
files as they come, so memory stays flat however many nominations there are)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

LIST_COLUMNS = ("序号", "姓名（团队名称）", "类型", "单位", "业务领域", "省份", "推荐渠道", "推荐单位", "阶段",
                "媒体表彰优先", "提交时间")
MAX_SHEET_TITLE = 31


def write_lists(out: BinaryIO, title: str, rows_by_domain: Iterable[tuple[str, list]]) -> dict[str, int]:
    """One sheet per domain (rows already in order) and a summary sheet first; returns the counts."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("汇总")
    counts: dict[str, int] = {}
    sheet, current = None, None
    for domain, row in rows_by_domain:
        if domain != current:
            sheet, current = book.create_sheet(domain[:MAX_SHEET_TITLE]), domain
            sheet.append(_bold(sheet, LIST_COLUMNS))
            counts[domain] = 0
        counts[domain] += 1
        sheet.append([counts[domain], *row])
    summary.append(_bold(summary, (title,)))
    summary.append(_bold(summary, ("业务领域", "人数（团队数）")))
    for domain, count in counts.items():
        summary.append([domain, count])
    summary.append(["合计", sum(counts.values())])
    book.save(out)
    return counts


def write_statistics(out: BinaryIO, title: str, tables: dict[str, list[tuple[str, int]]]) -> None:
    book = Workbook(write_only=True)
    for name, rows in tables.items():
        sheet = book.create_sheet(name[:MAX_SHEET_TITLE])
        sheet.append(_bold(sheet, (title,)))
        sheet.append(_bold(sheet, (name, "数量")))
        for label, count in rows:
            sheet.append([label, count])
    book.save(out)


def _bold(sheet, values: Iterable[str]) -> list:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells
