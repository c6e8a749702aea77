"""Direct uploads on the real servers: a slot from intake's API, the file POSTed straight to the S3 server
with its signed form, then confirmed. The S3 server refuses what the form does not allow; intake records
only what it measured itself, once, and refuses in Chinese what it cannot record."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
import urllib3

from services.intake.adapters.links import direct_upload_token
from services.intake.adapters.orm import uploads
from services.intake.domain.direct_uploads import SLOT_LIFETIME, Slot
from tests.builders import start_by_api as start
from tests.fixtures import scanfiles

pytestmark = pytest.mark.integration

HTTP = urllib3.PoolManager(retries=False, timeout=30)


def offer(client, token: str, kind: str = "photo", data: bytes = b"", content_type: str = "image/jpeg",
          filename: str = "照片.jpg") -> dict:
    answer = client.post(f"/api/v1/nominations/{token}/files/{kind}/direct",
                         json={"filename": filename, "content_type": content_type, "size": len(data) or 1})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.json


def send_to_s3(form: dict, data: bytes, content_type: str = "image/jpeg", **changed) -> urllib3.BaseHTTPResponse:
    fields = {**form["fields"], **changed, "file": ("any-name", data, content_type)}
    return HTTP.request("POST", form["url"], fields=fields)


def confirm(client, offered: dict, slot: str | None = None):
    return client.post(offered["confirm_url"], json={"slot": slot or offered["slot"]})


def rows(intake, upload_id: str) -> list:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(uploads).where(uploads.c.id == upload_id)).all()


def test_a_file_sent_straight_to_s3_is_recorded_as_measured_once_and_queued_for_its_scan(client, intake):
    token, photo = start(client), scanfiles.portrait_photo_jpeg()
    offered = offer(client, token, data=photo)
    assert offered["form"]["fields"]["key"].startswith("quarantine/")
    assert send_to_s3(offered["form"], photo).status == 204

    first, again = confirm(client, offered), confirm(client, offered)

    assert first.status_code == again.status_code == 201, first.get_data(as_text=True)
    assert first.json == again.json
    assert first.json["filename"] == "照片.jpg" and first.json["status"] == "pending"
    [row] = rows(intake, offered["upload_id"])
    assert (row.size, row.sha256, row.content_type) == (len(photo), hashlib.sha256(photo).hexdigest(), "image/jpeg")
    assert intake.queued.count(offered["upload_id"]) == 1
    status = client.get(f"/api/v1/nominations/{token}").json
    assert [f["id"] for f in status["files"]] == [offered["upload_id"]]


def test_the_s3_server_refuses_what_the_signed_form_does_not_allow(client, intake):
    token = start(client)
    offered = offer(client, token, data=b"x" * 10)
    key = offered["form"]["fields"]["key"]
    too_large = b"\xff\xd8" + bytes(offered["max_bytes"])

    assert send_to_s3(offered["form"], too_large).status == 400
    assert send_to_s3(offered["form"], b"<html>", "text/html", **{"Content-Type": "text/html"}).status == 403
    elsewhere = key.replace("quarantine/", "public/")
    assert send_to_s3(offered["form"], b"\xff\xd8", key=elsewhere).status == 403
    assert send_to_s3(offered["form"], b"").status == 400
    assert not intake.store.exists(key) and not intake.store.exists(elsewhere)


def test_a_confirmation_before_the_file_arrived_is_refused_in_chinese(client, intake):
    token = start(client)
    offered = offer(client, token, data=b"x" * 10)

    answer = confirm(client, offered)

    assert answer.status_code == 409
    assert answer.json["error"] == "尚未收到这个文件：请先按上传凭据把文件上传到存储服务，再确认"
    assert rows(intake, offered["upload_id"]) == []


def test_a_slot_records_only_its_own_file_of_its_own_nomination_while_it_is_fresh(client, intake):
    token, other_token = start(client), start(client)
    photo = scanfiles.portrait_photo_jpeg()
    offered, other = offer(client, token, data=photo), offer(client, other_token, data=photo)
    send_to_s3(offered["form"], photo)
    nomination_id = offered["form"]["fields"]["key"].split("/")[1]
    stale = Slot(nomination_id, "photo", offered["upload_id"], "a.jpg", "image/jpeg",
                 intake.clock() - SLOT_LIFETIME - timedelta(seconds=1))

    tampered = confirm(client, offered, offered["slot"][:-4] + "AAAA")
    someone_elses = confirm(client, offered, other["slot"])
    expired = confirm(client, offered, direct_upload_token(intake.settings.secret_key, stale.as_payload()))

    assert tampered.json["error"] == someone_elses.json["error"] == "上传凭据无效或与本文件不符，请重新申请上传"
    assert expired.json["error"] == "上传凭据已超过 30 分钟有效期，请重新申请上传"
    assert {tampered.status_code, someone_elses.status_code, expired.status_code} == {409}
    assert rows(intake, offered["upload_id"]) == []
    assert confirm(client, offered).status_code == 201


def test_a_slot_is_refused_for_what_an_upload_through_intake_would_be_refused(client):
    token = start(client)
    url = f"/api/v1/nominations/{token}/files/photo/direct"

    wrong_type = client.post(url, json={"filename": "a.exe", "content_type": "application/x-msdownload", "size": 10})
    too_large = client.post(url, json={"filename": "a.jpg", "content_type": "image/jpeg", "size": 6 * 1024 * 1024})
    not_asked = client.post(f"/api/v1/nominations/{token}/files/passport/direct",
                            json={"filename": "a.jpg", "content_type": "image/jpeg", "size": 10})
    nonsense = client.post(url, json={"filename": "a" * 201, "content_type": "image/jpeg", "size": -1, "extra": 1})

    assert wrong_type.json["error"] == "一寸免冠照只接受 JPEG、PNG 格式的文件"
    assert too_large.json["error"] == "一寸免冠照文件大小 6 MB 超过上限 5 MB"
    assert "passport" in not_asked.json["error"]
    assert {wrong_type.status_code, too_large.status_code, not_asked.status_code} == {409}
    assert nonsense.status_code == 422
    assert {p["field"] for p in nonsense.json["errors"]} == {"filename", "size", "extra"}
    assert "请填写文件的字节数（正整数）" in " ".join(p["message"] for p in nonsense.json["errors"])


def test_a_second_file_past_the_kinds_limit_is_refused_at_confirmation_and_its_object_removed(client, intake):
    token, photo = start(client), scanfiles.portrait_photo_jpeg()
    first, second = offer(client, token, data=photo), offer(client, token, data=photo)
    send_to_s3(first["form"], photo), send_to_s3(second["form"], photo)

    assert confirm(client, first).status_code == 201
    refused = confirm(client, second)

    assert refused.status_code == 409
    assert refused.json["error"] == "一寸免冠照最多上传 1 份，请先删除一份再上传"
    assert not intake.store.exists(second["form"]["fields"]["key"])
    assert intake.store.exists(first["form"]["fields"]["key"])

