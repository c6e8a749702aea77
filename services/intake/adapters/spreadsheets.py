"""The spreadsheets the secretariat uploads (organisations, past honourees) and the templates it downloads.

`table_rows(filename, data, columns, max_rows)` reads the file (shared/spreadsheets: .xlsx, or CSV in UTF-8,
UTF-16 or GBK/GB18030), finds the header among the first filled rows (a title row may sit above it; `邮箱*`,
`邮箱（必填）` and ` Email ` name one column), and returns each filled row below it as (row number as the
spreadsheet shows it, {column key: stripped text}). A file that cannot be read as a whole raises UnreadableFile
with the reason in Chinese. `template_xlsx` writes a header, an example row, a drop-down
and a sheet of notes.
"""
from __future__ import annotations

import io
from typing import Sequence

from services.intake.domain.imports import Column, Template
from shared.spreadsheets import UnreadableFile, header_key, read_rows

__all__ = ["UnreadableFile", "table_rows", "find_header", "template_xlsx"]

HEADER_SEARCH_ROWS = 5


def table_rows(filename: str, data: bytes, columns: Sequence[Column],
               max_rows: int) -> list[tuple[int, dict[str, str]]]:
    rows = read_rows(filename, data, max_rows + HEADER_SEARCH_ROWS + 1)
    header_number, positions = find_header(rows, columns)
    return [(number, {key: _cell(cells, position) for key, position in positions.items()})
            for number, cells in rows if number > header_number and any(cells)]


def find_header(rows: list[tuple[int, list[str]]], columns: Sequence[Column]) -> tuple[int, dict[str, int]]:
    """The header's row number and each known column's position: the first row naming the required
    columns among the first few filled rows."""
    filled = [(number, cells) for number, cells in rows if any(cells)][:HEADER_SEARCH_ROWS]
    if not filled:
        raise UnreadableFile("shared.sheet.empty")
    for number, cells in filled:
        positions = _column_positions(cells, columns)
        if not _missing_columns(positions, columns):
            return number, positions
    number, cells = filled[0]
    missing = "」「".join(_missing_columns(_column_positions(cells, columns), columns))
    expected = "、".join(column.label for column in columns)
    raise UnreadableFile("shared.sheet.header_missing", row=number, missing=missing, expected=expected)


def _column_positions(header: list[str], columns: Sequence[Column]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = header_key(cell)
        column = next((column for column in columns if key in column.names()), None)
        if column is not None and column.key not in positions:
            positions[column.key] = position
    return positions


def _missing_columns(positions: dict[str, int], columns: Sequence[Column]) -> list[str]:
    return [column.label for column in columns if column.required and column.key not in positions]


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


def template_xlsx(template: Template) -> bytes:
    """The import template: header row, one example row, a drop-down where one is asked, a sheet of notes."""
    import openpyxl  # with numpy and Pillow: loaded by the first template asked for, not by every web process
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = template.sheet_title
    sheet.append([column.label for column in template.columns])
    sheet.append(list(template.example))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for position, width in enumerate(template.widths):
        sheet.column_dimensions[get_column_letter(position + 1)].width = width
    sheet.freeze_panes = "A2"
    if template.choice_column is not None:
        letter = get_column_letter(template.choice_column + 1)
        choice = DataValidation(type="list", formula1=f'"{",".join(template.choices)}"', allow_blank=False)
        choice.error, choice.errorTitle = f"请选择：{'、'.join(template.choices)}", "填写不正确"
        choice.add(f"{letter}2:{letter}{template.max_rows + 1}")
        sheet.add_data_validation(choice)
    notes = workbook.create_sheet("填写说明")
    for line in template.notes:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
