"""Reading the rows of a file the secretariat uploads: Excel (.xlsx) or CSV (UTF-8, UTF-16 or GB18030, comma
or tab separated), as stripped text cells. The first non-empty row is the header; each later row becomes a
dict by the header's normalised names (`邮箱*`, `邮箱（必填）` and ` 邮箱 ` are one column)."""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from itertools import islice


class UnreadableFile(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def header_key(text: str) -> str:
    text = re.sub(r"\(.*?\)|\*", "", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"\s", "", text).lower()


def read_table(filename: str, data: bytes, max_rows: int) -> list[dict[str, str]]:
    """The rows below the header, keyed by header_key(column name); blank rows skipped."""
    rows = [row for row in _rows(filename, data, max_rows + 2) if any(row)]
    if not rows:
        raise UnreadableFile("文件中没有内容")
    header = [header_key(cell) for cell in rows[0]]
    return [{name: (row[i] if i < len(row) else "") for i, name in enumerate(header) if name} for row in rows[1:]]


def _rows(filename: str, data: bytes, limit: int) -> list[list[str]]:
    if not data.strip():
        raise UnreadableFile("文件是空的，请选择 .xlsx 或 CSV 文件")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("不支持旧版 Excel（.xls），请另存为 .xlsx 或 CSV")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _excel(data, limit)
    return _csv(data, limit)


def _excel(data: bytes, limit: int) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a damaged file fails in many ways inside zipfile and openpyxl
        raise UnreadableFile("无法读取该 Excel 文件，请确认是 .xlsx 格式") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        return [[_cell(value) for value in row] for row in islice(sheet.iter_rows(values_only=True), limit)]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv(data: bytes, limit: int) -> list[list[str]]:
    text = _decoded(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if first.count("\t") > first.count(",") else ",")
    try:
        return [[cell.strip() for cell in row] for row in islice(reader, limit)]
    except csv.Error:
        raise UnreadableFile("CSV 格式不正确（引号不成对？），请重新另存为 CSV") from None


def _decoded(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("文件的文字编码有误，请另存为“CSV UTF-8”或 .xlsx") from None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别文件的文字编码，请另存为“CSV UTF-8”或 .xlsx")
