import io

import openpyxl
import pytest

from shared.i18n.catalogs import chinese

from shared.campaign.loading import campaign_from_data
from services.intake.domain.imports import ImportResult
from services.intake.domain.organisations import OrganisationRow
from services.intake.service_layer.imports import organisations_template_xlsx, parse_organisations

from tests import spreadsheet_files

pytestmark = pytest.mark.unit

HEADER = ["单位名称", "类型", "联系人", "邮箱", "电话", "委员单位"]
GOOD_ROWS = [
    ["北京市高校后勤协会", "地方教育后勤社团组织", "张三", "BJ-Houqin@Example.org", "+86 138 1234 5678", ""],
    ["中国人民大学", "理事单位", "李四", "ruc@example.org", "010-62512345", ""],
    ["新疆大学", "会员单位", "", "xju@example.org", "", ""],
    ["伙食管理专业委员会", "分支机构", "王五", "shitang@example.org", "13900001111", "清华大学；北京大学; 武汉大学"],
]
EXPECTED = [
    OrganisationRow("北京市高校后勤协会", "local_association", "张三", "bj-houqin@example.org", "13812345678", (), 3),
    OrganisationRow("中国人民大学", "council_unit", "李四", "ruc@example.org", "010-62512345", (), 1),
    OrganisationRow("新疆大学", "member_unit", "", "xju@example.org", "", (), 1),
    OrganisationRow("伙食管理专业委员会", "branch", "王五", "shitang@example.org", "13900001111",
                    ("清华大学", "北京大学", "武汉大学"), 10),
]


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig", header: list[str] = HEADER) -> bytes:
    return spreadsheet_files.csv_bytes(header, rows, encoding)


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    return spreadsheet_files.xlsx_bytes(header, rows)


def good_row(**changes) -> list:
    """The local association row with some cells changed, by column name."""
    row = list(GOOD_ROWS[0])
    for label, value in changes.items():
        row[HEADER.index(label)] = value
    return row


def in_chinese(problems) -> list[str]:
    return [chinese(problem) for problem in problems]


def problems_of(campaign, rows: list[list]) -> list[str]:
    result = parse_organisations("单位.csv", csv_bytes(rows), campaign)
    return in_chinese(result.problems)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_parse_organisations_reads_csv_in_each_encoding(campaign, encoding):
    result = parse_organisations("单位.csv", csv_bytes(GOOD_ROWS, encoding), campaign)
    assert result == ImportResult(rows=EXPECTED, problems=[])
    assert result.ok


def test_parse_organisations_reads_xlsx(campaign):
    rows = [list(row) for row in GOOD_ROWS]
    rows[1][4] = 13512345678  # typed into a number cell
    rows[3][5] = "清华大学\n北京大学\n武汉大学"
    result = parse_organisations("单位.xlsx", xlsx_bytes(rows), campaign)
    assert in_chinese(result.problems) == []
    assert result.rows[1].phone == "13512345678"
    assert result.rows[3].member_units == ("清华大学", "北京大学", "武汉大学")


def test_parse_organisations_accepts_type_codes_and_english_headers(campaign):
    header = ["name", "type", "contact_name", "email", "phone", "member_units"]
    rows = [[row[0], code, *row[2:]] for row, code in
            zip(GOOD_ROWS, ["local_association", "council_unit", "member_unit", "branch"])]
    result = parse_organisations("orgs.csv", csv_bytes(rows, header=header), campaign)
    assert result == ImportResult(rows=EXPECTED, problems=[])


def test_parse_organisations_header_may_carry_notes_and_sit_below_a_title(campaign):
    header = ["单位名称*", "类型（四选一）", "联系人", "邮箱(登录账号)", "电话", "委员单位"]
    workbook = openpyxl.Workbook()
    workbook.active.append(["2023年推荐单位名单"])
    for row in [header, *GOOD_ROWS[:1], [], ["坏单位", "理事单位", "", "not-an-email", "", ""]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_organisations("单位.xlsx", buffer.getvalue(), campaign)
    assert result.rows == EXPECTED[:1]
    assert in_chinese(result.problems) == ["第 5 行「邮箱」：格式不正确（not-an-email），应如 name@example.com"]


def test_parse_organisations_numbers_rows_as_the_spreadsheet_does(campaign):
    """A quoted cell spanning lines is still one row; blank rows keep their number."""
    branch = [*GOOD_ROWS[3][:5], "清华大学\n北京大学\n武汉大学"]
    rows = [branch, [], good_row(邮箱="bad")]
    assert b"\n\xe5\x8c\x97" in csv_bytes(rows)  # the cell spans lines in the file
    assert problems_of(campaign, rows) == ["第 4 行「邮箱」：格式不正确（bad），应如 name@example.com"]


def test_parse_organisations_missing_email_is_a_problem(campaign):
    assert problems_of(campaign, [good_row(邮箱="")]) == ["第 2 行「邮箱」：必填，作为单位登录账号和接收通知的邮箱"]


def test_parse_organisations_duplicate_email_is_a_problem(campaign):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], good_row(单位名称="天津市高校后勤协会", 邮箱=" bj-houqin@EXAMPLE.org ")]
    result = parse_organisations("单位.csv", csv_bytes(rows), campaign)
    assert in_chinese(result.problems) == [
        "第 4 行「邮箱」：与第 2 行重复（bj-houqin@example.org），每个单位须使用不同的邮箱"
    ]
    assert [row.name for row in result.rows] == ["北京市高校后勤协会", "中国人民大学"]


def test_parse_organisations_branch_without_member_units_is_a_problem(campaign):
    row = list(GOOD_ROWS[3])
    row[5] = " ；  "
    assert problems_of(campaign, [row]) == [
        "第 2 行「委员单位」：分支机构须填写委员单位名单（以分号、逗号或换行分隔），其推荐对象只能来自委员单位"
    ]


def test_parse_organisations_member_units_of_a_non_branch_is_a_problem(campaign):
    assert problems_of(campaign, [good_row(委员单位="清华大学")]) == [
        "第 2 行「委员单位」：只有分支机构填写委员单位，地方教育后勤社团组织请留空"
    ]


def test_parse_organisations_type_without_a_channel_in_the_campaign_is_a_problem(campaign_data):
    campaign_data["channels"] = [c for c in campaign_data["channels"] if c["code"] != "council_unit"]
    campaign = campaign_from_data(campaign_data)
    result = parse_organisations("单位.csv", csv_bytes(GOOD_ROWS), campaign)
    assert in_chinese(result.problems) == [
        "第 3 行「类型」：本次活动没有“理事单位”推荐渠道，请填写 地方教育后勤社团组织、会员单位、分支机构 之一"
    ]
    assert [row.type for row in result.rows] == ["local_association", "member_unit", "branch"]


@pytest.mark.parametrize("type_text, reason", [
    ("高校", "无法识别“高校”，请填写 地方教育后勤社团组织、理事单位、会员单位、分支机构 之一"),
    ("", "必填，请填写 地方教育后勤社团组织、理事单位、会员单位、分支机构 之一"),
    ("个人", "“个人”不经推荐单位推荐，无需导入"),
])
def test_parse_organisations_unusable_type_is_a_problem(campaign, type_text, reason):
    assert problems_of(campaign, [good_row(类型=type_text)]) == [f"第 2 行「类型」：{reason}"]


def test_parse_organisations_bad_phone_and_missing_name_are_each_named(campaign):
    assert problems_of(campaign, [good_row(单位名称="", 电话="12345")]) == [
        "第 2 行「单位名称」：必填，请填写单位全称",
        "第 2 行「电话」：格式不正确（12345），请填写 11 位手机号码或带区号的固定电话，如 010-62512345",
    ]


def test_parse_organisations_missing_column_is_a_problem(campaign):
    data = csv_bytes([good_row()[:3]], header=HEADER[:3])
    result = parse_organisations("单位.csv", data, campaign)
    assert result.rows == []
    assert in_chinese(result.problems) == [
        "第 1 行表头缺少「邮箱」列；表头应为：单位名称、类型、联系人、邮箱、电话、委员单位（可下载导入模板）"
    ]


@pytest.mark.parametrize("filename, data, problem", [
    ("单位.csv", b"", "文件是空的，请选择填写好的 .xlsx 或 CSV 文件"),
    ("单位.csv", "单位名称,类型,邮箱\n".encode("utf-8"), "文件中没有单位数据：请在表头下每行填写一个单位"),
    ("单位.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入"),
    ("单位.xlsx", b"PK\x03\x04 damaged", "无法读取该 Excel 文件，请确认是 .xlsx 格式，或另存为 CSV 后再导入"),
])
def test_parse_organisations_unreadable_file_is_one_problem(campaign, filename, data, problem):
    result = parse_organisations(filename, data, campaign)
    assert (result.rows, in_chinese(result.problems)) == ([], [problem])


def test_organisations_template_has_the_header_and_an_example_row():
    sheet = openpyxl.load_workbook(io.BytesIO(organisations_template_xlsx())).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 2 and rows[1][0].startswith("示例")
    assert sheet.data_validations.dataValidation[0].formula1 == '"地方教育后勤社团组织,理事单位,会员单位,分支机构"'


def test_organisations_template_example_row_must_be_removed_before_import(campaign):
    result = parse_organisations("模板.xlsx", organisations_template_xlsx(campaign), campaign)
    assert (result.rows, in_chinese(result.problems)) == ([], ["第 2 行：这是模板中的示例行，请删除后再导入"])


def test_organisations_template_filled_in_imports(campaign):
    workbook = openpyxl.load_workbook(io.BytesIO(organisations_template_xlsx(campaign)))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)
    for row in GOOD_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert parse_organisations("推荐单位.xlsx", buffer.getvalue(), campaign) == ImportResult(rows=EXPECTED)


def test_organisations_template_notes_give_the_campaign_quotas(campaign):
    notes = openpyxl.load_workbook(io.BytesIO(organisations_template_xlsx(campaign)))["填写说明"]
    lines = [row[0] for row in notes.iter_rows(values_only=True)]
    assert "2022年度最美后勤人：地方教育后勤社团组织每个单位可推荐 3 名。" in lines
    assert "2022年度最美后勤人：分支机构每个单位可推荐 10 名。" in lines


@pytest.mark.parametrize(("count", "new", "text"), [
    (2, 2, "已导入 2 个推荐单位：新增 2 个（已发送邀请邮件）。"),
    (3, 0, "已导入 3 个推荐单位：更新资料 3 个。"),
    (5, 2, "已导入 5 个推荐单位：新增 2 个（已发送邀请邮件），更新资料 3 个。"),
])
def test_imported_organisations_text_says_only_what_happened(count, new, text):
    from services.intake.domain.imports import imported_organisations_text

    assert imported_organisations_text(count, new) == text


def test_a_real_unit_named_like_the_example_is_checked_like_any_row(campaign):
    """Tester's A-3: a row named 示例大学后勤处 hid its e-mail and phone errors behind 这是模板中的示例行."""
    csv_text = "单位名称,类型,联系人,邮箱,电话,委员单位\n示例大学后勤处,会员单位,李强,not-an-email,123,\n"
    problems = in_chinese(parse_organisations("o.csv", csv_text.encode("gbk"), campaign).problems)
    assert problems and not any("示例行" in problem for problem in problems)
    assert any("邮箱" in problem for problem in problems) and any("电话" in problem for problem in problems)


def test_a_unit_name_with_markup_is_refused(campaign):
    csv_text = "单位名称,类型,联系人,邮箱,电话,委员单位\n<script>alert(1)</script>,会员单位,李强,a@example.org,13800000000,\n"
    problems = in_chinese(parse_organisations("o.csv", csv_text.encode("utf-8"), campaign).problems)
    assert problems == ["第 2 行「单位名称」：请填写纯文字，不含 < > 等符号"]
