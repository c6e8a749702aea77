"""Sample registration data and ready-made intake containers for integration tests."""
from __future__ import annotations

import copy
import io
import uuid
from dataclasses import replace

from services.intake.bootstrap import Intake, bootstrap, utc_now
from shared.campaign.demo import demo_copy
from shared.campaign.loading import load_campaign
from shared.campaign.parts import ScanWait
from shared.config import Settings

PERSON = {
    "name": "阿依古丽·买买提", "gender": "女", "ethnic_group": "维吾尔族", "age": 45, "political_status": "中共党员",
    "phone": "13812345678", "email": "ayguli@example.com", "unit": "新疆大学", "department": "后勤保障部",
    "position": "餐饮中心主任", "address": "新疆乌鲁木齐市天山区胜利路666号", "postcode": "830046",
}
DEEDS = "她扎根食堂一线二十年，带领团队保障三万名师生一日三餐，疫情期间坚守岗位。" * 12


def form_data(name: str | None = None, unit: str = "新疆大学", email: str | None = None) -> dict:
    person = copy.deepcopy(PERSON)
    person["name"] = name or person["name"]
    person["unit"] = unit
    return {
        "person": person,
        "domain": "伙食管理",
        "deeds": DEEDS,
        "media_honours": [{"title": "最美后勤服务明星", "level": "省部级", "issuer": "新疆日报", "date": "2022-05-01"}],
        "contact": {"name": "马丽", "email": email or f"contact-{uuid.uuid4().hex[:8]}@example.com",
                    "phone": "13900001111"},
    }


# The integration tests run no scan worker: the files other tests leave unscanned are no lag of the scans,
# so submissions wait for pending scans however old those are (tests of the lag rule set their own).
NO_LAG_LIMIT = ScanWait(max_lag_seconds=10**9)


def open_intake(env: dict, queued: list | None = None) -> Intake:
    """An intake container on the test servers whose campaign is open now (the demo copy)."""
    settings = Settings.from_env("intake", env)
    campaign = replace(demo_copy(load_campaign(settings.campaign_file), utc_now()), scan_wait=NO_LAG_LIMIT)
    sink = queued if queued is not None else []
    return bootstrap(settings, queue_scan=sink.append, campaign=campaign)


def required_files() -> list[tuple[str, str, bytes, str]]:
    from tests.fixtures import scanfiles

    return [
        ("photo", "photo.jpg", scanfiles.portrait_photo_jpeg(), "image/jpeg"),
        ("sealed_form", "form.pdf", scanfiles.sealed_form_pdf(), "application/pdf"),
        ("certificate", "cert1.jpg", scanfiles.certificate_jpeg(seed=uuid.uuid4().int % 1000), "image/jpeg"),
        ("certificate", "cert2.jpg", scanfiles.certificate_jpeg(seed=uuid.uuid4().int % 1000 + 1000), "image/jpeg"),
    ]


def upload_required_files(intake: Intake, nomination_id: str, *, scanned: bool = True) -> list[str]:
    """Uploads the photo, the sealed form and two certificates, and scans them as the worker would
    (submission waits for every scan), unless `scanned` is False."""
    from services.intake.service_layer.scans import scan
    from services.intake.service_layer.uploads import add_upload

    upload_ids = [add_upload(intake, nomination_id, kind, io.BytesIO(data), filename=name, content_type=ctype)
                  for kind, name, data, ctype in required_files()]
    if scanned:
        for upload_id in upload_ids:
            scan(intake, upload_id)
    return upload_ids


def complete_self_nomination(intake: Intake, **form) -> str:
    from services.intake.service_layer import nominations

    nomination_id = nominations.start_nomination(intake, channel="self", nominee_kind="person")
    nominations.save_draft(intake, nomination_id, form_data(**form))
    upload_required_files(intake, nomination_id)
    return nomination_id


def random_name(surname: str = "李") -> str:
    """A name no other test uses (names may not contain digits or Latin letters)."""
    value = uuid.uuid4().int
    return surname + "".join(chr(0x4E00 + (value >> (12 * i)) % 0x5000) for i in range(3))


def start_by_api(client) -> str:
    """Starts a self-nomination through the JSON API; returns its token."""
    answer = client.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"})
    assert answer.status_code == 201
    return answer.json["token"]


def own_address(client):
    """The test client with a client address of its own, so that per-address limits (sign-in, drafts,
    uploads) count each test's requests apart."""
    value = uuid.uuid4().int
    client.environ_base["REMOTE_ADDR"] = f"10.{value % 250}.{(value >> 8) % 250}.{(value >> 16) % 250 + 1}"
    return client
