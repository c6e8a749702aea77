"""Presigned links expire: a link from shared/storage.py's presigned_get, with a short expiry given through its
own parameter, downloads the object from the devstack's real S3 server until then and is refused after; a
link whose expiry or key is changed by hand is refused at once; the links review gives browsers (a file's
preview, an objection's attachment) are signed for review's own PREVIEW_SECONDS. The same for the forms that
send a file straight to the S3 server (shared/storage.py's upload_form, intake's direct uploads)."""
from __future__ import annotations

import base64
import json
import time
import urllib.parse
import uuid
from datetime import timedelta

import pytest
import requests

from services.review.service_layer.nomination_page import PREVIEW_SECONDS, preview_url
from shared.config import Settings
from shared.storage import ObjectStore
from tests.chaos.results import record
from tests.stack import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(120)]

PART = "5 presigned links"
EXPIRY = timedelta(seconds=3)


@pytest.fixture(scope="module")
def store(chaos_env):
    store = ObjectStore.from_settings(Settings.from_env("review", chaos_env))
    store.ensure_bucket()
    return store


@pytest.fixture
def stored(store):
    key = f"derived/chaos-{uuid.uuid4().hex}/file/preview.jpg"
    store.put_bytes(key, b"\xff\xd8 a preview \xff\xd9", content_type="image/jpeg")
    yield key
    store.remove(key)


def with_query(url: str, **changes) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    return parts._replace(query=urllib.parse.urlencode({**query, **changes})).geturl()


def refusal(url: str) -> str:
    """The S3 server's error code for the link, or "" when it serves the object."""
    answer = requests.get(url, timeout=10)
    if answer.status_code == 200:
        return ""
    code, message = (answer.text.split(f"<{tag}>")[-1].split("<")[0] for tag in ("Code", "Message"))
    return f"{answer.status_code} {code} ({message})"


def test_a_presigned_link_stops_working_after_its_expiry(store, stored):
    url = store.presigned_get(stored, expires=EXPIRY)
    issued = time.monotonic()
    first = requests.get(url, timeout=10)
    fresh = first.status_code == 200 and first.content.startswith(b"\xff\xd8")
    wait_until(lambda: refusal(url), 30, what="the link to expire")
    lasted = time.monotonic() - issued
    expired = refusal(url)
    held = fresh and lasted >= EXPIRY.total_seconds() - 1 and expired.startswith("403") and "expired" in expired
    record(PART, f"a link from presigned_get(expires={EXPIRY.seconds} s) on the real S3 server", held,
           f"served while fresh: {fresh}; refused after {lasted:.1f} s: {expired}")
    assert held, (fresh, lasted, expired)


def test_a_link_with_its_expiry_or_key_changed_by_hand_is_refused(store, stored):
    url = store.presigned_get(stored, expires=EXPIRY)
    longer = with_query(url, **{"X-Amz-Expires": "604800"})
    other = url.replace("preview.jpg", "original.pdf")
    answers = {"expiry made a week": refusal(longer), "another key": refusal(other)}
    held = all(answer.startswith("403") for answer in answers.values()) and not refusal(url)
    record(PART, "a fresh link with its expiry or its key changed by hand", held,
           "; ".join(f"{what}: {answer or 'SERVED'}" for what, answer in answers.items()))
    assert held, answers


def test_reviews_preview_links_are_signed_for_its_own_short_expiry(store):
    url = preview_url(store, str(uuid.uuid4()), "file", 1)
    expires = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)).get("X-Amz-Expires")
    held = expires == str(PREVIEW_SECONDS) and PREVIEW_SECONDS <= 300
    record(PART, "review's preview links (nomination files, objection attachments)", held,
           f"X-Amz-Expires={expires} (review's PREVIEW_SECONDS={PREVIEW_SECONDS})")
    assert held, url


def post_form(form, data: bytes = b"\xff\xd8 a photo", **changed) -> str:
    """The S3 server's error code for a POST of `data` with the form, or "" when it stored it."""
    fields = {**form.fields, **changed}
    answer = requests.post(form.url, data=fields, files={"file": ("photo.jpg", data, "image/jpeg")}, timeout=10)
    if answer.status_code in (200, 201, 204):
        return ""
    return f"{answer.status_code} {answer.text.split('<Code>')[-1].split('<')[0]}"


def test_an_upload_form_stops_working_after_its_expiry_and_refuses_a_policy_changed_by_hand(store):
    key = f"quarantine/chaos-{uuid.uuid4().hex}/upload"
    form = store.upload_form(key, content_type="image/jpeg", max_size=1024, expires=EXPIRY)
    policy = json.loads(base64.b64decode(form.fields["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if c[0] != "content-length-range"]
    unlimited = base64.b64encode(json.dumps(policy).encode()).decode()
    try:
        answers = {"policy without its size limit": post_form(form, b"\xff\xd8" * 1024, policy=unlimited),
                   "fresh": post_form(form)}
        issued = time.monotonic()
        wait_until(lambda: post_form(form), 30, what="the form to expire")
        answers[f"after {time.monotonic() - issued:.1f} s"] = post_form(form)
    finally:
        store.remove(key)
    refused_late = list(answers.values())[-1]
    held = answers["policy without its size limit"].startswith("403") and answers["fresh"] == "" and \
        refused_late.startswith("403")
    record(PART, f"a direct upload form (upload_form, expires={EXPIRY.seconds} s) on the real S3 server", held,
           "; ".join(f"{what}: {answer or 'STORED'}" for what, answer in answers.items()))
    assert held, answers
