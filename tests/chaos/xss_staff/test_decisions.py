"""Cross-site scripting payloads (tests/chaos/xss.py) typed by a reviewer into review's own decision forms:
the secretariat, signed in at Keycloak in headless Chromium, returns nominations for correction, refuses
them as ineligible (R1) and disqualifies them (R11, with evidence), each with a payload as its reason,
through the nomination page's forms with their CSRF token (data-confirm dialogs accepted as a reviewer
would). The nominations are real ones submitted through intake (system.py, conftest.py), so each reason
travels as review's events through the relays and the consumers: then every page that shows it is opened in
Chromium (review's nomination page with its history, intake's status page for the applicant and the
secretariat's nomination page, notify's messages and each mail as HTML, the archive's nomination page) and
each mail to the applicant read from Mailpit and rendered. No script runs, nothing is made from a payload,
each reason shows as its text."""
from __future__ import annotations

import pytest
import requests

from tests.chaos.test_xss_pages import mails_to, message_links
from tests.chaos.xss import STAFF_PART, Tally, Watch, render_mails, signed_in, visit, with_mails
from tests.chaos.xss_staff.system import state_of
from tests.e2e.browser import chromium, sign_in_on_keycloak
from tests.stack import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(1200)]

API = "/api/v1/nominations"
# The decision each nomination gets first, by its number modulo 3; those returned are disqualified after.
FIRST = ("return", "refuse", "disqualify")


def reason(payload: str) -> str:
    return f"材料不符合要求：{payload}"


def decide(actor, review_url: str, nomination_id: str, action: str, payload: str) -> None:
    """The decision typed into the nomination page's form and submitted by its button, as a reviewer does."""
    actor.goto(f"{review_url}/n/{nomination_id}")
    form = actor.locator(f"#form-{action}")
    if action == "return":
        form.locator("input[name=fields]").first.check()
    if action == "refuse":
        form.locator("select[name=rule]").select_option("R1")
    form.locator("textarea[name=reason]").fill(reason(payload))
    if action == "disqualify":
        form.locator("textarea[name=evidence]").fill(f"核查记录：{payload}")
    with actor.expect_navigation():
        form.locator("button[type=submit]").click()
    flashed = actor.locator(".flash.error").all_inner_texts()
    assert not flashed, (action, flashed)


def intake_state(intake_url: str, token: str) -> str:
    return requests.get(f"{intake_url}{API}/{token}", timeout=10).json().get("state", "")


def wait_states(xss_system, wanted: dict[str, str], intake_url: str) -> None:
    """Review's rows in the states decided, and intake's nominations in theirs (its consumer applied them)."""
    review, nominations = xss_system["review"], {m["token"]: m for m in xss_system["nominations"]}
    wait_until(lambda: all(state_of(review, nominations[t]["id"]) == s for t, s in wanted.items()), 60,
               what="review's decisions")
    intake_wanted = {token: "disqualified" if state in ("refused", "disqualified") else state
                     for token, state in wanted.items()}
    wait_until(lambda: all(intake_state(intake_url, t) == s for t, s in intake_wanted.items()), 120, interval=1,
               what="intake to apply review's decisions")


def pages_of(watch: Watch, tally: Tally, urls: dict, nominations: list[dict], staff_watch: Watch,
             staff_tally: Tally) -> None:
    visit(watch, tally, urls["intake"], [f"/n/{m['token']}" for m in nominations])
    visit(staff_watch, staff_tally, urls["intake"], [f"/admin/nominations/{m['reference']}" for m in nominations])


def test_reasons_typed_in_review_forms_run_on_no_page_or_mail(xss_system, chaos_env):
    urls, nominations = xss_system["urls"], xss_system["nominations"]
    review_pages, applicant, intake_staff = Tally(part=STAFF_PART), Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    notify_pages, archive_pages, rendered = Tally(part=STAFF_PART), Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    with chromium() as browser:
        secretariat = signed_in(browser, urls["review"] + "/")
        actor = secretariat.page.context.new_page()
        confirms: list[str] = []
        actor.on("dialog", lambda d: (confirms.append(d.type), d.accept() if d.type == "confirm" else d.dismiss()))
        for n, m in enumerate(nominations):
            decide(actor, urls["review"], m["id"], FIRST[n % 3], m["payload"])
        wait_states(xss_system, {m["token"]: ("returned", "refused", "disqualified")[n % 3]
                                 for n, m in enumerate(nominations)}, urls["intake"])
        visit(secretariat, review_pages, urls["review"], [f"/n/{m['id']}" for m in nominations])
        applicant_watch = Watch(browser.new_context().new_page())
        intake_secretariat = signed_in(browser, urls["intake"] + "/admin/nominations")
        pages_of(applicant_watch, applicant, urls, nominations, intake_secretariat, intake_staff)
        returned = [m for n, m in enumerate(nominations) if n % 3 == 0]
        for m in returned:
            decide(actor, urls["review"], m["id"], "disqualify", m["payload"])
        wait_states(xss_system, {m["token"]: "disqualified" for m in returned}, urls["intake"])
        visit(secretariat, review_pages, urls["review"], [f"/n/{m['id']}" for m in returned] + ["/", "/staff/audit"])
        pages_of(applicant_watch, applicant, urls, returned, intake_secretariat, intake_staff)

        mails = [(m["email"], mail) for n, m in enumerate(nominations)
                 for mail in mails_to(chaos_env["TUIJU_MAILPIT_API"], m["email"], 3 if n % 3 == 0 else 2)]
        notify = Watch(browser.new_context().new_page())
        sign_in_on_keycloak(notify.page, urls["notify"] + "/admin/messages")
        links = []
        for m in nominations:
            notify.open(f"{urls['notify']}/admin/messages?nomination_id={m['id']}")
            links += message_links(notify)
        visit(notify, notify_pages, urls["notify"], with_mails(links))
        archivist = signed_in(browser, urls["archive"] + "/")
        visit(archivist, archive_pages, urls["archive"], [f"/nominations/{m['id']}" for m in nominations])
        render_mails(browser, rendered, mails)
    how = ("reasons typed by the secretariat into review's return, refuse (R1) and disqualify (R11, evidence too) "
           "forms in Chromium, real nominations submitted through intake")
    held = [review_pages.record(f"review's nomination pages with their history, the queue and the audit page ({how})"),
            applicant.record(f"intake's status page for the applicant (the reason as intake's consumer took it; {how})"),
            intake_staff.record(f"intake's nomination page for the secretariat ({how})"),
            notify_pages.record(f"notify's messages to the applicants, each with its mail as HTML ({how})"),
            archive_pages.record(f"the archive's nomination pages after the decisions ({how})", 0),
            rendered.record(f"the applicants' mails (confirmation, return, disqualification) read from Mailpit "
                            f"and rendered in Chromium ({how})")]
    assert set(confirms) <= {"confirm"}, confirms  # the refusal's and disqualification's own questions only
    assert all(held), [t.harm or len(t.shown) for t in (review_pages, applicant, intake_staff, notify_pages,
                                                         archive_pages, rendered)]
