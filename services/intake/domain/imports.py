"""A spreadsheet import of the secretariat: its columns (a column is known by its label, its key or an alias)
and its template, as plain data; and what it comes to: the good rows, and each problem named by its row
and column as the spreadsheet shows them (`第 5 行「邮箱」：格式不正确`). An import with any problem imports
nothing: the secretariat corrects the file and uploads it again."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Sequence, TypeVar

from shared.spreadsheets import header_key

Row = TypeVar("Row")


@dataclass
class ImportResult(Generic[Row]):
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def row_problem(row_number: int, column_label: str | None, reason: str) -> str:
    if column_label is None:
        return f"第 {row_number} 行：{reason}"
    return f"第 {row_number} 行「{column_label}」：{reason}"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.key, self.label, *self.aliases)}


@dataclass(frozen=True)
class Template:
    sheet_title: str
    columns: Sequence[Column]
    example: Sequence[str]
    widths: Sequence[int]
    notes: Sequence[str]
    choice_column: int | None = None  # a column offering `choices` in a drop-down
    choices: Sequence[str] = ()
    max_rows: int = 5000
