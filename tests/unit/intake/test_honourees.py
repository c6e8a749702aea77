import io

import openpyxl
import pytest

from services.intake.domain.honourees import HonoureeRow
from services.intake.domain.imports import ImportResult
from services.intake.service_layer.imports import honourees_template_xlsx, parse_honourees

from tests import spreadsheet_files

pytestmark = pytest.mark.unit

HEADER = ["姓名", "单位", "手机", "活动名称", "年度", "类型"]
ROWS = [
    ["陈美丽", "示例医科大学", "13700000001", "2021年度最美后勤人", "2021", "个人"],
    ["膳食服务团队", "示例理工大学后勤集团", "", "2020年度感动人物", "2020", "团队"],
]
EXPECTED = [
    HonoureeRow("陈美丽", "示例医科大学", "13700000001", "2021年度最美后勤人", 2021, "person"),
    HonoureeRow("膳食服务团队", "示例理工大学后勤集团", "", "2020年度感动人物", 2020, "team"),
]


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig", header: list[str] = HEADER) -> bytes:
    return spreadsheet_files.csv_bytes(header, rows, encoding)


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    return spreadsheet_files.xlsx_bytes(header, rows)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_parse_honourees_reads_csv_in_utf8_and_in_gbk_as_chinese_excel_writes_it(encoding):
    assert parse_honourees("名单.csv", csv_bytes(ROWS, encoding)) == ImportResult(rows=EXPECTED, problems=[])


def test_parse_honourees_reads_excel_with_years_and_phones_in_number_cells():
    rows = [[*ROWS[0][:2], 13700000001, ROWS[0][3], 2021, "个人"], ROWS[1]]
    assert parse_honourees("名单.xlsx", xlsx_bytes(rows)) == ImportResult(rows=EXPECTED, problems=[])


def test_parse_honourees_names_every_problem_by_row_and_column_and_keeps_the_good_rows():
    rows = [ROWS[0], ["", "某大学", "12", "活动", "21", "集体"], ROWS[1], ["名" * 201, "某大学", "", "活动", "2021", ""]]
    result = parse_honourees("名单.csv", csv_bytes(rows))
    assert result.problems == [
        "第 3 行「姓名」：必填",
        "第 3 行「年度」：须为四位数字的年份，如 2021（现为“21”）",
        "第 3 行「手机」：格式不正确（12），请填写 11 位手机号码，或留空",
        "第 3 行「类型」：只能填写“个人”或“团队”（现为“集体”），留空即为个人",
        "第 5 行「姓名」：不能超过 200 个字",
    ]
    assert result.rows == EXPECTED and not result.ok


def test_parse_honourees_finds_the_same_honouree_twice_in_one_file():
    result = parse_honourees("名单.csv", csv_bytes([ROWS[0], [" 陈 美丽", *ROWS[0][1:]]]))
    assert result.problems == ["第 3 行：与第 2 行重复（同一获奖者、同一活动）"]


def test_parse_honourees_without_optional_columns_takes_persons():
    header = ["姓名", "单位", "活动名称", "年度"]
    rows = [[row[0], row[1], row[3], row[4]] for row in ROWS[:1]]
    assert parse_honourees("名单.csv", csv_bytes(rows, header=header)).rows == [
        HonoureeRow("陈美丽", "示例医科大学", "", "2021年度最美后勤人", 2021, "person")]


@pytest.mark.parametrize("filename, data, problem", [
    ("名单.csv", b"", "文件是空的，请选择填写好的 .xlsx 或 CSV 文件"),
    ("名单.csv", "姓名,单位,活动名称,年度\n".encode("gbk"), "文件中没有获奖记录：请在表头下每行填写一位获奖者（或团队）"),
    ("名单.csv", "姓名,单位\n张三,某大学\n".encode(), "第 1 行表头缺少「活动名称」「年度」列；表头应为：姓名、单位、手机、活动名称、年度、类型（可下载导入模板）"),
    ("名单.xlsx", b"PK\x03\x04 damaged", "无法读取该 Excel 文件，请确认是 .xlsx 格式，或另存为 CSV 后再导入"),
])
def test_parse_honourees_unreadable_file_is_one_problem_as_for_organisations(filename, data, problem):
    assert parse_honourees(filename, data) == ImportResult(rows=[], problems=[problem])


def test_honourees_template_filled_in_imports_and_its_example_row_is_refused():
    template = honourees_template_xlsx()
    assert parse_honourees("模板.xlsx", template).problems == ["第 2 行：这是模板中的示例行，请删除后再导入"]
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    sheet.delete_rows(2)
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert parse_honourees("名单.xlsx", buffer.getvalue()).rows == EXPECTED
