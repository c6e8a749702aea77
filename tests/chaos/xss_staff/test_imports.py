"""Cross-site scripting payloads (tests/chaos/xss.py) in the other import files of the secretariat, each
uploaded through its page's form in headless Chromium (signed in at Keycloak, the form's CSRF token), with
a payload in the uploaded file's name as well:
- intake's import of recommending organisations: a file whose rows carry a payload as member units (and
  as contact, those without < >: intake refuses them there), previewed and confirmed, and a file refused for payloads as organisation
  names and types (intake refuses < > in a name; the refusal repeats a type it does not know). Checked: each
  preview, intake's overview after the import (the organisations' list), and each organisation's invitation
  mail (intake's event, sent by notify's worker) read from Mailpit and rendered.
- the archive's import of past honourees: a file whose names, units and campaign names are payloads,
  previewed and confirmed. Checked: each preview, the registry page after the import.
No script runs, nothing is made from a payload, each shows as its text."""
from __future__ import annotations

import pytest

from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from tests.chaos.test_xss_pages import mails_to
from tests.chaos.xss import ALL, PAYLOADS, STAFF_PART, Tally, Watch, render_mails, signed_in, visit
from tests.e2e.browser import chromium
from tests.spreadsheet_files import csv_bytes

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(600)]

ORGANISATIONS = ["单位名称", "类型", "联系人", "邮箱", "电话", "委员单位"]
HONOUREES = ["类型", "姓名", "单位", "业务领域", "年度", "活动名称", "手机"]


def send(watch: Watch, tally: Tally, page_url: str, form: str, name: str, data: bytes) -> None:
    """The file chosen in the page's upload form and sent by its button; the page it answers checked."""
    page = watch.page
    page.goto(page_url)
    page.set_input_files(f"{form} input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").click()
    page.keyboard.press("Tab")
    tally.check(watch, f"the preview of {name}")


def confirm(watch: Watch, tally: Tally, button: str) -> None:
    with watch.page.expect_navigation():
        watch.page.locator(button).click()
    watch.page.keyboard.press("Tab")
    tally.check(watch, "after confirming")


def test_payloads_in_intakes_and_the_archives_import_files_run_on_no_page(xss_system, chaos_env):
    urls, tag = xss_system["urls"], xss_system["tag"]
    settings = Settings.from_env("intake", chaos_env)
    campaign = demo_copy(load_campaign(settings.campaign_file), xss_system["review"].clock())
    branch = next(c for c in campaign.channels if c.organisation_type == "分支机构")
    organisations = [[f"后勤协会{tag}{n}号", branch.organisation_type, payload if payload in PAYLOADS else "张老师",
                      f"org-{tag}-{n}@example.com", "13900001111", payload] for n, payload in enumerate(ALL)]
    refused = [[payload, payload, "", f"bad-{tag}-{n}@example.com", "", ""] for n, payload in enumerate(ALL)]
    honourees = [["个人", payload, payload, campaign.domains[0], "2021", payload, ""] for payload in ALL]
    intake_pages, archive_pages = Tally(part=STAFF_PART), Tally(part=STAFF_PART)
    invitations = Tally(PAYLOADS, STAFF_PART)  # the contacts' names: intake refuses < > there
    with chromium() as browser:
        intake = signed_in(browser, urls["intake"] + "/admin/")
        for payload in ALL:
            send(intake, intake_pages, urls["intake"] + "/admin/", "form.import-form", f"{payload}.csv",
                 csv_bytes(ORGANISATIONS, refused))
        assert intake.page.locator("form[action$='/admin/imports/confirm']").count() == 0
        send(intake, intake_pages, urls["intake"] + "/admin/", "form.import-form", "推荐单位.csv",
             csv_bytes(ORGANISATIONS, organisations))
        confirm(intake, intake_pages, "form[action$='/admin/imports/confirm'] button[type=submit]")
        visit(intake, intake_pages, urls["intake"], ["/admin/"])
        archive = signed_in(browser, urls["archive"] + "/honourees")
        for payload in ALL:
            send(archive, archive_pages, urls["archive"] + "/honourees", "form[action$='/honourees/preview']",
                 f"{payload}.csv", csv_bytes(HONOUREES, honourees))
        confirm(archive, archive_pages, "form[action$='/honourees/import'] button[type=submit]")
        visit(archive, archive_pages, urls["archive"], ["/honourees"])
        invited = [(row[3], mail) for row in organisations for mail in mails_to(chaos_env["TUIJU_MAILPIT_API"], row[3], 1)]
        render_mails(browser, invitations, invited)
    how = "uploaded through the page's form in Chromium, a payload in each file's name too"
    held = [intake_pages.record("intake's import of recommending organisations: payloads as contacts and member "
                                "units (previewed, confirmed) and as names and types (refused); the previews and the "
                                f"overview ({how})"),
            invitations.record("the organisations' invitation mails (intake's event, notify's worker) read from Mailpit "
                               f"and rendered: payloads as the contacts' names ({how})"),
            archive_pages.record("the archive's import of past honourees: payloads as names, units and campaign names; "
                                 f"the previews and the registry after the import ({how})")]
    assert all(held), [t.harm or sorted(set(ALL) - t.shown) for t in (intake_pages, invitations, archive_pages)]
