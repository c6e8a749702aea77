import io
import zipfile

import pytest
from openpyxl import load_workbook

from services.archive.adapters.spreadsheets import write_lists, write_statistics
from services.archive.adapters.xlsx_stream import XlsxWriter
from services.archive.adapters.zipstream import stream_zip

pytestmark = pytest.mark.unit


def test_streamed_workbook_reads_back_with_text_numbers_and_sheet_order():
    out = io.BytesIO()
    writer = XlsxWriter(out)
    writer.write_sheet("伙食管理", [["姓名", "年龄"], ["阿依古丽·买买提 <&>", 45], [None, 3.5]])
    writer.write_sheet("汇总", [["合计", 1]])
    writer.close(order=["汇总", "伙食管理"])
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["汇总", "伙食管理"]
    assert list(book["伙食管理"].iter_rows(values_only=True)) == [("姓名", "年龄"), ("阿依古丽·买买提 <&>", 45), (None, 3.5)]
    assert book["伙食管理"]["A1"].font.b and not book["伙食管理"]["A2"].font.b


def test_streamed_workbook_drops_control_characters_and_makes_titles_valid_and_unique():
    out = io.BytesIO()
    writer = XlsxWriter(out)
    writer.write_sheet("a/b:c" * 10, [["x\x00\x07y"]])
    writer.write_sheet("a/b:c" * 10, [["z"]])
    writer.close()
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert [len(name) <= 31 for name in book.sheetnames] == [True, True] and len(set(book.sheetnames)) == 2
    assert book.worksheets[0]["A1"].value == "xy"


def test_lists_have_the_summary_first_and_a_numbered_sheet_per_domain():
    out = io.BytesIO()
    rows = [("伙食管理", ["甲"]), ("伙食管理", ["乙"]), ("学生公寓", ["丙"])]
    assert write_lists(out, "候选人名单", rows) == {"伙食管理": 2, "学生公寓": 1}
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["汇总", "伙食管理", "学生公寓"]
    assert [r[:2] for r in book["伙食管理"].iter_rows(values_only=True)][1:] == [(1, "甲"), (2, "乙")]
    assert list(book["汇总"].iter_rows(values_only=True))[-1] == ("合计", 3)


def test_statistics_workbook_has_a_sheet_per_dimension():
    out = io.BytesIO()
    write_statistics(out, "统计", {"业务领域": [("伙食管理", 2)], "省份": [("上海市", 2)]})
    assert load_workbook(io.BytesIO(out.getvalue())).sheetnames == ["业务领域", "省份"]


def test_stream_zip_holds_every_entry_and_yields_as_it_goes():
    big = bytes(range(256)) * 4096
    pieces = list(stream_zip([("甲/一.pdf", lambda: iter([b"%PDF-1"])), ("乙/二.bin", lambda: iter([big, big]))]))
    assert len(pieces) > 2
    package = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert package.namelist() == ["甲/一.pdf", "乙/二.bin"]
    assert package.read("乙/二.bin") == big * 2 and package.testzip() is None
