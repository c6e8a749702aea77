"""The whole system from the Procfile for the XSS checks of what staff type and what applicants name their
files (test_decisions.py, test_file_names.py, test_staff_import.py, test_templates.py; the fixture
`xss_system` in conftest.py, once for the package):
intake's web, scan worker, relay and consumer, review's web, consumer and relay, notify's web, consumer and
worker, the archive's web and consumer. One nomination per payload (tests/chaos/xss.py) is submitted
through intake's JSON API with the payload in the original name of each of its four files, scanned by the
scan worker and received by review's consumer. The demo users are known to review under their subjects (the
secretariat signs in at Keycloak in Chromium)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from bench.intake_load import Browser, Tally as LoadTally, wait_for_scans
from services.intake.domain.file_names import shown_file_name
from tests.builders import form_data
from tests.chaos import load

PROCESSES = ("intake-web", "intake-worker", "intake-relay", "intake-consumer", "review-web", "review-consumer",
             "review-relay", "notify-web", "notify-consumer", "notify-worker", "archive-web", "archive-consumer")
API = "/api/v1/nominations"


def hostile_names(payload: str) -> list[str]:
    """The original names of a nomination's four files: the payload before an extension intake takes."""
    return [f"{payload}.jpg", f"{payload}.pdf", f"{payload}1.jpg", f"{payload}2.jpg"]


def shown_names(payload: str) -> set[str]:
    """What intake keeps of those names to show (the last component of a path: a payload with / loses its
    start, as tests/chaos/test_hostile_corpus.py checks)."""
    return {shown_file_name(name) for name in hostile_names(payload)}


def review_id_of(review, name: str) -> str | None:
    from services.review.adapters.orm import reviews

    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.nomination_id).where(reviews.c.nominee_name == name)).scalar()


def state_of(review, nomination_id: str) -> str | None:
    from services.review.adapters.orm import reviews

    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == nomination_id)).scalar()


def submit_one(intake_url: str, n: int, payload: str, name: str, email: str) -> dict:
    client = Browser(intake_url, LoadTally(), 8_100_000 + n)
    uploads = [(kind, filename, content_type, data) for (kind, _, content_type, data), filename
               in zip(load.files(n), hostile_names(payload))]
    token = client.request("start", "POST", API, (201,), json={"channel": "self", "nominee_kind": "person"}).json()["token"]
    client.request("form", "PATCH", f"{API}/{token}", (200,), json=form_data(name=name, email=email))
    for kind, filename, content_type, data in uploads:
        client.request("upload", "POST", f"{API}/{token}/files/{kind}", (201,),
                       fields={"file": (filename, data, content_type)})
    wait_for_scans(client, token, 300)  # polled twice a second: the keep-alive connection stays open
    client.request("submit", "POST", f"{API}/{token}/submit", (200, 201),
                   json={"submit_key": str(uuid.uuid4()), "seal_confirmed": True})
    status = client.request("status", "GET", f"{API}/{token}", (200,)).json()
    return {"token": token, "reference": status["reference"], "name": name, "email": email, "payload": payload}
