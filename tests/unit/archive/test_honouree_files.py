import io

import pytest
from openpyxl import Workbook

from services.archive.adapters.honouree_files import UnreadableFile, read_rows, template_csv, template_xlsx
from services.archive.domain.honouree_import import COLUMNS

pytestmark = pytest.mark.unit
CSV = "类型,姓名,单位,业务领域,年度,活动名称,手机\n个人,阿依古丽·买买提,新疆大学,伙食管理,2020,“2020年度感动人物”,\n"


def test_read_rows_of_a_utf8_csv_with_bom():
    rows = read_rows(("\ufeff" + CSV).encode("utf-8"), "名单.csv")
    assert rows[0]["姓名"] == "阿依古丽·买买提" and rows[0]["年度"] == "2020"


def test_read_rows_of_a_gbk_csv():
    rows = read_rows(CSV.replace("·", "").encode("gbk"), "名单.csv")
    assert rows[0]["单位"] == "新疆大学" and rows[0]["活动名称"] == "“2020年度感动人物”"


def test_read_rows_of_an_excel_file_skips_empty_lines():
    book = Workbook()
    book.active.append(list(COLUMNS))
    book.active.append(["团队", "阳光餐饮团队", "某大学", "伙食管理", 2021, "2021年度最美后勤人", None])
    book.active.append([None] * 7)
    out = io.BytesIO()
    book.save(out)
    assert read_rows(out.getvalue(), "名单.xlsx") == [
        {"类型": "团队", "姓名": "阳光餐饮团队", "单位": "某大学", "业务领域": "伙食管理", "年度": "2021",
         "活动名称": "2021年度最美后勤人", "手机": ""}]


def test_read_rows_refuses_a_header_without_the_required_columns():
    with pytest.raises(UnreadableFile) as refused:
        read_rows("名字,单位\n张三,某大学\n".encode(), "名单.csv")
    assert "表头缺少列：姓名、年度、活动名称" in str(refused.value)


def test_read_rows_refuses_a_broken_excel_file_and_another_type():
    with pytest.raises(UnreadableFile):
        read_rows(b"PK\x03\x04 not really a zip", "名单.xlsx")
    with pytest.raises(UnreadableFile):
        read_rows(b"%PDF-1.7", "名单.pdf")


def test_templates_read_back_as_one_example_row():
    assert read_rows(template_csv(), "模板.csv")[0]["姓名"] == "张三"
    assert read_rows(template_xlsx(), "模板.xlsx")[0]["活动名称"] == "全国教育后勤系统“2021年度最美后勤人”"


def test_read_rows_takes_a_lone_carriage_return_as_a_line_end():
    """What the fuzzer sent (the csv module refused it with an error that answered 500): old Mac line ends."""
    rows = read_rows(CSV.replace("\n", "\r").encode("utf-8"), "名单.csv")
    assert rows[0]["姓名"] == "阿依古丽·买买提"


def test_read_rows_refuses_a_csv_the_csv_module_cannot_read_saying_where():
    too_long = '个人,"' + "张" * 200_000 + '",某大学,伙食管理,2020,活动,\n'  # over the csv module's field limit
    with pytest.raises(UnreadableFile, match="CSV 文件第 2 行无法读取"):
        read_rows((CSV.splitlines()[0] + "\n" + too_long).encode("utf-8"), "名单.csv")
