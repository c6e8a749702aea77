"""Cross-site scripting payloads (tests/chaos/xss.py: those an applicant can type, and markup only an attacker
past intake could send) in every text of a nomination that reaches the other services, injected as
`nomination.submitted` events the way such an attacker would: then every page that shows them opened in
headless Chromium, signed in as the secretariat where staff sign-in is needed, and the mails rendered from
Mailpit's API. No script runs, no element or attribute is made from a payload, each shows as its text.

Review: a campaign of its own taken through its consumer handler to a published notice (the queue, each
nomination, the committee's scoring and ranking pages, the public notice and objection form) and confirmed
honourees (the announcement, each honouree's page), the committee's comments and objections (filed by the
public form's use case, resolved with the secretariat's reason) carrying payloads too. Notify and the archive: the events on Kafka read by their
Procfile consumers and notify's worker, followed by review's events of a return, an objection and its outcome
with the payload as reason and summary (notify's admin pages, each message and its mail as HTML, the
archive's pages, each mail in Mailpit: confirmations, returns, objections received and resolved)."""
from __future__ import annotations

import tempfile
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from bench.processes import System
from services.review.domain.people import Role, StaffMember
from services.review.service_layer.candidates import confirm_honourees
from services.review.service_layer.objections import file_objection, resolve_objection
from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from shared.events import new_event
from tests import staff
from tests.chaos.xss import ALL, Tally, Watch, signed_in, visit
from tests.e2e.browser import chromium, mail_to
from tests.integration.auth.harness import served
from tests.integration.review.committee import own_campaign_review, published_list, register
from tests.integration.review.conftest import publish
from tests.integration.review.staff_roles import register_demo_staff
from tests.integration.review.test_announcement import end_the_notice
from tests.stack import wait_until
from tests.unit.notify.builders import submission

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(900)]

@pytest.fixture(scope="module")
def published(chaos_env):
    """Review with one shortlisted, scored nomination per payload (the payload its nominee's name, unit and
    deeds, and the committee members' comments), the list confirmed and the notice published; and a reviewer
per payload (its name and unit) saved by review's staff use case."""
    review = own_campaign_review(chaos_env, candidates=len(ALL))
    found = published_list(review, len(ALL), name_of=lambda i: ALL[i], unit_of=lambda i: ALL[i],
                           comment_of=lambda i: ALL[i])
    register_demo_staff(review, {"secretariat": staff.access_token(chaos_env, "secretariat")})
    register(review, *[StaffMember(f"xss-{uuid.uuid4().hex[:8]}", payload, Role.WORKING_GROUP, unit=payload,
                                   domains=review.campaign.domains[:1]) for payload in ALL])
    yield review, found
    review.engine.dispose()


def objection(nomination_id: str, payload: str) -> dict:
    return {"nomination_id": nomination_id, "name": payload[:50], "contact": "13900000000",
            "text": f"{payload} 该候选人事迹与实际情况不符，请秘书处予以核查。"}


def test_payloads_run_on_no_page_of_review_staff_notice_objections_or_announcement(published):
    from services.review.entrypoints.web import create_app

    review, found = published
    ids = found["ids"]
    staff_pages, public_pages, objection_pages, announced = Tally(), Tally(), Tally(), Tally()
    with served(create_app(review=review)) as url, chromium() as browser:
        secretariat = signed_in(browser, url + "/")
        visit(secretariat, staff_pages, url, ["/", "/dashboard", "/scoring/", "/scoring/progress", "/ranking/",
                                              "/staff/", "/staff/audit",
                                              *[f"/n/{i}" for i in ids], *[f"/scoring/{i}" for i in ids]])
        public = Watch(browser.new_context().new_page())
        visit(public, public_pages, url, ["/notice/", *[f"/notice/objection?n={i}" for i in ids]])
        refs = [file_objection(review, objection(i, payload), None, "10.77.0.1") for i, payload in zip(ids, ALL)]
        visit(secretariat, objection_pages, url, ["/objections/", *[f"/objections/{ref}" for ref in refs]])
        for ref, payload in zip(refs, ALL):
            resolve_objection(review, ref, found["secretariat"], "dismissed", f"经核实，事迹属实。{payload}")
        visit(secretariat, objection_pages, url, ["/objections/?state=resolved", *[f"/objections/{ref}" for ref in refs]])
        end_the_notice(review)
        confirm_honourees(review, found["secretariat"])
        wait_until(lambda: all(f"/announcement/{i}" in requests.get(url + "/announcement/", timeout=10).text
                               for i in ids), 30, what="the announcement")
        visit(public, announced, url, ["/announcement/", *[f"/announcement/{i}" for i in ids]])
    how = "injected as nomination.submitted events through review's consumer handler, shortlisted, scored"
    held = [staff_pages.record(f"review's queue, dashboard, nominations, scoring, ranking and staff pages ({how}; "
                               "reviewers' names and units saved by the staff use case)"),
            public_pages.record(f"review's public notice and objection form ({how}, notice published)"),
            objection_pages.record("review's objection pages: objections filed through the public form's use case "
                                   "(file_objection, which takes < >) with a payload in the name and text, resolved "
                                   "with one in the secretariat's reason"),
            announced.record(f"review's announcement and honourees' pages ({how}, honourees confirmed)")]
    assert all(held), (staff_pages.harm, public_pages.harm, objection_pages.harm, announced.harm,
                       [len(t.shown) for t in (staff_pages, public_pages, objection_pages, announced)])


def hostile_submission(campaign, payload: str, tag: str, i: int) -> tuple[str, dict]:
    """A submission with the payload in every text a person types (addresses kept, for the mails)."""
    nomination_id = str(uuid.uuid4())
    base = submission()
    person = {**base["person"], "name": payload, "unit": payload, "department": payload, "position": payload,
              "address": payload, "email": f"nominee-{tag}-{i}@example.com"}
    return nomination_id, submission(
        nomination_id=nomination_id, campaign_id=campaign.id, campaign_name=campaign.name, is_demo=True,
        nominee_name=payload, person=person, deeds=payload, status_url=f"https://tuiju.example.cn/status/{tag}{i}",
        recommender={**base["recommender"], "name": payload, "email": f"org-{tag}-{i}@example.com"},
        contact={"name": payload, "email": f"contact-{tag}-{i}@example.com", "phone": base["contact"]["phone"]})


@pytest.fixture(scope="module")
def delivered(chaos_env):
    """One hostile submission per payload on Kafka, read by notify's and the archive's own processes."""
    settings = Settings.from_env("notify", chaos_env)
    campaign = demo_copy(load_campaign(settings.campaign_file), datetime.now(timezone.utc))
    tag = uuid.uuid4().hex[:8]
    made = [hostile_submission(campaign, payload, tag, i) for i, payload in enumerate(ALL)]
    with tempfile.TemporaryDirectory(prefix="tuiju-chaos-xss-") as directory:
        system = System(chaos_env, Path(directory))
        try:
            system.start("notify-consumer", "notify-worker", "archive-consumer")
            publish(settings.kafka_bootstrap, *[new_event("nomination.submitted", i, payload, producer="intake")
                                                for i, payload in made])
            contacts = [p["contact"]["email"] for _, p in made]
            for address in contacts:  # known to notify before review's events about it (two topics: no order)
                mail_to(chaos_env["TUIJU_MAILPIT_API"], address, timeout=180)
            objectors = [f"objector-{tag}-{n}@example.com" for n in range(len(made))]
            publish(settings.kafka_bootstrap, *[event for n, (i, _) in enumerate(made)
                                                for event in review_events(campaign.id, i, ALL[n], objectors[n], n)])
            yield {"ids": [i for i, _ in made], "addresses": {**{a: 2 for a in contacts}, **{a: 2 for a in objectors}},
                   "tag": tag}
        finally:
            system.stop()


def review_events(campaign_id: str, nomination_id: str, payload: str, objector: str, n: int) -> list:
    """Review's events carrying the payload in what its staff and the public type: a return's reason, an
    objection's summary and its outcome's reason."""
    objection = {"nomination_id": nomination_id, "objection_id": f"2022-Y{n:03d}", "objector_email": objector,
                 "summary": payload}
    deadline = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    return [new_event("nomination.returned", nomination_id, {
                "nomination_id": nomination_id, "campaign_id": campaign_id, "fields": ["deeds"], "files": [],
                "reason": payload, "correction_deadline": deadline, "returned_by": "chaos"}, producer="review"),
            new_event("objection.filed", nomination_id, objection, producer="review"),
            new_event("objection.resolved", nomination_id, {**objection, "outcome": "dismissed", "reason": payload},
                      producer="review")]


def mails_to(api: str, address: str, at_least: int) -> list[dict]:
    """Every mail to the address, read through Mailpit's API, once at least `at_least` arrived."""
    def listed() -> list[dict]:
        query = urllib.parse.quote(f"to:{address}")
        return requests.get(f"{api}/api/v1/search?query={query}", timeout=10).json()["messages"]
    wait_until(lambda: len(listed()) >= at_least, 180, interval=1, what=f"{at_least} mails to {address}")
    return [requests.get(f"{api}/api/v1/message/{m['ID']}", timeout=10).json() for m in listed()]


def archived(token: str, nomination_id: str, url: str) -> bool:
    return requests.get(f"{url}/nominations/{nomination_id}", timeout=10,
                        headers={"Authorization": f"Bearer {token}"}).status_code == 200


def message_links(watch: Watch) -> list[str]:
    return sorted(set(watch.page.eval_on_selector_all(
        "a[href*='/admin/messages/']", "els => els.map(e => new URL(e.href).pathname)")))


def test_payloads_run_on_no_page_of_notify_the_archive_or_the_mails(chaos_env, delivered):
    from services.archive.entrypoints.web import create_app as archive_app
    from services.notify.entrypoints.web import create_app as notify_app

    env = {**chaos_env, "TUIJU_ENV": "test"}
    mails = [(address, mail) for address, count in delivered["addresses"].items()
             for mail in mails_to(env["TUIJU_MAILPIT_API"], address, count)]
    token = staff.access_token(chaos_env, "secretariat")
    notify_pages, archive_pages, rendered = Tally(), Tally(), Tally()
    with served(notify_app(env)) as notify, served(archive_app(env)) as archive, chromium() as browser:
        wait_until(lambda: all(archived(token, i, archive) for i in delivered["ids"]), 120, interval=1,
                   what="the archive's nominations")
        secretariat = signed_in(browser, notify + "/admin/messages")
        visit(secretariat, notify_pages, notify, ["/admin/messages", "/admin/recipients", "/admin/held",
                                                  "/admin/reviewers"])
        secretariat.open(notify + "/admin/messages")
        for link in message_links(secretariat)[:3 * len(ALL)]:
            visit(secretariat, notify_pages, notify, [link, f"{link}/mail.html"] if link.count("/") == 3 else [link])
        archivist = signed_in(browser, archive + "/")
        visit(archivist, archive_pages, archive, ["/", f"/search?q={delivered['tag']}", "/search",
                                                  *[f"/nominations/{i}" for i in delivered["ids"]]])
        reader = Watch(browser.new_context().new_page())
        for address, mail in mails:
            reader.render(mail.get("HTML") or f"<pre>{mail['Text']}</pre>")
            rendered.check(reader, f"mail to {address}")
    how = ("injected as nomination.submitted events on Kafka, and review's nomination.returned, objection.filed and "
           "objection.resolved with the payload as reason and summary, read by the Procfile's consumers")
    held = [notify_pages.record(f"notify's admin pages: messages, each message and its mail, recipients ({how})"),
            archive_pages.record(f"the archive's home, search and nominations' pages ({how})"),
            rendered.record(f"the mails as rendered in Chromium, read from Mailpit's API ({how}, notify's worker)")]
    assert all(held), (notify_pages.harm, archive_pages.harm, rendered.harm,
                       [len(t.shown) for t in (notify_pages, archive_pages, rendered)])
