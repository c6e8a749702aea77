"""The smaller things applicants noticed, in Chromium on a phone: the deeds counter counts as the server
does while typing; 删除 stays on one line beside a long file name; no page asks for something missing (the
site's icon was a 404 on every page); deleting a file asks first (tester's I-2); what was typed before the page's
scripts ran is counted and saved."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from tests.e2e.browser import PHONE, chromium, intake_alone, shoot
from tests.fixtures import scanfiles

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def intake_web(stack):
    with intake_alone(stack, "intake-web-details") as url:
        yield url


def test_deeds_counter_delete_button_and_no_missing_resource_on_a_phone(intake_web, tmp_path):
    photo = tmp_path / ("一寸免冠照片-二〇二三年一月拍摄-" + "很长的文件名" * 6 + ".jpg")
    photo.write_bytes(scanfiles.portrait_photo_jpeg())
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        missing = []
        page.on("response", lambda answer: missing.append(answer.url) if answer.status == 404 else None)
        page.goto(intake_web + "/")
        page.get_by_role("button", name="开始申报").click()
        page.get_by_role("link", name="事迹材料与媒体表彰").click()
        page.get_by_label("2022年度最美后勤人事迹材料").fill("𠮷野家\n　食堂\t一线 ")
        expect(page.locator("[data-count='f-deeds']")).to_have_text("7")  # as schemas.deeds_char_count counts

        page.get_by_role("link", name="‹ 返回任务清单").click()
        page.get_by_role("link", name="照片、盖章报名表、荣誉证书").click()
        with page.expect_navigation():
            page.locator("#upload-photo input[type=file]").set_input_files(str(photo))
        button = page.locator("#upload-photo .file-row button")
        lines = button.evaluate("b => { const r = document.createRange(); r.selectNodeContents(b); "
                                "return new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size; }")
        assert button.inner_text() == "删除" and lines == 1
        assert page.locator("#upload-photo .file-row").bounding_box()["width"] <= PHONE["width"]
        shoot(page, "details-uploads-phone")
        assert missing == []

        questions = []
        page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
        button.click()  # dismissed: nothing is deleted
        assert questions == [f"确定删除 {photo.name} 吗？"]
        assert page.locator("#upload-photo .file-row").count() == 1
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            button.click()
        assert page.locator("#upload-photo .file-row").count() == 0


def test_what_was_typed_before_the_page_scripts_ran_is_counted_and_saved(intake_web):
    """On a slow phone the form is on screen before its deferred scripts run: the text typed meanwhile sends
    no later input event, yet the counter shows it and the draft saves it."""
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(intake_web + "/")
        page.get_by_role("button", name="开始申报").click()
        held, released = [], []

        def hold(route):  # each script waits until the text is typed
            route.continue_() if released else held.append(route)

        page.route("**/static/*.js", hold)
        page.get_by_role("link", name="事迹材料与媒体表彰").click()
        page.get_by_label("2022年度最美后勤人事迹材料").fill("食堂 一线")
        for _ in range(100):
            if len(held) >= 2:
                break
            page.wait_for_timeout(100)
        assert len(held) >= 2, "the page's scripts were not asked for"
        expect(page.locator("[data-count='f-deeds']")).to_have_text("0")  # the server's count of the empty field
        released.append(True)
        for route in held:
            route.continue_()
        expect(page.locator("[data-count='f-deeds']")).to_have_text("4")
        expect(page.locator("[data-autosave-status]")).to_have_text("草稿已自动保存", timeout=15_000)
        page.goto(page.url)  # a new load: nothing restored by the browser, only what the server kept
        expect(page.get_by_label("2022年度最美后勤人事迹材料")).to_have_value("食堂 一线")
