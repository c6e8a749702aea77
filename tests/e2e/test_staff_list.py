"""The secretariat in Chromium: signs in to intake's admin, sees the same nominee's two nominations as one
flag naming both, opens the read-only staff view (no private link), finds a nomination in the list by
search and keyboard, filters the drafts without a domain (未选择), and exports the list to Excel. At a
desktop's width and on a phone."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.views import nomination_view
from tests.builders import complete_self_nomination, open_intake, random_name
from tests.e2e.browser import PHONE, chromium, intake_alone, overflowing, shoot, sign_in_on_keycloak

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def system(stack):
    with intake_alone(stack, "intake-web-staff-list") as url:
        yield url


@pytest.fixture(scope="module")
def seeded(stack):
    """Two nominations of one person (flagged), and a team's draft without a domain."""
    intake = open_intake(stack)
    name = random_name("东方")
    twice = [complete_self_nomination(intake, name=name) for _ in range(2)]
    for nomination_id in twice:
        submission.send(intake, nomination_id, f"k-{nomination_id}")
    draft = use_cases.start_nomination(intake, channel="self", nominee_kind="team")
    team = random_name("团队")
    use_cases.save_draft(intake, draft, {"team": {"name": team}})
    found = {"name": name, "team": team, "references": [nomination_view(intake, n).reference for n in twice],
             "draft_reference": nomination_view(intake, draft).reference}
    intake.engine.dispose()
    return found


def sign_in(page, url: str) -> None:
    sign_in_on_keycloak(page, url + "/admin/")


def test_secretariat_follows_a_flag_to_the_read_only_view_and_finds_by_search_and_keys(system, seeded):
    first, second = seeded["references"]
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        sign_in(page, system)
        group = page.locator(".flag-groups li", has_text=first).filter(has_text="同一人通过两个渠道被推荐")
        assert group.count() == 1 and second in group.inner_text()
        assert page.locator("a[href*='/n/']").count() == 0
        group.get_by_role("link", name=f"{seeded['name']}（{second}）").click()
        expect(page.get_by_text("工作人员只读视图")).to_be_visible()
        assert page.locator("[data-reference]").inner_text() == second
        assert f"{seeded['name']}（{second}，本申报）" in page.locator("section.notice.warning").inner_text()
        assert page.locator("a[href*='/n/']").count() == 0
        shoot(page, "staff-nomination-desktop")

        page.get_by_role("navigation", name="秘书处").get_by_role("link", name="申报列表").click()
        page.wait_for_load_state("load")  # the shortcuts' script has run
        page.keyboard.press("/")
        page.keyboard.type(first)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        rows = page.locator("[data-rows] tbody tr")
        assert rows.count() == 1 and seeded["name"] in rows.inner_text()
        page.keyboard.press("j")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("[data-reference]").inner_text() == first


def test_secretariat_filters_drafts_without_a_domain_and_exports_them(system, seeded):
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
        sign_in(page, system)
        page.get_by_role("navigation", name="秘书处").get_by_role("link", name="申报列表").click()
        page.get_by_label("状态").select_option("draft")
        page.get_by_label("业务领域").select_option(label="未选择")
        page.get_by_label("类型").select_option("team")
        page.get_by_role("button", name="筛选").click()
        assert "state=draft" in page.url and "domain=none" in page.url and "kind=team" in page.url
        row = page.locator("[data-rows] tbody tr", has_text=seeded["team"])
        assert row.count() == 1 and "未选择" in row.inner_text() and "None" not in page.content()
        shoot(page, "staff-list-desktop")
        with page.expect_download() as download:
            page.get_by_role("link", name="导出 Excel").click()
        sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).worksheets[0]
        exported = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert exported[seeded["draft_reference"]][1:4] == ("草稿", "团队", seeded["team"])
        assert all(row[1] == "草稿" and row[2] == "团队" for row in exported.values())


def test_secretariats_list_reads_on_a_phone(system, seeded, stack):
    intake = open_intake(stack)
    for _ in range(4):  # the same photo in more nominations: one file-match line each on the view's file row
        complete_self_nomination(intake, name=random_name("南宫"))
    intake.engine.dispose()
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        sign_in(page, system)
        shoot(page, "staff-overview-phone")
        page.goto(system + "/admin/nominations?q=" + seeded["name"])
        cards = page.locator("[data-rows] tbody tr")
        assert cards.count() == 2
        assert overflowing(page, PHONE["width"]) == []
        shoot(page, "staff-list-phone")
        with page.expect_navigation():
            cards.first.get_by_role("link").click()
        expect(page.locator("[data-file-match]").first).to_be_visible()
        assert page.locator("[data-file-match]").count() >= 4
        assert overflowing(page, PHONE["width"]) == []
        shoot(page, "staff-nomination-phone")


def test_secretariat_previews_an_organisation_list_from_gbk_csv_on_a_phone_and_imports_it(system, tmp_path):
    tag = tmp_path.name[-6:]
    header = "单位名称,类型,联系人,邮箱,电话,委员单位\n"
    broken = tmp_path / "推荐单位-有误.csv"
    broken.write_bytes(f"{header}示范后勤协会{tag},地方教育后勤社团组织,王,a-{tag}@example.org,,\n"
                       f"另一后勤协会{tag},不存在的类型,李,不是邮箱,,\n".encode("gbk"))
    good = tmp_path / "推荐单位.csv"
    good.write_bytes(f"{header}示范后勤协会{tag},地方教育后勤社团组织,王,a-{tag}@example.org,,\n"
                     f"另一后勤协会{tag},地方教育后勤社团组织,李,b-{tag}@example.org,,\n".encode("gbk"))
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        sign_in(page, system)
        assert page.get_by_role("link", name="归档 · 往届获评名录").count() == 1  # past honourees: the archive's
        form = page.locator("form.import-form", has=page.locator("#f-organisations"))
        form.locator("input[type=file]").set_input_files(str(broken))
        form.get_by_role("button", name="上传并预览").click()
        summary = page.locator(".error-summary")
        assert "第 3 行「类型」" in summary.inner_text() and "第 3 行「邮箱」" in summary.inner_text()
        assert page.get_by_role("button", name=re.compile("确认导入")).count() == 0
        shoot(page, "staff-import-problems-phone")
        page.locator("form.import-form input[type=file]").set_input_files(str(good))
        with page.expect_navigation():
            page.get_by_role("button", name="上传并预览").click()
        expect(page.locator(".staff-table tbody tr")).to_have_count(2)
        shoot(page, "staff-import-preview-phone")
        page.get_by_role("button", name="确认导入 2 个单位").click()
        assert "已导入 2 个推荐单位" in page.locator("main").inner_text()
