"""Spreadsheet files for the import tests: a CSV in an encoding, an .xlsx, each a header and rows."""
from __future__ import annotations

import csv
import io

import openpyxl


def csv_bytes(header: list, rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list, rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
