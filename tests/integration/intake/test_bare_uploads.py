"""The API's upload with the file itself as the body (POST …/files/<kind>, the type in Content-Type, the name
in Content-Disposition), on the real servers: recorded as a form's file is, and refused as one is."""
from __future__ import annotations

import hashlib
import io
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import uploads
from services.intake.domain.file_names import FALLBACK
from services.intake.entrypoints.api_uploads import file_name_of
from services.intake.service_layer.uploads import QUARANTINE
from tests.builders import start_by_api as start
from tests.fixtures import scanfiles

pytestmark = pytest.mark.integration


def send(client, token: str, data: bytes, content_type: str | None = "image/jpeg", name: str | None = "照片.jpg",
         kind: str = "photo"):
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"} if name is not None else {}
    return client.post(f"/api/v1/nominations/{token}/files/{kind}", data=data, headers=headers,
                       content_type=content_type)


def row_of(intake, upload_id: str):
    with intake.engine.connect() as connection:
        return connection.execute(sa.select(uploads).where(uploads.c.id == upload_id)).one()


def test_a_photo_sent_as_the_body_is_stored_in_quarantine_and_queued_for_its_scan(client, intake):
    token, photo = start(client), scanfiles.portrait_photo_jpeg()
    answer = send(client, token, photo)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert (answer.json["filename"], answer.json["size"], answer.json["status"]) == ("照片.jpg", len(photo), "pending")
    row = row_of(intake, answer.json["id"])
    assert (row.content_type, row.sha256) == ("image/jpeg", hashlib.sha256(photo).hexdigest())
    assert row.object_key.startswith(f"{QUARANTINE}/{row.nomination_id}/")
    assert intake.store.get_bytes(row.object_key) == photo
    assert intake.queued == [answer.json["id"]]


def test_a_body_without_a_name_is_shown_under_the_fallback_name(client):
    answer = send(client, start(client), scanfiles.portrait_photo_jpeg(), name=None)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.json["filename"] == FALLBACK


def test_a_body_of_a_type_the_kind_does_not_accept_is_refused_in_chinese_and_nothing_is_stored(client, intake):
    token = start(client)
    answer = send(client, token, b"MZ\x90\x00", content_type="application/x-msdownload", name="setup.exe")
    assert answer.status_code == 409
    assert "一寸免冠照只接受 JPEG、PNG 格式的文件" in answer.json["error"]
    assert not stored_for(client, intake, token)


def test_a_body_over_the_kinds_limit_is_refused_by_its_declared_length(client, intake):
    token = start(client)
    answer = send(client, token, b"\xff\xd8" + bytes(6 * 1024 * 1024))
    assert (answer.status_code, answer.json["error"]) == (409, "一寸免冠照文件大小 6 MB 超过上限 5 MB")
    assert not stored_for(client, intake, token)


def test_a_body_without_a_type_is_refused_saying_how_to_send_a_file(client):
    answer = send(client, start(client), scanfiles.portrait_photo_jpeg(), content_type=None)
    assert (answer.status_code, answer.json["code"]) == (400, "no_file")
    assert "Content-Type" in answer.json["error"] and "multipart/form-data" in answer.json["error"]


@pytest.mark.parametrize("as_form", [False, True])
def test_an_empty_file_is_refused_at_once_in_chinese_and_not_kept(client, intake, as_form):
    token = start(client)
    if as_form:
        answer = client.post(f"/api/v1/nominations/{token}/files/photo", data={"file": (io.BytesIO(b""), "a.jpg")},
                             content_type="multipart/form-data")
    else:
        answer = send(client, token, b"")
    assert (answer.status_code, answer.json["error"]) == (409, "一寸免冠照是空文件（0 字节），请重新选择文件上传")
    assert not stored_for(client, intake, token) and not intake.queued


def test_a_form_with_no_file_field_is_still_refused_as_before(client):
    answer = client.post(f"/api/v1/nominations/{start(client)}/files/photo", data={"other": (io.BytesIO(b"x"), "x.jpg")})
    assert (answer.status_code, answer.json["code"]) == (400, "no_file")


@pytest.mark.parametrize("header, name", [
    ("attachment; filename*=UTF-8''%E7%85%A7%E7%89%87.jpg", "照片.jpg"),
    ('attachment; filename="a b.pdf"', "a b.pdf"),
    ("attachment", ""), ("", ""), ("inline; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", "../../etc/passwd"),
])
def test_the_name_is_read_from_content_disposition(header, name):
    assert file_name_of(header) == name  # shown_file_name then keeps only the last part of a path


def stored_for(client, intake, token: str) -> list:
    nomination_id = client.get(f"/api/v1/nominations/{token}").json["id"]
    return list(intake.store.keys(f"{QUARANTINE}/{nomination_id}/"))
