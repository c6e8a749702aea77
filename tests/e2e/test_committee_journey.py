"""From the committee's scores to the announcement in Debian's Chromium, the system as its own processes
(review's web and relay, notify's consumer and mail worker), on a campaign file of the test's own (three
shortlisted, two places): three committee members sign in through Keycloak and score; the secretariat
confirms the list and publishes the notice; the public notice shows it at a phone's width; an objection is
filed there and upheld by the secretariat; the candidate is disqualified and the third takes the place; the
announcement shows the final list; the nominee and the objector receive their mails (read from Mailpit).
Screenshots of the new pages at 390 px and 1280 px."""
from __future__ import annotations

import json
import re
import sys
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from services.review.adapters.orm import candidate_lists, reviews
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.staff import save_member
from tests import staff as kc
from tests.e2e.browser import PHONE, chromium, free_port, processes, shoot
from tests.e2e.test_review_journey import DESKTOP, review, sign_in  # noqa: F401 (review: a fixture on this module's system)
from tests.integration.notify.harness import start_group_at_end
from tests.integration.review.committee import seed_shortlisted
from tests.integration.review.staff_roles import subject_of
from tests.stack import REPO, wait_until

pytestmark = pytest.mark.e2e
SHEETS = ({"jiangren": 28, "jiangxin": 28, "jiangpin": 28, "shiji": 9},  # 93: first
          {"jiangren": 25, "jiangxin": 25, "jiangpin": 25, "shiji": 8},  # 83: second
          {"jiangren": 20, "jiangxin": 20, "jiangpin": 20, "shiji": 7})  # 67: the reserve


def campaign_file(folder, tag: str):
    """The 2022 campaign with an id of this run's own (a list is confirmed once per campaign) and two places."""
    text = (REPO / "campaigns" / "2022-zuimei-houqin.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: e2e-{tag}", text, count=1, flags=re.M)
    text = re.sub(r"^candidates: \d+", "candidates: 2", text, count=1, flags=re.M)
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def system(stack, tmp_path_factory):
    from services.notify.entrypoints.consumer import TOPICS

    tag = uuid.uuid4().hex[:8]
    port = free_port()
    group = f"notify-e2e-{tag}"
    env = {**stack, "TUIJU_DEMO": "1", "TUIJU_DEMO_ANCHOR": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "TUIJU_CAMPAIGN_FILE": str(campaign_file(tmp_path_factory.mktemp("campaign"), tag)),
           "TUIJU_REVIEW_URL": f"http://127.0.0.1:{port}", "TUIJU_CONSUMER_GROUP": group}
    start_group_at_end(stack["TUIJU_KAFKA_BOOTSTRAP"], group, TOPICS)
    python = sys.executable
    commands = {
        "review-web": [python, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "4",
                       "services.review.entrypoints.web:create_app()"],
        "review-relay": [python, "-m", "services.review.entrypoints.relay"],
        "notify-consumer": [python, "-m", "services.notify.entrypoints.consumer"],
        "notify-worker": [python, "-m", "celery", "-A", "services.notify.entrypoints.worker", "worker",
                          "-c", "1", "-n", f"e2e-committee-notify-{port}@%h"],
    }
    with processes(env, commands, ready_url=f"http://127.0.0.1:{port}/healthz"):
        yield {"review": f"http://127.0.0.1:{port}", "env": env, "tag": tag, "mailpit": stack["TUIJU_MAILPIT_API"]}


@pytest.fixture(scope="module")
def committee_accounts(system):
    """Two committee members beside the demo user `committee`, made at Keycloak for this run and removed after."""
    env, made = system["env"], []
    role = kc.admin_api(env, "GET", "/roles/committee").json()
    try:
        for n in (2, 3):
            username = f"committee-{system['tag']}-{n}"
            created = kc.admin_api(env, "POST", "/users", json={
                "username": username, "enabled": True, "email": f"{username}@demo.tuiju.local", "emailVerified": True,
                "firstName": f"委员{n}", "lastName": "测", "requiredActions": [],
                "credentials": [{"type": "password", "value": kc.DEMO_PASSWORD, "temporary": False}]})
            assert created.status_code == 201, created.text
            user_id = created.headers["Location"].rsplit("/", 1)[1]
            made.append(user_id)
            assert kc.admin_api(env, "POST", f"/users/{user_id}/role-mappings/realm", json=[role]).status_code == 204
        yield ["committee", *(f"committee-{system['tag']}-{n}" for n in (2, 3))]
    finally:
        for user_id in made:
            kc.admin_api(env, "DELETE", f"/users/{user_id}")


@pytest.fixture(scope="module")
def people(system, review, committee_accounts):
    env = system["env"]

    def register(username: str, role: Role, name: str, unit: str) -> StaffMember:
        member = StaffMember(subject_of(kc.access_token(env, username)), name, role, username=username, unit=unit)
        with review.sessions.begin() as session:
            save_member(session, member, by=None, at=review.clock())
        return member

    secretariat = register("secretariat", Role.SECRETARIAT, "演示秘书处", "中国教育后勤协会")
    members = [register(username, Role.COMMITTEE, f"评审委员{n}", f"评委单位{n}")
               for n, username in enumerate(committee_accounts, start=1)]
    return {"secretariat": secretariat, "members": members, "usernames": committee_accounts}


def state_of(review, nomination_id: str) -> str:
    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == nomination_id)).scalar()


def names_of(review, ids) -> list[str]:
    with review.engine.connect() as conn:
        found = dict(conn.execute(sa.select(reviews.c.nomination_id, reviews.c.nominee_name)
                                  .where(reviews.c.nomination_id.in_(ids))).all())
    return [found[i] for i in ids]


def subjects_to(mailpit: str, address: str) -> list[str]:
    query = urllib.parse.quote(f"to:{address}")
    with urllib.request.urlopen(f"{mailpit}/api/v1/search?query={query}", timeout=5) as response:
        return [message["Subject"] for message in json.load(response)["messages"]]


def wait_for_mail(mailpit: str, address: str, subject_part: str) -> None:
    wait_until(lambda: any(subject_part in s for s in subjects_to(mailpit, address)), 120, interval=1,
               what=f"a mail to {address} about {subject_part}")


def forget_earlier_objections_from_this_machine(env: dict) -> None:
    """The objection form allows 5 an hour from one address, counted in the shared Redis: earlier runs of this
    test on the same servers (all from 127.0.0.1) must not use up this run's."""
    import redis

    from shared.config import Settings

    client = redis.Redis.from_url(Settings.from_env("review", env).rate_limit_redis_url())
    for key in client.scan_iter(match="LIMITS:LIMITER/tuiju-review/127.0.0.1/public.objection/*"):
        client.delete(key)


def shows_in(page, selector: str, text: str) -> bool:
    """After a reload, whether `selector` holds `text`, without waiting for the selector (a page served just
    before the list's version changed lacks it: the next reload will have it)."""
    page.reload()
    return page.locator(selector).count() > 0 and text in page.locator(selector).inner_text()


def no_wider_than_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def score_as(browser, url: str, username: str, ids: list[str]) -> None:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, f"{url}/scoring/", username)
    for nomination_id, sheet in zip(ids, SHEETS):
        page.goto(f"{url}/scoring/{nomination_id}")
        for code, value in sheet.items():
            page.locator(f"#score-{code}").fill(str(value))
        page.locator("#comment").fill("事迹扎实，群众认可。")
        page.get_by_role("button", name="提交评分").click()
        expect(page.get_by_text("评分已提交")).to_be_visible()
    if username == "committee":
        shoot(page, "review-scoring-sheet-desktop")
    page.context.close()


def test_scores_list_notice_objection_refill_announcement_and_mails(system, review, people):
    url, mailpit, tag = system["review"], system["mailpit"], system["tag"]
    ids = seed_shortlisted(review, people["secretariat"], 3, tag)
    first, second, reserve = ids
    names = names_of(review, ids)
    objector = f"objector-{tag}@example.com"
    with chromium() as browser:
        for username in people["usernames"]:
            score_as(browser, url, username, ids)

        staff = browser.new_context(viewport=DESKTOP).new_page()
        staff.on("dialog", lambda dialog: dialog.accept())
        sign_in(staff, f"{url}/ranking/", "secretariat")
        staff.get_by_role("button", name="确认 2 名入选候选人").click()
        expect(staff.get_by_text("已确认 2 名入选候选人")).to_be_visible()
        staff.get_by_role("button", name="发布公示并统一通知").click()
        expect(staff.get_by_text("已发布公示")).to_be_visible()
        assert [state_of(review, i) for i in ids] == ["candidate", "candidate", "not_selected"]
        shoot(staff, "review-ranking-desktop")
        with staff.expect_download() as download:
            staff.get_by_role("link", name="Excel").first.click()
        assert download.value.suggested_filename.endswith("入选候选人名单.xlsx")

        public = browser.new_context(viewport=PHONE).new_page()
        public.goto(f"{url}/notice/")
        for name in names[:2]:
            expect(public.get_by_role("heading", name=name)).to_be_visible()
        assert names[2] not in public.locator("main").inner_text()
        no_wider_than_the_phone(public)
        shoot(public, "review-notice-phone")
        public.locator("li", has_text=names[0]).get_by_role("link", name="对此候选人提出异议").click()
        public.get_by_label("您的姓名").fill("李四")
        public.get_by_label("联系方式").fill(objector)
        public.get_by_label("异议内容").fill(f"{names[0]}的事迹材料所述获奖情况与实际不符，请秘书处核查。")
        public.wait_for_timeout(5_500)  # the form's least filling time
        forget_earlier_objections_from_this_machine(system["env"])
        public.get_by_role("button", name="提交异议").click()
        expect(public.get_by_role("heading", name="异议已提交")).to_be_visible()
        reference = public.locator(".reference").inner_text().strip()
        assert re.fullmatch(r"\S+", reference), reference
        no_wider_than_the_phone(public)
        shoot(public, "review-objection-done-phone")
        wait_for_mail(mailpit, objector, "已收到您提出的异议")

        staff.goto(f"{url}/objections/")
        staff.get_by_role("link", name=reference).click()
        staff.get_by_label("异议成立").check()
        staff.get_by_label("核查情况和理由").fill("经向发证单位核实，所述奖项不存在，异议成立。")
        shoot(staff, "review-objection-desktop")
        staff.get_by_role("button", name="记录结论").click()
        wait_until(lambda: state_of(review, first) == "disqualified", 30, what="the disqualification")
        assert state_of(review, reserve) == "candidate"  # the next of the ranking took the place

        public.goto(f"{url}/notice/")
        wait_until(lambda: shows_in(public, "ol.candidates", names[2]), 30,
                   interval=1, what="the notice to show the refill")
        assert names[0] not in public.locator("ol.candidates").inner_text()
        assert "名单调整" in public.locator("main").inner_text()

        with review.engine.begin() as conn:  # the notice's seven days pass
            conn.execute(sa.update(candidate_lists).where(candidate_lists.c.campaign_id == review.campaign.id)
                         .values(notice_closes_at=review.clock() - timedelta(seconds=1)))
        staff.goto(f"{url}/ranking/")
        staff.get_by_role("button", name="确认通报表扬名单").click()
        expect(staff.get_by_text("已确认 2 名通报表扬对象")).to_be_visible()

        public.goto(f"{url}/announcement/")
        wait_until(lambda: shows_in(public, "ol.honourees", names[2]), 30,
                   interval=1, what="the announcement")
        listed = public.locator("ol.honourees").inner_text()
        assert names[1] in listed and names[0] not in listed
        assert "公示期间名单调整" in public.locator("main").inner_text()
        no_wider_than_the_phone(public)
        shoot(public, "review-announcement-phone")
        public.set_viewport_size(DESKTOP)
        shoot(public, "review-announcement-desktop")
        public.set_viewport_size(PHONE)
        public.get_by_role("link", name=names[2]).first.click()
        expect(public.get_by_role("heading", name=names[2])).to_be_visible()
        no_wider_than_the_phone(public)
        shoot(public, "review-honouree-phone")

    wait_for_mail(mailpit, objector, "异议核查结果")
    disqualified_nominee = f"nominee0-{tag}@example.com"
    wait_for_mail(mailpit, disqualified_nominee, "取消")
    wait_for_mail(mailpit, disqualified_nominee, "异议核查结果")
    wait_for_mail(mailpit, f"nominee2-{tag}@example.com", "获评")
