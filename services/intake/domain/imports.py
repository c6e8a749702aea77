"""A spreadsheet import of the secretariat: its columns (a column is known by its label, its key or an alias)
and its template, as plain data; and what it comes to: the good rows, and each problem named by its row
and column as the spreadsheet shows them (`第 5 行「邮箱」：格式不正确`, a message code with parameters). An
import with any problem imports nothing: the secretariat corrects the file and uploads it again."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Sequence, TypeVar

from shared.i18n import Message, message
from shared.spreadsheets import header_key

Row = TypeVar("Row")


@dataclass
class ImportResult(Generic[Row]):
    rows: list[Row] = field(default_factory=list)
    problems: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class CellRefused(ValueError):
    """What is wrong with one cell (or row): a message code with parameters."""

    def __init__(self, code: str, /, **params):
        super().__init__(code)
        self.said = message(code, **params)


def row_problem(row_number: int, column_label: str | None, reason: Message) -> Message:
    """The column keeps its label as the file spells it, in every language."""
    if column_label is None:
        return message("intake.import.row_problem", row=row_number, problem=reason)
    return message("intake.import.cell_problem", row=row_number, column=column_label, problem=reason)


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


def imported_organisations_text(count: int, new: int) -> str:
    """Says only what happened: no 其余 when every organisation was new (tester's A-4)."""
    parts = [f"新增 {new} 个（已发送邀请邮件）" if new else "", f"更新资料 {count - new} 个" if count > new else ""]
    return f"已导入 {count} 个推荐单位：{'，'.join(p for p in parts if p)}。"
