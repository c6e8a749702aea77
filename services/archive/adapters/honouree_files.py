"""Reading the earlier campaigns' honouree lists (CSV in UTF-8 or GBK, or Excel .xlsx) and writing their
template. Every limit is checked before a row is read: size, rows, columns."""
from __future__ import annotations

import csv
import io
import zipfile

from services.archive.domain.honouree_import import COLUMNS, EXAMPLE, MAX_ROWS

MAX_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnreadableFile(ValueError):
    """Said to the secretariat as it is (Chinese)."""


def read_rows(data: bytes, filename: str) -> list[dict]:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB")
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return _excel_rows(data)
    if filename.lower().endswith((".csv", ".txt")):
        return _csv_rows(_decode(data))
    raise UnreadableFile("请上传 CSV（UTF-8 或 GBK）或 Excel（.xlsx）文件")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise UnreadableFile("无法识别文件编码：请另存为 UTF-8 或 GBK 的 CSV") from None


def _csv_rows(text: str) -> list[dict]:
    # newline="": the csv module itself takes \r\n, \n and a lone \r (old Mac files) as line ends.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        _check_header(reader.fieldnames or [])
        for row in reader:
            if len(rows) > MAX_ROWS:
                break
            if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                rows.append(row)
    except csv.Error as error:
        raise UnreadableFile(f"CSV 文件第 {reader.line_num + 1} 行无法读取（{error}）：请用模板另存为 CSV 后重新上传") from None
    return rows


def _excel_rows(data: bytes) -> list[dict]:
    from openpyxl import load_workbook  # openpyxl (with numpy and Pillow) loaded by a file's first use only

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile("Excel 文件无法打开：请确认是 .xlsx 格式") from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=len(COLUMNS) + 10)
    header = [str(cell or "").strip() for cell in next(lines, [])]
    _check_header(header)
    rows = [{name: "" if cell is None else str(cell) for name, cell in zip(header, line) if name}
            for line in lines if any(cell not in (None, "") for cell in line)]
    book.close()
    return rows


def _check_header(header: list[str]) -> None:
    header = [name.strip() for name in header if name]
    missing = [column for column in ("姓名", "单位", "年度", "活动名称") if column not in header]
    if missing:
        raise UnreadableFile(f"表头缺少列：{'、'.join(missing)}（请使用模板：{'、'.join(COLUMNS)}）")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "往届获评名单"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[column] for column in COLUMNS])
    for letter, width in zip("ABCDEFG", (8, 16, 30, 14, 8, 40, 16)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE[column] for column in COLUMNS])
    return out.getvalue().encode("utf-8-sig")
