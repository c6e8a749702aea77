"""The material check and the shortlist in Debian's Chromium, the system as its own processes: an applicant
submits in intake; a working-group reviewer signs in through Keycloak, returns the nomination for one
field; the applicant corrects it in intake and resubmits; the reviewer sees what changed and approves; the
branch shortlists it. Text the applicant typed with HTML and script in it is shown as text. Screenshots of
the queue, the nomination page and the dashboard at a phone's and a desktop's width."""
from __future__ import annotations

import os
import shutil
import sys
import uuid

import pytest
from playwright.sync_api import expect

from services.review.domain.people import Role, StaffMember
from services.review.service_layer.assignments import reassign
from services.review.service_layer.staff import save_member
from tests import staff as kc
from tests.builders import random_name
from tests.e2e.browser import PHONE, chromium, free_port, processes, shoot
from tests.e2e.test_applicant_journey import fill_basic_information, fill_deeds, upload_files, write_files
from tests.integration.review.test_authorisation import subject_of
from tests.stack import REPO, wait_until

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1280, "height": 900}
# Intake refuses < and > in every text (tester's I-9); what passes must still reach review's pages as text:
# entities shown as typed (not decoded into a tag), a quote that would leave an attribute, a template tag.
HOSTILE = '&lt;img src=x onerror=window.__xss=1&gt; " onmouseover="window.__xss=2" {{ 7*7 }} &amp;'


@pytest.fixture(scope="module")
def system(stack, tmp_path_factory):
    intake_port, review_port = free_port(), free_port()
    env = {**stack, "TUIJU_DEMO": "1", "TUIJU_INTAKE_URL": f"http://127.0.0.1:{intake_port}",
           "TUIJU_REVIEW_URL": f"http://127.0.0.1:{review_port}", "TUIJU_CONSUMER_GROUP": f"e2e-{uuid.uuid4().hex[:6]}"}
    python = sys.executable
    commands = {
        "intake-web": [python, "-m", "gunicorn", "-b", f"127.0.0.1:{intake_port}", "-w", "1", "--threads", "4",
                       "services.intake.entrypoints.web:create_app()"],
        "intake-relay": [python, "-m", "services.intake.entrypoints.relay"],
        "intake-consumer": [python, "-m", "services.intake.entrypoints.consumer"],
        "intake-worker": [python, "-m", "celery", "-A", "services.intake.entrypoints.worker", "worker",
                          "-Q", "scans", "-c", "1", "-n", f"e2e-review-intake-{intake_port}@%h"],
        "review-web": [python, "-m", "gunicorn", "-b", f"127.0.0.1:{review_port}", "-w", "1", "--threads", "4",
                       "services.review.entrypoints.web:create_app()"],
        "review-relay": [python, "-m", "services.review.entrypoints.relay"],
        "review-consumer": [python, "-m", "services.review.entrypoints.consumer"],
    }
    with processes(env, commands, ready_url=f"http://127.0.0.1:{review_port}/healthz"):
        yield {"intake": f"http://127.0.0.1:{intake_port}", "review": f"http://127.0.0.1:{review_port}",
               "files": tmp_path_factory.mktemp("uploads"), "env": env}


@pytest.fixture(scope="module")
def review(system):
    from services.review.bootstrap import bootstrap
    from shared.config import Settings

    container = bootstrap(Settings.from_env("review", system["env"]))
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def people(system, review):
    """The demo users of the working group, the branch and the secretariat, known to review by subject."""
    found = {}
    for username, role, details in (("working_group", Role.WORKING_GROUP, {"domains": ("伙食管理",), "unit": "示例农业大学"}),
                                    ("branch", Role.BRANCH, {"domains": ("伙食管理",), "unit": "协会伙食专业委员会"}),
                                    ("secretariat", Role.SECRETARIAT, {"unit": "中国教育后勤协会"})):
        member = StaffMember(subject_of(kc.access_token(system["env"], username)), f"演示{role.value}", role,
                             username=username, **details)
        with review.sessions.begin() as session:
            save_member(session, member, by=None, at=review.clock())
        found[username] = member
    return found


def sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.fill("#username", username)
    page.fill("#password", kc.DEMO_PASSWORD)
    page.click("#kc-login")
    page.wait_for_url(f"{url.split('?')[0].rsplit('/', 1)[0]}/**")


def review_id_of(review, name: str) -> str | None:
    import sqlalchemy as sa
    from services.review.adapters.orm import reviews

    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.nomination_id).where(reviews.c.nominee_name == name)).scalar()


def state_of(review, nomination_id: str) -> str:
    import sqlalchemy as sa
    from services.review.adapters.orm import reviews

    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == nomination_id)).scalar()


def submit_as_applicant(browser, system, name: str) -> str:
    page = browser.new_page(viewport=PHONE)
    page.goto(system["intake"] + "/")
    page.get_by_role("button", name="开始申报").click()
    fill_basic_information(page, f"applicant-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_role("link", name="基本信息与所属业务领域").click()
    page.get_by_label("姓名", exact=True).fill(name)
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("link", name="‹ 返回任务清单").click()  # 保存并继续 went on to the next part
    fill_deeds(page)
    page.get_by_role("link", name="事迹材料与媒体表彰").click()
    page.get_by_label("2022年度最美后勤人事迹材料").fill(HOSTILE + "她在食堂一线工作二十六年，坚持每天五点到岗检查食材。" * 14)
    page.get_by_label("表彰或奖励名称 1").fill(HOSTILE[:60])
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_role("link", name="‹ 返回任务清单").click()  # 保存并继续 went on to the next part
    upload_files(page, write_files(system["files"]))
    page.get_by_role("link", name="完成").click()
    tasks_url = page.url
    page.get_by_role("link", name="检查填写内容").click()
    page.wait_for_selector("[data-scan-watch]", state="detached", timeout=120_000)
    page.get_by_role("button", name="确认并提交").click()
    expect(page.get_by_role("heading", name="申报已提交"), page.locator("main").inner_text()[:1500]).to_be_visible()
    page.close()
    return tasks_url


def correct_phone_in_intake(applicant, phone: str) -> None:
    """On the intake form as the applicant: only the returned field is open; the others are locked."""
    applicant.get_by_role("link", name="修改内容").click()
    assert not applicant.get_by_label("姓名", exact=True).is_editable()
    applicant.get_by_label("联系电话").fill(phone)
    with applicant.expect_navigation():
        applicant.get_by_role("button", name="保存并继续").click()
    assert applicant.get_by_role("alert").count() == 0, applicant.locator("main").inner_text()[:800]


def test_return_correct_resubmit_approve_shortlist_in_the_browser(system, review, people):
    name = random_name("郑")
    with chromium() as browser:
        tasks_url = submit_as_applicant(browser, system, name)
        wait_until(lambda: review_id_of(review, name) is not None, 90, what="review to receive the submission")
        nomination_id = review_id_of(review, name)
        reassign(review, [nomination_id], by=people["secretariat"], to=people["working_group"].subject)

        reviewer = browser.new_context(viewport=DESKTOP).new_page()
        dialogs: list[str] = []
        reviewer.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        sign_in(reviewer, system["review"] + "/?mine=1", "working_group")
        expect(reviewer.get_by_role("link", name=name)).to_be_visible()
        shoot(reviewer, "review-queue-desktop")
        reviewer.get_by_role("link", name=name).click()
        expect(reviewer.get_by_role("heading", name=name)).to_be_visible()
        assert HOSTILE in reviewer.locator(".deeds").inner_text()  # shown as text, never run
        reviewer.locator(".deeds").hover()
        assert reviewer.evaluate("window.__xss") is None and reviewer.locator(".deeds img").count() == 0
        shoot(reviewer, "review-nomination-desktop")
        form = reviewer.locator("#form-return")
        form.get_by_label("联系电话").check()
        form.get_by_label("退回理由").fill("联系电话与单位登记的不一致，请核实后修改")
        form.get_by_role("button", name="退回补正").click()
        wait_until(lambda: state_of(review, nomination_id) == "returned", 30, what="the return")

        applicant = browser.new_page(viewport=PHONE)
        applicant.goto(tasks_url)
        wait_until(lambda: (applicant.reload() or True) and applicant.get_by_text("评审退回修改").is_visible(), 60,
                   interval=1, what="intake to reopen the nomination")
        correct_phone_in_intake(applicant, "13987654321")
        applicant.goto(tasks_url)
        applicant.get_by_role("link", name="检查并重新提交").click()
        applicant.get_by_role("button", name="重新提交").click()
        wait_until(lambda: state_of(review, nomination_id) == "material_check", 60, what="the resubmission")

        reviewer.goto(f"{system['review']}/n/{nomination_id}")
        diff = reviewer.locator("table.diff").first
        assert "联系电话" in diff.inner_text() and "13987654321" in diff.inner_text()
        with reviewer.expect_navigation():  # the decision's POST answers with the next page of the queue
            reviewer.keyboard.press("a")  # the approve shortcut
        wait_until(lambda: state_of(review, nomination_id) == "approved", 30, what="the approval")
        expect(reviewer.locator("p.flash.ok")).to_contain_text("已审核通过，当前状态：材料审核通过")
        reviewer.goto(system["review"] + "/dashboard")
        reviewer.wait_for_function("document.querySelector('#by-domain').width > 0")
        stages = reviewer.locator("section.stages li")
        assert "进行中" in stages.first.inner_text(), stages.first.inner_text()  # the demo's submission, open today
        assert "未开始" in stages.last.inner_text(), stages.last.inner_text()
        shoot(reviewer, "review-dashboard-desktop")
        for path, shot in (("/", "review-queue-phone"), (f"/n/{nomination_id}", "review-nomination-phone"),
                           ("/dashboard", "review-dashboard-phone")):
            reviewer.set_viewport_size(PHONE)
            reviewer.goto(system["review"] + path)
            shoot(reviewer, shot)
        assert dialogs == []

        branch = browser.new_context(viewport=DESKTOP).new_page()
        sign_in(branch, system["review"] + "/shortlist/伙食管理", "branch")
        row = branch.locator("tr", has_text=name)
        row.get_by_role("button", name="推举入围").click()
        wait_until(lambda: state_of(review, nomination_id) == "shortlisted", 30, what="the shortlisting")
        assert "已入围" in branch.locator("tr", has_text=name).inner_text()
        shoot(branch, "review-shortlist-desktop")


@pytest.fixture(scope="module", autouse=True)
def _keep_screenshots():
    """With TUIJU_UPDATE_SCREENSHOTS=1 the README's screenshots in docs/screenshots are replaced."""
    yield
    if os.environ.get("TUIJU_UPDATE_SCREENSHOTS") == "1":
        for source in (REPO / ".devstack" / "screenshots").glob("review-*.png"):
            shutil.copy(source, REPO / "docs" / "screenshots" / source.name)
