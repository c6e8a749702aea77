"""Every text a user or API client sends has a limit, refused in Chinese (English when asked) before
anything is stored or published: the hostile withdrawal that once stopped the relay, drafts, passwords."""
from __future__ import annotations


import pytest
import sqlalchemy as sa

from services.intake.adapters.links import nomination_from_token
from services.intake.adapters.orm import nominations, outbox
from tests.builders import start_by_api as start

pytestmark = pytest.mark.integration


def outbox_rows(intake, nomination_id: str) -> list[str]:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(outbox.c.event_type).where(outbox.c.key == nomination_id)).scalars().all()


def test_withdrawing_with_a_reason_of_1_1_mb_is_refused_and_publishes_nothing(client, intake):
    token = start(client)
    nomination_id = nomination_from_token(intake.settings.secret_key, token)
    answer = client.post(f"/api/v1/nominations/{token}/withdraw", json={"reason": "撤" * (1100 * 1024 // 3)})
    assert answer.status_code == 413
    assert answer.json["error"] == "请求内容过大：最多 128 KB"
    assert outbox_rows(intake, nomination_id) == []
    assert client.get(f"/api/v1/nominations/{token}").json["state"] == "draft"


def test_withdrawing_with_a_reason_over_500_characters_is_refused_naming_the_field(client, intake):
    token = start(client)
    nomination_id = nomination_from_token(intake.settings.secret_key, token)
    answer = client.post(f"/api/v1/nominations/{token}/withdraw", json={"reason": "因" * 501})
    assert answer.status_code == 422
    assert answer.json["errors"] == [{"field": "reason", "message": "撤回原因：最多 500 个字"}]
    assert outbox_rows(intake, nomination_id) == []


def test_a_long_withdrawal_reason_on_the_page_is_refused_and_the_draft_stays(client, intake):
    token = start(client)
    answer = client.post(f"/n/{token}/withdraw", data={"reason": "因" * 501}, follow_redirects=True)
    assert "撤回原因：最多 500 个字（现 501 字）" in answer.get_data(as_text=True)
    assert client.get(f"/api/v1/nominations/{token}").json["state"] == "draft"


@pytest.mark.parametrize("reason", ['"a\\u0000b"', '"\\ud800"'])
def test_a_withdrawal_reason_no_database_stores_is_refused_and_the_draft_stays(client, intake, reason):
    """A NUL or a lone surrogate in the reason was a 500 (found by the OpenAPI fuzzing, issue 19)."""
    token = start(client)
    nomination_id = nomination_from_token(intake.settings.secret_key, token)
    answer = client.post(f"/api/v1/nominations/{token}/withdraw", data=f'{{"reason": {reason}}}',
                         content_type="application/json")
    assert answer.status_code == 400 and "无法保存的字符" in answer.json["error"]
    assert outbox_rows(intake, nomination_id) == []
    assert client.get(f"/api/v1/nominations/{token}").json["state"] == "draft"


def test_a_nul_in_a_page_form_or_a_draft_is_refused_and_nothing_changes(client):
    token = start(client)
    page = client.post(f"/n/{token}/withdraw", data={"reason": "不参评\x00"})
    assert page.status_code == 400 and "无法保存的字符" in page.get_data(as_text=True)
    draft = client.patch(f"/api/v1/nominations/{token}", data='{"nominee": {"name": "张\\u0000三"}}',
                         content_type="application/json")
    assert draft.status_code == 400
    status = client.get(f"/api/v1/nominations/{token}").json
    assert status["state"] == "draft" and "nominee" not in status["data"]


def test_a_draft_nested_thousands_deep_is_refused_and_the_draft_stays(client):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", data='{"nominee": ' + "[" * 40_000 + "]" * 40_000 + "}",
                          content_type="application/json")
    assert answer.status_code == 400 and "层级过深" in answer.json["error"]
    assert client.get(f"/api/v1/nominations/{token}").json["state"] == "draft"


def test_a_refusal_of_the_body_comes_in_english_when_asked(client):
    token = start(client)
    answer = client.post(f"/api/v1/nominations/{token}/withdraw", json={"reason": "因" * 501},
                         headers={"Accept-Language": "en"})
    assert answer.json["errors"][0]["message"] == "Reason for withdrawal: at most 500 characters"
    assert answer.json["error"] == "The request has 1 problem(s)"


def test_starting_with_an_overlong_channel_or_an_unknown_field_is_refused(client):
    answer = client.post("/api/v1/nominations", json={"channel": "x" * 31, "nominee_kind": "person", "extra": 1})
    assert answer.status_code == 422
    assert {p["field"]: p["message"] for p in answer.json["errors"]} == {
        "channel": "推荐渠道：最多 30 个字", "extra": "表单中没有这一项"}


def test_a_draft_body_over_the_request_limit_is_refused_before_it_is_read(client, intake):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", json={"deeds": "事" * 50_000})
    assert answer.status_code == 413
    nomination_id = nomination_from_token(intake.settings.secret_key, token)
    with intake.engine.connect() as conn:
        data = conn.execute(sa.select(nominations.c.data).where(nominations.c.id == nomination_id)).scalar_one()
    assert "deeds" not in data


def test_a_draft_that_would_grow_over_its_limit_is_refused(client):
    token = start(client)
    for field in ("deeds", "person"):
        value = "事" * 10_000 if field == "deeds" else {"address": "路" * 10_000}
        assert client.patch(f"/api/v1/nominations/{token}", json={field: value}).status_code == 200
    answer = client.patch(f"/api/v1/nominations/{token}", json={"contact": {"name": "名" * 10_000}})
    assert answer.status_code == 422
    assert answer.json["errors"][0]["field"] == "data"
    assert answer.json["error"].startswith("草稿内容过大：最多 64 KB")
    assert "contact" not in client.get(f"/api/v1/nominations/{token}").json["data"]


def test_a_page_form_over_the_request_limit_is_refused_in_chinese(client):
    token = start(client)
    answer = client.post(f"/n/{token}/basic", data={"person.name": "名" * 60_000})
    assert answer.status_code == 413
    assert "请求内容过大：最多 128 KB" in answer.get_data(as_text=True)


def test_an_overlong_password_is_refused_without_hashing_it(client):
    answer = client.post("/org/login", data={"email": "a@example.com", "password": "p" * 201})
    assert answer.status_code == 401
    assert "邮箱或密码不正确" in answer.get_data(as_text=True)


@pytest.mark.parametrize("field,value", [("channel", "local_association"), ("recommender", "伪造的推荐单位"),
                                         ("nominee_kind", "team"), ("campaign_id", "another")])
def test_a_draft_patch_cannot_write_a_server_owned_field(client, field, value):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", json={field: value, "deeds": "事迹"})
    assert answer.status_code == 422
    assert [p["field"] for p in answer.json["errors"]] == [field]
    data = client.get(f"/api/v1/nominations/{token}").json["data"]
    assert data.get(field) != value and "deeds" not in data


def test_the_form_cannot_write_the_recommender(client):
    token = start(client)
    client.post(f"/n/{token}/basic", data={"recommender": "伪造的推荐单位", "contact.name": "马丽", "next": "stay"})
    data = client.get(f"/api/v1/nominations/{token}").json["data"]
    assert "recommender" not in data and data["contact"]["name"] == "马丽"


def test_a_body_that_is_not_json_is_refused_in_chinese_by_every_json_endpoint(client):
    token = start(client)
    for path in ("/api/v1/nominations", f"/api/v1/nominations/{token}/submit",
                 f"/api/v1/nominations/{token}/files/photo/direct", f"/api/v1/nominations/{token}/files/photo/direct/x"):
        answer = client.post(path, data='{"filename": ', content_type="application/json")
        assert answer.status_code == 400, path
        assert answer.json["error"] == "请求无法解析（例如 JSON 格式有误），请检查后重试", path
