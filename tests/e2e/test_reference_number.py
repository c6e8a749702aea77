"""One short reference number (申报编号) follows a nomination everywhere, in Chromium on a phone: the task
list gives it from the start; the done page, the status page, the printable form and the mail repeat it;
and the secretariat finds the mail by it on notify's admin pages (at a desktop's width)."""
from __future__ import annotations

import re
import uuid

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import expect

from tests.e2e.browser import (PHONE, applicant_system, chromium, first_link, free_port, mail_to, processes, shoot,
                               sign_in_on_keycloak)
from tests.e2e.test_applicant_journey import fill_basic_information, fill_deeds, upload_files, write_files
from tests.stack import wait_until

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def system(stack, tmp_path_factory):
    port, notify_port = free_port(), free_port()
    env, commands = applicant_system(stack, port, notify_port=notify_port)
    with processes(env, commands, ready_url=f"http://127.0.0.1:{port}/healthz"):
        wait_until(lambda: _answers(f"http://127.0.0.1:{notify_port}/healthz"), 60, what="notify's web")
        yield {"url": f"http://127.0.0.1:{port}", "notify": f"http://127.0.0.1:{notify_port}",
               "mailpit": stack["TUIJU_MAILPIT_API"], "files": tmp_path_factory.mktemp("uploads")}


def _answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def shown_reference(page) -> str:
    return page.locator("[data-reference]").first.inner_text().strip()


def pdf_text(page, url: str) -> str:
    answer = page.request.get(url)
    return "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(answer.body()))


def test_reference_is_given_at_the_start_repeated_everywhere_and_finds_the_mail_in_notify(system):
    contact_email = f"reference-{uuid.uuid4().hex[:8]}@example.com"
    paths = write_files(system["files"])
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(system["url"] + "/")
        page.get_by_role("button", name="开始申报").click()
        reference = shown_reference(page)
        assert re.fullmatch(r"\d{4}-\d{5,}", reference)
        form_url = page.get_by_role("link", name="下载报名表（PDF）").get_attribute("href")
        assert f"申报编号：{reference}" in pdf_text(page, system["url"] + form_url)

        fill_basic_information(page, contact_email)
        fill_deeds(page)
        upload_files(page, paths)
        page.get_by_role("link", name="完成").click()
        page.get_by_role("link", name="检查填写内容").click()
        page.wait_for_selector("[data-scan-watch]", state="detached", timeout=90_000)  # scans done: reloaded
        page.get_by_role("button", name="确认并提交").click()
        expect(page.get_by_role("heading", name="申报已提交")).to_be_visible()
        assert shown_reference(page) == reference
        shoot(page, "reference-done-phone")

        mail = mail_to(system["mailpit"], contact_email)
        assert f"申报编号：{reference}" in mail["Text"]
        reader = browser.new_page(viewport=PHONE)
        reader.set_content(mail["HTML"])  # the mail's HTML part as a phone's mail program shows it
        expect(reader.get_by_text(f"申报编号：{reference}")).to_be_visible()
        expect(reader.get_by_role("link", name="打开链接")).to_be_visible()
        assert reader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shoot(reader, "mail-html-phone")
        page.goto(first_link(mail["Text"], system["url"] + "/n/"))
        assert shown_reference(page) == reference
        shoot(page, "reference-status-phone")

        staff = browser.new_page(viewport=DESKTOP)
        sign_in_on_keycloak(staff, system["notify"] + "/admin/messages")
        staff.get_by_label("申报编号").fill(reference.split("-")[1])
        with staff.expect_navigation():
            staff.get_by_role("button", name="筛选").click()
        row = staff.locator("tr", has_text=contact_email)
        expect(row.first).to_be_visible()
        assert reference in row.first.inner_text()
        shoot(staff, "reference-notify-search-desktop")
        row.first.get_by_role("link").first.click()
        body = staff.locator("[data-body]").inner_text()
        assert f"申报编号：{reference}" in body and "专属链接，已隐藏" in body and "/n/" + "x" not in body
        assert first_link(mail["Text"], system["url"] + "/n/") not in body
        shoot(staff, "notify-message-desktop")
