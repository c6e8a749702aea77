"""Reading the rows of a file the secretariat uploads: Excel (.xlsx, its first sheet) or CSV (UTF-8 with or
without BOM, UTF-16 with BOM as Excel's "Unicode text", else GB18030, which GBK is part of: what Excel saves as
"CSV" on a Chinese Windows; comma or tab separated), as stripped text cells numbered as the spreadsheet shows
them (`read_rows`). `read_table` takes the first filled row as the header and makes each later row a dict by the
header's normalised names (`邮箱*`, `邮箱（必填）` and ` 邮箱 ` are one column). A file that cannot be read as a
whole raises UnreadableFile, saying why and what to do in Chinese."""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from itertools import islice

from shared.i18n import message

# The control characters a workbook cell cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE, here so that writing
# a cell's text does not need openpyxl loaded (with numpy and Pillow, about 25 MB in each web process).
ILLEGAL_IN_CELL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class UnreadableFile(ValueError):
    """`said`: why, as a message code with parameters (shared.sheet.*); `message`: its Chinese text."""

    def __init__(self, code: str, /, **params):
        from shared.i18n.catalogs import chinese

        self.said = message(code, **params)
        self.message = chinese(self.said)
        super().__init__(self.message)


def header_key(text: str) -> str:
    text = re.sub(r"\(.*?\)|\*", "", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"\s", "", text).lower()


def read_table(filename: str, data: bytes, max_rows: int) -> list[dict[str, str]]:
    """The rows below the header, keyed by header_key(column name); blank rows skipped."""
    rows = [row for _, row in read_rows(filename, data, max_rows + 2) if any(row)]
    if not rows:
        raise UnreadableFile("shared.sheet.no_content")
    header = [header_key(cell) for cell in rows[0]]
    return [{name: (row[i] if i < len(row) else "") for i, name in enumerate(header) if name} for row in rows[1:]]


def read_rows(filename: str, data: bytes, limit: int) -> list[tuple[int, list[str]]]:
    """(row number, cells as stripped text) of the first sheet, or of the CSV, numbered as Excel shows them."""
    if not data.strip():
        raise UnreadableFile("shared.sheet.empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("shared.sheet.old_excel")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data, limit)
    else:
        rows = _csv_rows(data, limit)
    return list(enumerate(rows, start=1))


def _xlsx_rows(data: bytes, limit: int) -> list[list[str]]:
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged upload fails in many ways inside zipfile and openpyxl
        raise UnreadableFile("shared.sheet.bad_xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some generators write a wrong size; read every cell there is
        return [[_text(value) for value in row] for row in islice(sheet.iter_rows(values_only=True), limit)]
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number or a year typed into a number cell
    return str(value).strip()


def _csv_rows(data: bytes, limit: int) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[cell.strip() for cell in row] for row in islice(reader, limit)]
    except csv.Error:
        raise UnreadableFile("shared.sheet.bad_csv") from None


def _decode(data: bytes) -> str:
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8):].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError:
        raise UnreadableFile("shared.sheet.bad_encoding") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("shared.sheet.unknown_encoding")
