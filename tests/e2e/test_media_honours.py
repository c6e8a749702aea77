"""Media honours on a phone: a half-filled honour is checked as it is saved and the message names its row;
a row can be deleted; the check page never shows empty brackets for it."""
from __future__ import annotations

import re

import pytest

from tests.e2e.browser import PHONE, applicant_system, chromium, free_port, processes, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(stack):
    port = free_port()
    env, commands = applicant_system(stack, port)
    with processes(env, {"intake-web": commands["intake-web"]}, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield f"http://127.0.0.1:{port}"


def test_a_half_filled_honour_is_named_in_its_message_and_can_be_deleted(system):
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(system + "/")
        page.get_by_role("button", name="开始申报").click()
        page.get_by_role("link", name="事迹材料与媒体表彰").click()
        page.get_by_label("表彰或奖励名称 1").fill("首都劳动奖章")
        page.get_by_role("button", name="保存并继续").click()
        summary = page.locator("#error-summary").inner_text()
        assert "第 1 项表彰·级别：必填" in summary and "第 1 项表彰·颁发单位：必填" in summary
        shoot(page, "honour-row-error-phone")

        page.get_by_role("link", name="返回任务清单").first.click()
        page.get_by_role("link", name="检查填写内容").click()
        honours = page.locator("dt", has_text="曾获媒体平台表彰与奖励").locator("xpath=following-sibling::dd[1]")
        assert honours.inner_text().strip() == "首都劳动奖章"  # no empty "（，，）"

        page.goto(page.url.replace("/check", "/deeds"))
        page.get_by_role("button", name=re.compile(r"删除此项.*第 1 项表彰")).click()
        assert "已删除第 1 项表彰" in page.locator("main").inner_text()
        assert page.get_by_label("表彰或奖励名称 1").input_value() == ""
        assert page.locator("#error-summary").count() == 0
