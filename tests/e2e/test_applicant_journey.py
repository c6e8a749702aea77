"""An applicant on a phone: fills the form, uploads the files, submits, receives the status link by
e-mail (read from the real SMTP server) and opens it. The system runs as its own processes."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import PHONE, applicant_system, chromium, first_link, free_port, mail_to, processes, shoot
from tests.fixtures import scanfiles

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(stack, tmp_path_factory):
    port = free_port()
    env, commands = applicant_system(stack, port)
    with processes(env, commands, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield {"url": f"http://127.0.0.1:{port}", "mailpit": stack["TUIJU_MAILPIT_API"],
               "files": tmp_path_factory.mktemp("uploads")}


def write_files(folder) -> dict[str, str]:
    files = {
        "photo": ("photo.jpg", scanfiles.portrait_photo_jpeg()),
        "sealed_form": ("sealed-form.pdf", scanfiles.sealed_form_pdf()),
        "certificate-1": ("cert-1.jpg", scanfiles.certificate_jpeg(seed=11)),
        "certificate-2": ("cert-2.jpg", scanfiles.certificate_jpeg(seed=12)),
    }
    paths = {}
    for key, (name, data) in files.items():
        (folder / name).write_bytes(data)
        paths[key] = str(folder / name)
    return paths


def fill_basic_information(page, contact_email: str) -> None:
    page.get_by_role("link", name="基本信息与所属业务领域").click()
    page.get_by_label("姓名", exact=True).fill("张秀兰")
    page.get_by_label("女").check()
    page.get_by_label("民族").select_option("汉族")
    page.get_by_label("年龄").fill("48")
    page.get_by_label("政治面貌").select_option("中共党员")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("邮箱", exact=True).fill("zhangxl@example.com")
    page.get_by_label("单位名称").fill("示例理工大学")
    page.get_by_label("部门", exact=True).fill("后勤保障处")
    page.get_by_label("职务/职称").fill("膳食科科长")
    page.get_by_label("通讯地址").fill("北京市海淀区中关村大街59号")
    page.get_by_label("邮编").fill("100872")
    page.get_by_label("伙食管理").check()
    page.get_by_label("联系人姓名").fill("张秀兰")
    page.get_by_label("联系人手机").fill("13812345678")
    page.get_by_label("联系人邮箱").fill(contact_email)
    with page.expect_navigation():
        page.get_by_role("button", name="保存并继续").click()
    with page.expect_navigation():
        page.get_by_role("link", name="‹ 返回任务清单").click()  # 保存并继续 went on to the next part


def fill_deeds(page) -> None:
    page.get_by_role("link", name="事迹材料与媒体表彰").click()
    page.get_by_label("2022年度最美后勤人事迹材料").fill("她在食堂一线工作二十六年，坚持每天五点到岗检查食材。" * 14)
    page.get_by_label("表彰或奖励名称 1").fill("首都劳动奖章")
    page.get_by_label("级别").select_option("省部级")
    page.get_by_label("颁发单位或媒体").fill("北京市总工会")
    page.get_by_label("获得日期").fill("2021-04-28")
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("link", name="‹ 返回任务清单").click()  # 保存并继续 went on to the next part


def upload_files(page, paths: dict[str, str]) -> None:
    page.get_by_role("link", name="照片、盖章报名表、荣誉证书").click()
    for section, key in [("photo", "photo"), ("sealed_form", "sealed_form"),
                         ("certificate", "certificate-1"), ("certificate", "certificate-2")]:
        with page.expect_navigation():
            page.locator(f"#upload-{section} input[type=file]").set_input_files(paths[key])
    assert page.locator(".file-row").count() == 4


def test_applicant_fills_uploads_submits_and_opens_the_status_link_from_the_mail(system):
    contact_email = f"applicant-{uuid.uuid4().hex[:8]}@example.com"
    paths = write_files(system["files"])
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(system["url"] + "/")
        page.get_by_role("button", name="开始申报").click()
        fill_basic_information(page, contact_email)
        assert page.locator(".task-list .tag.done").count() == 1
        fill_deeds(page)
        upload_files(page, paths)
        shoot(page, "applicant-uploads-phone")
        page.get_by_role("link", name="完成").click()
        page.get_by_role("link", name="检查填写内容").click()
        page.wait_for_selector("[data-scan-watch]", state="detached", timeout=90_000)  # scans done: reloaded
        shoot(page, "applicant-check-phone")
        page.get_by_role("button", name="确认并提交").click()
        expect(page.get_by_role("heading", name="申报已提交")).to_be_visible()
        shoot(page, "applicant-done-phone")

        mail = mail_to(system["mailpit"], contact_email)
        assert "张秀兰" in mail["Text"]
        status_link = first_link(mail["Text"], system["url"] + "/n/")
        page.goto(status_link)
        expect(page.get_by_text("已提交").first).to_be_visible()
        expect(page.get_by_role("heading", name="张秀兰")).to_be_visible()
        shoot(page, "applicant-status-phone")
