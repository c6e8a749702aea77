"""Excel files the association files each year, streamed (adapters/xlsx_stream.py): rows are written as
they come, so memory stays flat however many nominations there are."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from services.archive.adapters.xlsx_stream import XlsxWriter

LIST_COLUMNS = ("序号", "姓名（团队名称）", "类型", "单位", "业务领域", "省份", "推荐渠道", "推荐单位", "阶段",
                "媒体表彰优先", "提交时间", "公示排名", "异议")
SUMMARY = "汇总"


def write_lists(out: BinaryIO, title: str, rows_by_domain: Iterable[tuple[str, list]]) -> dict[str, int]:
    """One sheet per domain (rows arrive grouped by domain) and a summary sheet first; returns the counts."""
    writer = XlsxWriter(out)
    counts: dict[str, int] = {}
    rows = iter(rows_by_domain)
    pending = next(rows, None)
    while pending is not None:
        domain = pending[0]
        counts[domain] = 0

        def numbered(first=pending, domain=domain) -> Iterator[list]:
            nonlocal pending
            yield list(LIST_COLUMNS)
            row = first
            while row is not None and row[0] == domain:
                counts[domain] += 1
                yield [counts[domain], *row[1]]
                row = next(rows, None)
            pending = row

        writer.write_sheet(domain, numbered())
    summary = [[title], ["业务领域", "人数（团队数）"], *([d, c] for d, c in counts.items()), ["合计", sum(counts.values())]]
    writer.write_sheet(SUMMARY, summary, bold_rows=2)
    writer.close(order=[SUMMARY, *[t for _, t in writer.sheets if t != SUMMARY]])
    return counts


def write_statistics(out: BinaryIO, title: str, tables: dict[str, list[tuple[str, int]]]) -> None:
    writer = XlsxWriter(out)
    for name, rows in tables.items():
        writer.write_sheet(name, [[title], [name, "数量"], *([label, count] for label, count in rows)], bold_rows=2)
    writer.close()
