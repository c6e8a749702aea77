"""Cross-site scripting payloads (tests/chaos/xss.py) in the staff import file of review's secretariat: a CSV
and an Excel file whose every person has a payload as name, unit and organisation, uploaded through the
people page's import form in headless Chromium (signed in as the secretariat, with its CSRF token), and a
CSV whose rows are refused for a payload as business domain and role (the refusal repeats what the row
said). Each file's preview (whom it adds, what it changes, or the problems of each row) is checked, then the
import is confirmed. Then every page that shows those people: the page after each import, the people
list, each person's edit form, the audit page, review's queue (the assignee), and notify's reviewers page
once the people reached it as `staff.updated` events. No script runs, nothing is made from a payload, each
shows as its text."""
from __future__ import annotations

import pytest

from tests.chaos.xss import ALL, STAFF_PART, Tally, Watch, signed_in, visit
from tests.e2e.browser import chromium
from tests.spreadsheet_files import csv_bytes, xlsx_bytes
from tests.stack import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

HEADER = ["账号标识", "用户名", "姓名", "邮箱", "角色", "业务领域", "所在单位", "所属组织编号", "所属组织", "待审上限", "在岗"]
CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def people_rows(tag: str, kind: str, domain: str) -> list[list[str]]:
    """One working-group member per payload (inactive: none takes other tests' nominations)."""
    return [[f"xss-{kind}-{tag}-{n}", f"xss.{kind}.{tag}.{n}", payload, f"xss-{kind}-{tag}-{n}@example.com",
             "评审工作组", domain, payload, f"ORG-{tag}-{n}", payload, "", "0"] for n, payload in enumerate(ALL)]


def refused_rows(tag: str) -> list[list[str]]:
    return [[f"xss-bad-{tag}-{n}", "", payload, "", payload, payload, payload, "", payload, "", "1"]
            for n, payload in enumerate(ALL)]


def upload(watch: Watch, tally: Tally, url: str, kind: str, data: bytes, where: str) -> str:
    """The file chosen in the import form and sent by its button; the page it lands on is checked."""
    page = watch.page
    page.goto(url + "/staff/")
    page.set_input_files("input[name=file][type=file]", files=[{
        "name": f"评审人员.{kind}", "mimeType": CONTENT_TYPES[kind], "buffer": data}])
    with page.expect_navigation():
        page.locator("form[action$='/staff/import'] button[type=submit]").click()
    page.keyboard.press("Tab")
    tally.check(watch, f"{where}: its preview")
    confirm = page.locator("form[action$='/staff/import/confirm'] button[type=submit]")
    if confirm.count() == 0:  # a file with problems: its preview lists them, and there is nothing to confirm
        return " ".join(page.locator(".flash").all_inner_texts())
    with page.expect_navigation():
        confirm.click()
    page.keyboard.press("Tab")
    tally.check(watch, where)
    return " ".join(page.locator(".flash").all_inner_texts())


def test_payloads_in_the_staff_import_file_run_on_no_page(xss_system):
    urls, tag = xss_system["urls"], xss_system["tag"]
    domain = xss_system["review"].campaign.domains[0]
    review_pages, notify_pages = Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    imported = {kind: people_rows(tag, kind, domain) for kind in ("csv", "xlsx")}
    with chromium() as browser:
        secretariat = signed_in(browser, urls["review"] + "/staff/")
        said = {"csv": upload(secretariat, review_pages, urls["review"], "csv", csv_bytes(HEADER, imported["csv"]),
                              "after the CSV import"),
                "xlsx": upload(secretariat, review_pages, urls["review"], "xlsx",
                               xlsx_bytes(HEADER, imported["xlsx"]), "after the Excel import"),
                "refused": upload(secretariat, review_pages, urls["review"], "csv",
                                  csv_bytes(HEADER, refused_rows(tag)), "after the refused import")}
        assert f"已导入 {len(ALL)} 人" in said["csv"] and f"已导入 {len(ALL)} 人" in said["xlsx"], said
        assert "文件有误，不能导入" in said["refused"], said["refused"]
        subjects = [row[0] for rows in imported.values() for row in rows]
        visit(secretariat, review_pages, urls["review"],
              ["/staff/", "/staff/audit", "/"] + [f"/staff/?edit={subject}" for subject in subjects])
        notify = signed_in(browser, urls["notify"] + "/admin/reviewers")

        def listed() -> bool:
            notify.page.goto(urls["notify"] + "/admin/reviewers")
            return notify.page.locator("td", has_text=f"xss-csv-{tag}-{len(ALL) - 1}@example.com").count() > 0 and \
                notify.page.locator("td", has_text=f"xss-xlsx-{tag}-{len(ALL) - 1}@example.com").count() > 0
        wait_until(listed, 120, interval=1, what="notify to hear of the imported people")
        visit(notify, notify_pages, urls["notify"], ["/admin/reviewers"])
    how = ("a CSV and an Excel file previewed and imported through review's people page in Chromium (payloads as names, "
           "units and organisations), and a CSV refused at its preview for payloads as domains and roles")
    held = [review_pages.record(f"review's pages after each import (its preview, its refusals), the people list, each person's "
                                f"edit form, the audit page and the queue ({how})"),
            notify_pages.record(f"notify's reviewers page once review's staff.updated events reached it ({how})")]
    assert all(held), [t.harm or sorted(set(ALL) - t.shown) for t in (review_pages, notify_pages)]

