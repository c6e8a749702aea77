"""The hostile corpus through the real upload paths (intake's web process and its scan worker, as the Procfile
runs them; the files sent through intake, and straight to the S3 server as direct uploads): every file refused at the upload or flagged by the scans with a reason in Chinese, every hostile
name stored as a plain name, oversize bodies and slow uploads refused or outlasted; never a 5xx, never a
process down, nothing stored outside the quarantine and the scans' derived copies."""
from __future__ import annotations

import itertools
import socket
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from bench.intake_load import Browser, Tally
from bench.processes import System
from shared.config import Settings
from shared.storage import ObjectStore
from tests.builders import form_data
from tests.chaos.hostile import CHINESE, CORPUS, HOSTILE_NAMES
from tests.chaos.results import record
from tests.fixtures import scanfiles

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(1800)]

PART = "4 hostile corpus"
API = "/api/v1/nominations"
NUMBERS = itertools.count(7_000_000, 1)  # each draft from a loopback address of its own (per-address limits)
SCAN_TIMEOUT = 300
DRAFTS: list[str] = []  # the nominations this module started


@pytest.fixture(scope="module")
def intake(chaos_env):
    with tempfile.TemporaryDirectory(prefix="tuiju-chaos-hostile-") as directory:
        system = System(chaos_env, Path(directory))
        try:
            system.start("intake-web", "intake-worker")
            yield system
            down = [name for name, process in system.processes.items() if not process.alive()]
            record(PART, "intake's web process and scan worker alive after the corpus", not down,
                   f"exited: {down}" if down else "both alive")
        finally:
            system.stop()


def draft(system: System) -> tuple[Browser, str]:
    client = Browser(system.url("intake-web"), Tally(), next(NUMBERS))
    started = client.request("start", "POST", API, (201,), json={"channel": "self", "nominee_kind": "person"}).json()
    token = started["token"]
    DRAFTS.append(started["id"])
    client.request("form", "PATCH", f"{API}/{token}", (200,), json=form_data())
    return client, token


def upload(client: Browser, token: str, kind: str, filename: str, content_type: str, data: bytes):
    return client.request("upload", "POST", f"{API}/{token}/files/{kind}", tuple(range(200, 600)),
                          fields={"file": (filename, data, content_type)})


def scanned(client: Browser, token: str, upload_id: str) -> dict:
    deadline = time.monotonic() + SCAN_TIMEOUT
    while time.monotonic() < deadline:
        files = client.request("status", "GET", f"{API}/{token}", (200,)).json()["files"]
        found = next(f for f in files if f["id"] == upload_id)
        if found["status"] != "pending":
            return found
        time.sleep(1)
    raise AssertionError(f"upload {upload_id} not scanned in {SCAN_TIMEOUT} s")


def outcome(client: Browser, token: str, answer) -> tuple[bool, str]:
    """(held, what happened): refused with a Chinese reason at the upload, or scanned as not acceptable
    with Chinese reasons."""
    body = answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else {}
    if answer.status >= 500:
        return False, f"answered {answer.status}: {answer.data[:200]!r}"
    if answer.status >= 400:
        error = body.get("error", "")
        return bool(CHINESE.search(error)), f"refused at upload ({answer.status}): {error[:80]}"
    file = scanned(client, token, body["id"])
    reasons = "；".join(file["reasons"])
    held = file["verdict"] in ("refused", "flagged") and bool(CHINESE.search(reasons))
    return held, f"scanned {file['verdict']}: {reasons[:120]}"


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda hostile: hostile.what)
def test_hostile_file_is_refused_or_flagged_in_chinese(intake, hostile):
    client, token = draft(intake)
    held, happened = outcome(client, token, upload(client, token, hostile.kind, hostile.filename,
                                                   hostile.content_type, hostile.data()))
    record(PART, hostile.what, held, happened)
    assert held, happened


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda hostile: hostile.what)
def test_hostile_file_sent_as_the_whole_body_is_refused_or_flagged_in_chinese(intake, hostile):
    """The same corpus as the upload's bare body: the type in Content-Type, the name in Content-Disposition."""
    client, token = draft(intake)
    answer = client.request("upload", "POST", f"{API}/{token}/files/{hostile.kind}", tuple(range(200, 600)),
                            body=hostile.data(), headers={
                                "Content-Type": hostile.content_type,
                                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(hostile.filename)}"})
    held, happened = outcome(client, token, answer)
    record(PART, f"as the whole body: {hostile.what}", held, happened)
    assert held, happened


@pytest.mark.parametrize("hostile", CORPUS, ids=lambda hostile: hostile.what)
def test_hostile_file_sent_straight_to_s3_is_refused_or_flagged_in_chinese(intake, hostile):
    """The same corpus as a direct upload: a slot (refused in Chinese for what it declares), the POST to the S3
    server (which refuses what its signed form does not allow), the confirmation and the same scan."""
    client, token = draft(intake)
    held, happened = direct_outcome(client, token, hostile)
    record(PART, f"straight to S3: {hostile.what}", held, happened)
    assert held, happened


def direct_outcome(client: Browser, token: str, hostile) -> tuple[bool, str]:
    data, any_status = hostile.data(), tuple(range(200, 600))
    slot = client.request("upload slot", "POST", f"{API}/{token}/files/{hostile.kind}/direct", any_status,
                          json={"filename": hostile.filename[:200], "content_type": hostile.content_type,
                                "size": len(data)})
    if slot.status != 201:
        return outcome(client, token, slot)
    offer = slot.json()
    sent = client.request("upload to S3", "POST", offer["form"]["url"], any_status,
                          fields={**offer["form"]["fields"], "file": ("file", data, hostile.content_type)})
    if sent.status >= 300:
        return 400 <= sent.status < 500, f"refused by the S3 server ({sent.status})"
    return outcome(client, token, client.request("upload confirm", "POST", offer["confirm_url"], any_status,
                                                 json={"slot": offer["slot"]}))


@pytest.mark.parametrize("what, filename", HOSTILE_NAMES, ids=[what for what, _ in HOSTILE_NAMES])
def test_hostile_file_name_is_stored_as_a_plain_name(intake, what, filename):
    client, token = draft(intake)
    answer = upload(client, token, "certificate", filename, "image/jpeg", scanfiles.certificate_jpeg(7))
    stored = answer.json().get("filename", "") if answer.status == 201 else ""
    plain = answer.status == 201 and stored and not any(ch in stored for ch in "/\\\r\n\x00\x1b\u202e") \
        and len(stored) <= 200 and stored not in (".", "..")
    refused = 400 <= answer.status < 500 and CHINESE.search(answer.json().get("error", ""))
    held = bool(plain or refused)
    record(PART, f"file name: {what}", held,
           f"stored as {stored[:40]!r}" if answer.status == 201 else f"answered {answer.status}")
    assert held, (answer.status, stored)


def test_oversize_body_is_refused_in_chinese(intake):
    client, token = draft(intake)
    answer = upload(client, token, "certificate", "big.jpg", "image/jpeg", b"\xff\xd8\xff" + b"\x00" * (26 * 1024 * 1024))
    error = answer.json().get("error", "") if answer.status < 500 else ""
    held = answer.status == 413 and bool(CHINESE.search(error))
    record(PART, "oversize body (26 MB, over the 25 MB limit)", held, f"answered {answer.status}: {error[:60]}")
    assert held, (answer.status, error)


def slow_upload(url: str, stop: threading.Event) -> None:
    """Headers for a 1 MB upload, then one byte a second until stopped or cut off."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(f"POST {API}/x/files/photo HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; "
                     "boundary=b\r\nContent-Length: 1048576\r\n\r\n--b\r\n".encode())
        while not stop.wait(1):
            try:
                conn.sendall(b"x")
            except OSError:
                return


def test_slow_uploads_do_not_stop_other_applicants(intake):
    """Three uploads trickling one byte a second (fewer than the process's threads: more are the
    ingress's to buffer, deploy/base/ingress.yaml) while another applicant uploads and gets a scan."""
    stop = threading.Event()
    slow = [threading.Thread(target=slow_upload, args=(intake.url("intake-web"), stop), daemon=True) for _ in range(3)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(3)
        client, token = draft(intake)
        started = time.monotonic()
        answer = upload(client, token, "photo", "photo.jpg", "image/jpeg", scanfiles.portrait_photo_jpeg())
        seconds = time.monotonic() - started
        verdict = scanned(client, token, answer.json()["id"])["verdict"] if answer.status == 201 else None
    finally:
        stop.set()
    held = answer.status == 201 and verdict == "ok"
    record(PART, "3 slow uploads (1 byte/s) while another applicant uploads", held,
           f"the other upload answered {answer.status} in {seconds:.1f} s, scanned {verdict}")
    assert held, (answer.status, verdict)


def test_nothing_stored_outside_quarantine_and_derived(intake, chaos_env):
    """After the corpus (this test runs last in the module): every object of this module's drafts is a
    quarantined original or a derived copy the scans made, under ids the server chose; no key carries a
    name the client gave."""
    store = ObjectStore.from_settings(Settings.from_env("intake", chaos_env))
    keys = list(store.keys(""))
    ours = [key for key in keys if any(nomination_id in key for nomination_id in DRAFTS)]
    outside = [key for key in ours if key.split("/", 2)[0] not in ("quarantine", "derived")
               or key.split("/", 2)[1] not in DRAFTS]
    named = [key for key in keys if any(name in key for name in ("passwd", "win.ini", "..", "script", "bomb"))]
    held = bool(ours) and not outside and not named
    record(PART, "nothing stored outside the quarantine and derived prefixes", held,
           f"{len(ours)} objects of {len(DRAFTS)} drafts" + (f"; outside: {(outside + named)[:3]}" if not held else ""))
    assert held, (len(ours), outside[:5], named[:5])
