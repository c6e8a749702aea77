"""The secretariat's read-only pages of nominations on the real database and S3, through Flask's test
client: the list's search, filters and pages, the Excel export, one nomination as staff see it, its
files, and the flags grouped with the nominations they name."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest

from services.intake.adapters.links import nomination_token
from services.intake.domain.staff_list import PAGE_SIZE
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.views import nomination_view
from tests import staff as staff_accounts
from tests.builders import complete_self_nomination, random_name

pytestmark = pytest.mark.integration


@pytest.fixture()
def staff(client, stack):
    return staff_accounts.as_staff(client, stack, "secretariat")


def listed(staff, **args) -> str:
    answer = staff.get("/admin/nominations", query_string=args)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def table(page: str) -> str:
    """The list's rows (the search box repeats what was typed above them)."""
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def submitted(intake, name: str, **form) -> str:
    nomination_id = complete_self_nomination(intake, name=name, **form)
    submission.send(intake, nomination_id, f"k-{nomination_id}")
    return nomination_id


def reference(intake, nomination_id: str) -> str:
    return nomination_view(intake, nomination_id).reference


def test_staff_pages_ask_for_a_staff_sign_in_and_let_auditors_read(client, stack):
    for path in ("/admin/nominations", "/admin/nominations/export.xlsx", "/admin/nominations/2022-00001"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/auth/login" in answer.location
    auditor = staff_accounts.as_staff(client, stack, "auditor")
    assert auditor.get("/admin/nominations").status_code == 200
    assert auditor.get("/admin/").status_code == 403  # the imports and invitations are the secretariat's


def test_list_finds_a_nomination_by_name_unit_phone_and_reference(staff, intake):
    name = random_name("欧阳")
    nomination_id = submitted(intake, name, unit="塔里木大学")
    number = reference(intake, nomination_id)
    for typed in (name, name[2:], "塔里木", number, number.split("-")[1].lstrip("0")):
        rows = table(listed(staff, q=typed))
        assert name in rows and number in rows, typed
    assert name not in table(listed(staff, q=name, state="withdrawn"))


def test_list_filters_by_state_kind_and_a_missing_domain_shown_as_not_chosen(staff, intake):
    draft = use_cases.start_nomination(intake, channel="self", nominee_kind="team")
    team = random_name("团队")
    use_cases.save_draft(intake, draft, {"team": {"name": team}})
    page = listed(staff, q=team, state="draft", kind="team", domain="none")
    assert team in table(page) and "未选择" in table(page)
    assert team not in table(listed(staff, q=team, domain="伙食管理"))
    assert team not in table(listed(staff, q=team, kind="person"))
    assert "None" not in page


def test_list_pages_keep_the_filters_in_the_url(staff, intake):
    page = listed(staff, state="draft", order="reference")
    total = int(re.search(r"符合条件 (\d+) 份", page).group(1))
    if total <= PAGE_SIZE:  # make a second page of drafts
        for _ in range(PAGE_SIZE + 1 - total):
            use_cases.start_nomination(intake, channel="self", nominee_kind="person")
        page = listed(staff, state="draft", order="reference")
    assert 'href="/admin/nominations?state=draft&amp;order=reference&amp;page=2"' in page
    second = listed(staff, state="draft", order="reference", page="2")
    assert "第 2 /" in second and "‹ 上一页" in second
    assert "第 1 /" in listed(staff, state="draft", page="banana")


def test_a_search_too_long_or_with_like_wildcards_is_taken_as_text(staff):
    assert "没有符合条件的申报" in listed(staff, q="%_%" + "长" * 500)


def test_detail_shows_the_nomination_read_only_without_the_private_link(staff, intake):
    name = random_name("司马")
    nomination_id = submitted(intake, name)
    number = reference(intake, nomination_id)
    page = staff.get(f"/admin/nominations/{number}").get_data(as_text=True)
    assert name in page and number in page and "已提交" in page and "伙食管理" in page
    assert nomination_token(intake.settings.secret_key, nomination_id) not in page
    assert "/n/" not in page and "None" not in page
    assert staff.get("/admin/nominations/2022-99999999").status_code == 404
    assert staff.get("/admin/nominations/not-a-reference").status_code == 404


def test_detail_serves_the_files_of_its_own_nomination_only(staff, intake):
    nomination_id = submitted(intake, random_name("上官"))
    view = nomination_view(intake, nomination_id)
    photo = next(f for f in view.files if f.kind == "photo")
    answer = staff.get(f"/admin/nominations/{view.reference}/files/{photo.id}")
    assert answer.status_code == 200 and answer.data[:2] == b"\xff\xd8"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    other = reference(intake, use_cases.start_nomination(intake, channel="self", nominee_kind="person"))
    assert staff.get(f"/admin/nominations/{other}/files/{photo.id}").status_code == 404


def test_export_is_an_excel_workbook_of_the_filtered_list_with_typed_text_kept_as_text(staff, intake):
    name = random_name("诸葛")
    nomination_id = submitted(intake, name)
    draft = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, draft, {"person": {"name": f"=HYPERLINK(\"http://evil\",\"{name}\")"}})
    answer = staff.get("/admin/nominations/export.xlsx", query_string={"q": name})
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("申报编号", "状态", "推荐对象类型", "姓名/团队名称")
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {reference(intake, nomination_id), reference(intake, draft)}
    assert by_reference[reference(intake, nomination_id)][1:4] == ("已提交", "个人", name)
    typed = by_reference[reference(intake, draft)][3]
    assert typed.startswith("=HYPERLINK") and sheet.cell(3, 4).data_type == "s"


def test_same_nominee_twice_is_one_flag_group_naming_both_with_staff_links(staff, intake):
    name = random_name("慕容")
    first, second = submitted(intake, name), submitted(intake, name)
    page = staff.get("/admin/").get_data(as_text=True)
    group = next(line for line in page.split("<li>") if reference(intake, first) in line)
    assert group.count("同一人通过两个渠道被推荐") == 1
    for nomination_id in (first, second):
        assert f'href="/admin/nominations/{reference(intake, nomination_id)}"' in group
        assert nomination_token(intake.settings.secret_key, nomination_id) not in page
    detail = staff.get(f"/admin/nominations/{reference(intake, first)}").get_data(as_text=True)
    assert f"{name}（{reference(intake, first)}，本申报）" in detail
    assert f'href="/admin/nominations/{reference(intake, second)}"' in detail


def test_export_names_the_flags_and_the_political_status_as_the_form_offers_it(staff, intake):
    """Tester's A-2: 提示 was only a count (1 项), 政治面貌 the full name (中国共产党党员) though 中共党员 was chosen."""
    name = random_name("司马")
    first, second = submitted(intake, name), submitted(intake, name)
    answer = staff.get("/admin/nominations/export.xlsx", query_string={"q": name})
    rows = list(openpyxl.load_workbook(io.BytesIO(answer.data)).worksheets[0].iter_rows(values_only=True))
    header, by_reference = rows[0], {row[0]: row for row in rows[1:]}
    for nomination_id in (first, second):
        row = by_reference[reference(intake, nomination_id)]
        assert "同一人通过两个渠道被推荐" in row[header.index("提示")].split("；")
        assert row[header.index("政治面貌")] == "中共党员"
