"""Cross-site scripting payloads (tests/chaos/xss.py) in the original names of the files an applicant
uploads: real nominations submitted through intake's JSON API, each of its four files (photo, sealed form,
two certificates) named with a payload before its extension (system.py, conftest.py), scanned by the scan
worker and received by review. Then every page that shows file names opened in headless Chromium: intake's
status, files and check pages of the applicant, the secretariat's list and nomination pages in intake,
review's nomination page and queue (signed in as the secretariat), and the archive's nomination page (its
files by name, once the archive has the submission). No script runs, nothing is made from a payload, each name shows as the text intake kept of
it (a payload with a / keeps what follows its last /, shown_file_name)."""
from __future__ import annotations

import pytest

from tests.chaos.xss import STAFF_PART, Tally, Watch, signed_in, visit
from tests.chaos.xss_staff.system import shown_names
from tests.e2e.browser import chromium
from tests.stack import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(900)]


def test_payloads_in_uploaded_file_names_run_on_no_page(xss_system):
    urls, nominations = xss_system["urls"], xss_system["nominations"]
    names = sorted(set().union(*(shown_names(m["payload"]) for m in nominations)))
    applicant, intake_staff, review_pages = (Tally(names, STAFF_PART), Tally(names, STAFF_PART),
                                             Tally(names, STAFF_PART))
    archive_pages = Tally(names, STAFF_PART)
    with chromium() as browser:
        watch = Watch(browser.new_context().new_page())
        visit(watch, applicant, urls["intake"], [f"/n/{m['token']}{part}" for m in nominations
                                                 for part in ("", "/files", "/check")])
        secretariat = signed_in(browser, urls["intake"] + "/admin/nominations")
        visit(secretariat, intake_staff, urls["intake"],
              [f"/admin/nominations?q={m['reference']}" for m in nominations[:1]] +
              [f"/admin/nominations/{m['reference']}" for m in nominations])
        reviewer = signed_in(browser, urls["review"] + "/")
        visit(reviewer, review_pages, urls["review"], ["/"] + [f"/n/{m['id']}" for m in nominations])
        archivist = signed_in(browser, urls["archive"] + "/")
        wait_until(lambda: all(archived(urls["archive"], archivist, m["id"]) for m in nominations), 120, interval=1,
                   what="the archive to have every submission")
        visit(archivist, archive_pages, urls["archive"], [f"/nominations/{m['id']}" for m in nominations])
    how = (f"{len(nominations)} nominations submitted through intake's API with a payload in each of their four "
           "files' original names, scanned, received by review")
    held = [applicant.record(f"intake's status, files and check pages of the applicant ({how})"),
            intake_staff.record(f"intake's list and nomination pages for the secretariat ({how})"),
            review_pages.record(f"review's queue and nomination pages, signed in as the secretariat ({how})"),
            archive_pages.record(f"the archive's nomination pages, their files by name ({how})")]
    assert all(held), [t.harm or sorted(set(names) - t.shown) for t in (applicant, intake_staff, review_pages,
                                                                       archive_pages)]


def archived(base: str, watch: Watch, nomination_id: str) -> bool:
    return watch.page.request.get(f"{base}/nominations/{nomination_id}").status == 200
