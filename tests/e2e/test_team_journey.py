"""A team on a phone: 自荐 as a team, the team's form (leader, members), the deeds, the files a team needs
(no photo), submission, and the confirmation mail; the pages speak of a team throughout (团队自荐, never
个人自荐; no photo promised). The system runs as its own processes."""
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
               "files": tmp_path_factory.mktemp("team-uploads")}


def write_files(folder) -> dict[str, str]:
    files = {"sealed_form": ("team-form.pdf", scanfiles.sealed_form_pdf()),
             "certificate-1": ("team-cert-1.jpg", scanfiles.certificate_jpeg(seed=21)),
             "certificate-2": ("team-cert-2.jpg", scanfiles.certificate_jpeg(seed=22))}
    for name, data in files.values():
        (folder / name).write_bytes(data)
    return {key: str(folder / name) for key, (name, _) in files.items()}


def fill_team(page, contact_email: str) -> None:
    page.get_by_role("link", name="基本信息与所属业务领域").click()
    page.get_by_label("团队名称").fill("“暖心”宿管服务团队")
    page.get_by_label("单位名称").fill("示例师范大学")
    page.get_by_label("部门", exact=True).fill("后勤服务集团")
    page.get_by_label("负责人姓名").fill("王芳")
    page.get_by_label("负责人职务/职称").fill("宿管中心主任")
    page.get_by_label("负责人联系电话").fill("027-68752114")
    page.get_by_label("负责人邮箱").fill("wangfang@example.com")
    page.get_by_label("通讯地址").fill("湖北省武汉市武昌区八一路299号")
    page.get_by_label("邮编").fill("430072")
    for row, (name, role) in enumerate([("李娜", "宿管员"), ("赵强", "维修工")]):
        page.locator(f"[name='team.members.{row}.name']").fill(name)
        page.locator(f"[name='team.members.{row}.role']").fill(role)
    page.get_by_label("学生公寓").check()
    page.get_by_label("联系人姓名").fill("王芳")
    page.get_by_label("联系人手机").fill("13812345678")
    page.get_by_label("联系人邮箱").fill(contact_email)
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("link", name="‹ 返回任务清单").click()  # 保存并继续 went on to the next part


def test_a_team_nominates_itself_on_a_phone_and_every_page_speaks_of_a_team(system):
    contact_email = f"team-{uuid.uuid4().hex[:8]}@example.com"
    paths = write_files(system["files"])
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        page.goto(system["url"] + "/")
        expect(page.get_by_role("heading", name="自荐申报")).to_be_visible()
        page.get_by_label("团队").check()
        page.get_by_role("button", name="开始申报").click()
        expect(page.get_by_role("heading", name="团队自荐：（尚未填写姓名）")).to_be_visible()
        assert "照片" not in page.locator("main").inner_text()
        fill_team(page, contact_email)
        assert page.locator(".task-list .tag.done").count() == 1

        page.get_by_role("link", name="事迹材料与媒体表彰").click()
        page.get_by_label("团队事迹材料（最美服务团队）").fill("团队二十名宿管员轮流值守，十年如一日守护学生安全。" * 14)
        page.get_by_role("button", name="保存并继续").click()
        expect(page.get_by_role("heading", name="上传材料")).to_be_visible()  # went on to the uploads
        page.get_by_role("link", name="‹ 返回任务清单").click()

        page.get_by_role("link", name="盖章报名表、荣誉证书").click()
        assert page.locator("#upload-photo").count() == 0
        for section, key in [("sealed_form", "sealed_form"), ("certificate", "certificate-1"),
                             ("certificate", "certificate-2")]:
            with page.expect_navigation():
                page.locator(f"#upload-{section} input[type=file]").set_input_files(paths[key])
        page.get_by_role("link", name="完成").click()
        page.get_by_role("link", name="检查填写内容").click()
        page.wait_for_selector("[data-scan-watch]", state="detached", timeout=90_000)
        summary = page.locator("main").inner_text()
        assert "团队自荐" in summary and "个人自荐" not in summary and "李娜（宿管员）" in summary
        shoot(page, "team-check-phone")
        page.get_by_role("button", name="确认并提交").click()
        expect(page.get_by_role("heading", name="申报已提交")).to_be_visible()

        mail = mail_to(system["mailpit"], contact_email)
        assert "“暖心”宿管服务团队" in mail["Text"]
        confirmation = mail_to(system["mailpit"], contact_email, subject="已收到您的申报材料")
        assert "推荐渠道：团队自荐" in confirmation["Text"] and "个人自荐" not in confirmation["Text"]
        page.goto(first_link(mail["Text"], system["url"] + "/n/"))
        expect(page.get_by_role("heading", name="“暖心”宿管服务团队")).to_be_visible()
        shoot(page, "team-status-phone")
