"""Cross-site scripting payloads (tests/chaos/xss.py) typed into review's forms of the later stages, in
headless Chromium signed in at Keycloak (the forms' CSRF tokens, their confirm() questions accepted as a
person would): a committee member's comment on the scoring sheet (first with a score out of range, so the
refused sheet is shown again with the comment typed, then accepted), and the secretariat's reason for not
shortlisting (不予入围) on the nomination page. Review runs in process with a campaign of its own, its
nominations received through its consumer handler (tests/integration/review/committee.py). Then every page
that shows them: the scoring sheet (the member's own, and everyone's for the secretariat), the scoring list
and progress, the ranking, the nomination pages, the branches' shortlist pages and the queue."""
from __future__ import annotations

import uuid

import pytest

from services.review.domain.states import Action
from tests import staff
from tests.chaos.xss import ALL, STAFF_PART, Tally, Watch, visit
from tests.e2e.browser import chromium, sign_in_on_keycloak
from tests.integration.auth.harness import served
from tests.integration.review.committee import own_campaign_review, seed_shortlisted, standing_committee
from tests.integration.review.staff_roles import register_demo_staff

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def stages(chaos_env):
    """One shortlisted and one approved nomination per payload, and the demo secretariat and committee
    member known to review."""
    review = own_campaign_review(chaos_env)
    secretariat, _ = standing_committee(review)
    tag = uuid.uuid4().hex[:8]
    shortlisted = seed_shortlisted(review, secretariat, len(ALL), tag)
    approved = seed_shortlisted(review, secretariat, len(ALL), tag[::-1], actions=(Action.APPROVE,))
    register_demo_staff(review, {name: staff.access_token(chaos_env, name) for name in ("secretariat", "committee")})
    yield review, shortlisted, approved
    review.engine.dispose()


def signed_in_as(browser, url: str, username: str) -> Watch:
    page = browser.new_context().new_page()
    sign_in_on_keycloak(page, url, username)
    return Watch(page, confirms=True)


def score(watch: Watch, tally: Tally, url: str, nomination_id: str, comment: str) -> None:
    """A sheet out of range first (refused, shown again with the comment), then a whole one."""
    page = watch.page
    page.goto(f"{url}/scoring/{nomination_id}")
    for over in (1, 0):
        inputs = page.locator("#form-score input[data-score]")
        for i in range(inputs.count()):
            top = int(inputs.nth(i).get_attribute("max"))
            inputs.nth(i).fill(str(top + over if i == 0 else top - 1))
        page.fill("#comment", comment)
        with page.expect_navigation():
            page.locator("#form-score button[type=submit]").click()
        page.keyboard.press("Tab")
        tally.check(watch, f"/scoring/{nomination_id} after a sheet {'refused' if over else 'accepted'}")
        if over:
            assert page.locator("#form-score").count() == 1, "a score over the maximum was taken"
    assert page.locator("#form-score").count() == 0, page.locator("main").inner_text()[:500]


def decline(watch: Watch, tally: Tally, url: str, nomination_id: str, reason: str) -> None:
    page = watch.page
    page.goto(f"{url}/n/{nomination_id}")
    form = page.locator("#form-decline")
    form.locator("textarea[name=reason]").fill(reason)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert not page.locator(".flash.error").count(), page.locator(".flash.error").all_inner_texts()
    tally.check(watch, f"after declining {nomination_id}")


def test_comments_and_reasons_typed_in_review_forms_run_on_no_page(stages):
    from services.review.entrypoints.web import create_app

    review, shortlisted, approved = stages
    scoring, declined = Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    with served(create_app(review=review)) as url, chromium() as browser:
        member = signed_in_as(browser, url + "/scoring/", "committee")
        for nomination_id, payload in zip(shortlisted, ALL):
            score(member, scoring, url, nomination_id, f"事迹扎实。{payload}")
        visit(member, scoring, url, ["/scoring/", *[f"/scoring/{i}" for i in shortlisted]])
        secretariat = signed_in_as(browser, url + "/", "secretariat")
        visit(secretariat, scoring, url, ["/scoring/progress", "/ranking/", *[f"/scoring/{i}" for i in shortlisted]])
        for nomination_id, payload in zip(approved, ALL):
            decline(secretariat, declined, url, nomination_id, f"不予入围：{payload}")
        visit(secretariat, declined, url, ["/", "/?state=not_shortlisted", *[f"/n/{i}" for i in approved],
                                           *[f"/shortlist/{d}" for d in review.campaign.domains]])
    held = [scoring.record("review's scoring sheets, list, progress and ranking: a payload as the comment typed by a "
                           "committee member in the sheet's form in Chromium (a sheet out of range refused and shown "
                           "again, then one accepted)"),
            declined.record("review's nomination, queue and shortlist pages: a payload as the secretariat's reason "
                            "for not shortlisting (不予入围), typed in the nomination page's form in Chromium")]
    assert all(held), [t.harm or sorted(set(ALL) - t.shown) for t in (scoring, declined)]
