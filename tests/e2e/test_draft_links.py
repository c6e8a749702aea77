"""A lost link is not a lost draft: on a phone the applicant asks for the verification mail, opens its link
from Mailpit, receives the draft's private link by mail, and later has the links mailed again from the
links page. The system runs as its own processes (intake web and relay, notify consumer and worker)."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.e2e.browser import PHONE, applicant_system, chromium, first_link, free_port, mail_to, processes, shoot
from tests.stack import wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def system(stack):
    port = free_port()
    env, commands = applicant_system(stack, port)
    commands.pop("intake-worker")  # no file is uploaded here
    with processes(env, commands, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield {"url": f"http://127.0.0.1:{port}", "mailpit": stack["TUIJU_MAILPIT_API"]}


def count(mailpit: str, query: str) -> int:
    with urllib.request.urlopen(f"{mailpit}/api/v1/search?query={urllib.parse.quote(query)}", timeout=5) as answer:
        return json.load(answer)["messages_count"]


def test_the_private_link_is_mailed_once_the_contact_is_verified_and_again_on_request(system):
    address = f"draft-{uuid.uuid4().hex[:8]}@example.com"
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(system["url"] + "/")
        page.get_by_role("button", name="开始申报").click()
        draft_url = page.url
        page.get_by_role("link", name="基本信息与所属业务领域").click()
        page.get_by_label("姓名", exact=True).fill("李秀英")
        page.get_by_label("联系人邮箱").fill(address)
        page.get_by_role("button", name="保存并继续").click()
        page.goto(draft_url)
        page.get_by_role("button", name="发送验证邮件").click()
        assert f"验证邮件已发送至 {address}" in page.locator("main").inner_text()

        verification = mail_to(system["mailpit"], address)
        assert "请验证联系人邮箱" in verification["Subject"]
        page.goto(first_link(verification["Text"], system["url"] + "/verify/"))
        assert "联系人邮箱已验证" in page.locator("main").inner_text()
        shoot(page, "contact-verified-phone")

        links = mail_to(system["mailpit"], f"{address} subject:您的申报链接")
        assert draft_url in links["Text"] and "李秀英" in links["Text"]

        page.goto(system["url"] + "/")
        page.get_by_role("link", name="把申报链接重新发到联系人邮箱").click()
        page.get_by_label("联系人邮箱").fill(address)
        page.get_by_role("button", name="发送申报链接").click()
        assert "我们已把这些申报的专属链接发送到该邮箱" in page.locator("main").inner_text()
        shoot(page, "draft-links-phone")
        wait_until(lambda: count(system["mailpit"], f"to:{address} subject:您的申报链接") == 2, 90, 1, "the links again")
