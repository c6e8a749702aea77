"""The committee's scoring on the real servers: sheets on the rubric, blind until one's own is in, a
conflict refused on the server, progress per member and per domain, the pages (signed in at the real
Keycloak), and a reminder of open scoring that notify mails (read back from Mailpit)."""
from __future__ import annotations

import re
import threading
import uuid

import pytest
import sqlalchemy as sa

from services.review.adapters.orm import outbox
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.audit import verify_trail
from services.review.service_layer.reminders import remind_open_scoring
from services.review.service_layer.scoring import progress, sheets_seen, submit_sheet
from shared.campaign import Refusal
from shared.messaging.producer import make_producer
from shared.messaging.relay import run_relay
from tests import staff as kc
from tests.integration.notify import harness
from tests.integration.notify.mailboxes import Mailpit
from tests.integration.review.committee import (
    committee_member, register, seed_shortlisted, standing_committee,
)
from tests.integration.review.staff_roles import subject_of
from tests.stack import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.own_campaign()]
SCORES = {"jiangren": 25, "jiangxin": 24, "jiangpin": 26, "shiji": 8}


@pytest.fixture()
def people(review):
    tag = uuid.uuid4().hex[:8]
    mail_domain = f"{tag}.scoring.test"
    secretariat = StaffMember(f"sec-{tag}", "秘书处评分测试", Role.SECRETARIAT, unit="中国教育后勤协会")
    members = [committee_member(tag, 1, mail_domain, unit=f"示例大学{tag}0"),  # the unit of nomination 0
               committee_member(tag, 2, mail_domain), committee_member(tag, 3, mail_domain)]
    register(review, secretariat, *members)
    return {"tag": tag, "mail_domain": mail_domain, "secretariat": secretariat, "members": members}


def test_members_score_blind_and_a_conflict_is_refused_on_the_server(review):
    secretariat, (conflicted, m2, m3) = standing_committee(review)
    first, second = seed_shortlisted(review, secretariat, 2, uuid.uuid4().hex[:8],
                                     unit_of=lambda i: f"{conflicted.unit}后勤处" if i == 0 else "示例学院")

    submit_sheet(review, first, m2, SCORES, "事迹扎实")
    with review.sessions() as session:
        assert sheets_seen(session, first, m3, review.campaign).others == []  # m3 has not scored yet
        assert sheets_seen(session, first, m3, review.campaign).count == 1
    submit_sheet(review, first, m3, {**SCORES, "shiji": 10}, "很有感召力")
    with review.sessions() as session:
        seen = sheets_seen(session, first, m3, review.campaign)
    assert (seen.mine.total, [s.member for s in seen.others]) == (85, [m2.subject])

    with pytest.raises(Refusal, match="您所在的单位，按回避原则（R12）不能评分"):
        submit_sheet(review, first, conflicted, SCORES, "好评")
    with pytest.raises(Refusal, match="提交后不能修改"):
        submit_sheet(review, first, m2, SCORES, "改一下")
    with pytest.raises(Refusal, match="匠人觉悟：须为 0 到 30 的整数"):
        submit_sheet(review, second, m2, {**SCORES, "jiangren": 31}, "好评")

    with review.sessions() as session:
        figures = progress(session, review.campaign)
    mine = {conflicted.subject, m2.subject, m3.subject}  # the test servers hold other tests' members too
    by_member = {p.subject: (p.expected, p.scored, p.open) for p in figures.members if p.subject in mine}
    assert by_member == {conflicted.subject: (1, 0, 1), m2.subject: (2, 1, 1), m3.subject: (2, 1, 1)}
    assert verify_trail(review.engine).ok


@pytest.fixture()
def committee_user(stack, review):
    """The demo user `committee` of the real Keycloak, known to review as a member of this test."""
    member = StaffMember(subject_of(kc.access_token(stack, "committee")), "刘志强", Role.COMMITTEE,
                         username="committee", unit="示例财经大学")
    register(review, member)
    return member


def test_scoring_page_offers_the_rubric_and_shows_the_others_only_after_submitting(stack, review, committee_user):
    from services.review.entrypoints.web import create_app

    secretariat, members = standing_committee(review)
    nomination_id, = seed_shortlisted(review, secretariat, 1, uuid.uuid4().hex[:8])
    submit_sheet(review, nomination_id, members[1], SCORES, "同事评语：扎根一线")
    client = kc.as_staff(create_app(review=review).test_client(), stack, "committee")

    listed = client.get("/scoring/?status=open")
    assert listed.status_code == 200 and f"/scoring/{nomination_id}" in listed.text
    page = client.get(f"/scoring/{nomination_id}")
    assert "匠人觉悟" in page.text and "（0–30 分）" in page.text and "提交评分" in page.text
    assert "同事评语" not in page.text  # blind until one's own sheet is in
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, **{f"score-{k}": str(v) for k, v in SCORES.items()}, "comment": "事迹感人"}

    refused = client.post(f"/scoring/{nomination_id}", data={**form, "score-shiji": "11"})
    assert refused.status_code == 422 and "事迹感召力：须为 0 到 10 的整数" in refused.text
    assert 'value="25"' in refused.text  # what was typed stays
    done = client.post(f"/scoring/{nomination_id}", data=form, follow_redirects=True)
    assert done.status_code == 200 and "评分已提交" in done.text and "同事评语：扎根一线" in done.text
    assert "提交评分" not in done.text  # final
    api = client.get(f"/api/v1/scoring/{nomination_id}").json
    assert (api["mine"]["total"], len(api["others"])) == (83, 1)


@pytest.fixture()
def notify_wiring(stack, review, tmp_path):
    """Review's relay, and notify's consumer (from the end of the topics) and Celery worker."""
    stop = threading.Event()
    threading.Thread(target=run_relay, args=(review.engine, make_producer(stack["TUIJU_KAFKA_BOOTSTRAP"]), stop),
                     daemon=True).start()
    env = {**stack, "TUIJU_NOTIFY_QUEUE": f"notify-scoring-{uuid.uuid4().hex[:8]}",
           "TUIJU_NOTIFY_BEAT_SCHEDULE": str(tmp_path / "beat"), "TUIJU_SMS_SINK": str(tmp_path / "sms")}
    from services.notify.bootstrap import bootstrap as notify_bootstrap

    notify = notify_bootstrap(env)
    worker = harness.start_worker(env, tmp_path, name="scoring-notify-worker")
    _, notify_stop = harness.consumer_thread(notify, f"notify-test-{uuid.uuid4().hex[:8]}")
    yield
    stop.set()
    notify_stop.set()
    worker.stop()
    notify.engine.dispose()


def test_reminder_of_open_scoring_is_mailed_to_each_member_with_work_left(stack, review, people, notify_wiring):
    ids = seed_shortlisted(review, people["secretariat"], 3, people["tag"])
    conflicted, m2, m3 = people["members"]
    for nomination_id in ids:
        submit_sheet(review, nomination_id, m3, SCORES, "已评")
    submit_sheet(review, ids[1], m2, SCORES, "已评")

    with pytest.raises(Refusal, match="只有协会秘书处"):
        remind_open_scoring(review, m2)
    assert remind_open_scoring(review, people["secretariat"]) >= 2  # other tests' members are active too
    with pytest.raises(Refusal, match="一小时内不再重复发送"):
        remind_open_scoring(review, people["secretariat"])
    with review.engine.connect() as conn:
        payload = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.key == review.campaign.id)).scalar()["payload"]
    named = {m["subject"]: m["open_count"] for m in payload["members"]}
    assert (named[conflicted.subject], named[m2.subject]) == (2, 2)  # conflicted: two of the three are theirs
    assert m3.subject not in named  # nothing left

    mailpit = Mailpit(stack["TUIJU_MAILPIT_API"])
    for member in (conflicted, m2):
        wait_until(lambda: mailpit.to(member.email), 90, 1, f"the reminder to {member.email}")
        mail = mailpit.to(member.email)[0]
        assert "还有2份推荐尚未评分" in mail["Subject"]
        assert f"{review.settings.review_url}/scoring/" in mailpit.text(mail["ID"])
    assert mailpit.to(m3.email) == []
