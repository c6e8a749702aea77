"""The staff import file (CSV or Excel) and its template: columns in Chinese or English."""
from __future__ import annotations

import io

from shared.spreadsheets import header_key, read_table

MAX_ROWS = 5000
# Each column by every name it may carry, to the field it fills.
COLUMNS = {
    "subject": ("账号标识", "subject"),
    "username": ("用户名", "username"),
    "name": ("姓名", "name"),
    "email": ("邮箱", "email"),
    "role": ("角色", "role"),
    "domains": ("业务领域", "domains"),
    "unit": ("所在单位", "unit"),
    "organisation_id": ("所属组织编号", "organisation_id"),
    "organisation_name": ("所属组织", "organisation_name"),
    "cap": ("待审上限", "cap"),
    "active": ("在岗", "active"),
}
_BY_HEADER = {header_key(name): field for field, names in COLUMNS.items() for name in names}


def staff_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """Each row as {field: text}; unknown columns are ignored. Raises UnreadableFile."""
    return [{_BY_HEADER[key]: value for key, value in row.items() if key in _BY_HEADER}
            for row in read_table(filename, data, MAX_ROWS + 1)]


def template_xlsx(domains: tuple[str, ...]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评审人员"
    sheet.append([names[0] for names in COLUMNS.values()])
    sheet.append(["kc-subject-0001", "zhang.san", "张三", "zhangsan@example.edu.cn", "评审工作组",
                  "、".join(domains[:2]), "示例师范大学", "", "", "", "1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
