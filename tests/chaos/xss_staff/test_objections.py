"""Cross-site scripting payloads (tests/chaos/xss.py) as the secretariat's finding on an objection, typed into
the objection page's form of review in headless Chromium (signed in at Keycloak, the form's CSRF token).
Review runs in process with a campaign of its own and a published notice (tests/integration/review/
committee.py); one objection per candidate is filed through the public form's use case with an e-mail
address as contact. The outcome goes out as `objection.resolved` through review's relay, and notify's
consumer and worker (the package's system) mail it to the objector. Checked: each objection page, the
resolved list, the candidates' nomination pages, and each outcome mail read from Mailpit and rendered."""
from __future__ import annotations

import pytest

from services.review.service_layer.objections import file_objection
from tests import staff
from tests.chaos.test_xss_pages import mails_to
from tests.chaos.xss import ALL, STAFF_PART, Tally, render_mails, signed_in, visit
from tests.e2e.browser import chromium
from tests.integration.auth.harness import served
from tests.integration.review.committee import own_campaign_review, published_list
from tests.integration.review.staff_roles import register_demo_staff

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def notice(chaos_env, xss_system):
    """A published notice of one candidate per payload, each with an objection from its own address."""
    review = own_campaign_review(chaos_env, candidates=len(ALL))
    found = published_list(review, len(ALL))
    register_demo_staff(review, {"secretariat": staff.access_token(chaos_env, "secretariat")})
    addresses = [f"objector-{found['tag']}-{n}@example.com" for n in range(len(ALL))]
    refs = [file_objection(review, {"nomination_id": i, "name": "王先生", "contact": address,
                                    "text": "该候选人事迹与实际情况不符，请秘书处予以核查。"}, None, "10.78.0.1")
            for i, address in zip(found["ids"], addresses)]
    yield review, found["ids"], refs, addresses
    review.engine.dispose()


def resolve(watch, tally: Tally, url: str, ref: str, reason: str) -> None:
    page = watch.page
    page.goto(f"{url}/objections/{ref}")
    form = page.locator("form[action$='/objections/%s']" % ref)
    form.locator("input[name=outcome][value=dismissed]").check()
    form.locator("textarea[name=reason]").fill(reason)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert not page.locator(".flash.error").count(), page.locator(".flash.error").all_inner_texts()
    page.keyboard.press("Tab")
    tally.check(watch, f"/objections/{ref} after resolving")


def test_findings_typed_in_the_objection_form_run_on_no_page_or_mail(notice, chaos_env):
    from services.review.entrypoints.web import create_app

    review, ids, refs, addresses = notice
    pages, rendered = Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    with served(create_app(review=review)) as url, chromium() as browser:
        secretariat = signed_in(browser, url + "/objections/")
        secretariat.confirms = True  # 确认记录核查结论？ answered as the secretariat would
        for ref, payload in zip(refs, ALL):
            resolve(secretariat, pages, url, ref, f"经核实，事迹属实。{payload}")
        visit(secretariat, pages, url, ["/objections/?state=resolved", *[f"/objections/{ref}" for ref in refs],
                                        *[f"/n/{i}" for i in ids]])
        # received, then resolved: two mails to each objector
        render_mails(browser, rendered, [(address, mail) for address in addresses
                                         for mail in mails_to(chaos_env["TUIJU_MAILPIT_API"], address, 2)])
    how = "the secretariat's finding typed into review's objection form in Chromium, outcome dismissed"
    held = [pages.record(f"review's objection pages, the resolved list and the candidates' pages ({how})"),
            rendered.record(f"the objectors' mails (received, resolved) read from Mailpit and rendered ({how}; "
                            "review's relay, notify's consumer and worker)")]
    assert all(held), [t.harm or sorted(set(ALL) - t.shown) for t in (pages, rendered)]
