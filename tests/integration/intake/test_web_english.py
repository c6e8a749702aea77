"""Refusals in English when the browser or API client asks for English (Accept-Language), Chinese otherwise;
through Flask's test client on the real servers."""
from __future__ import annotations

import html
import io

import pytest

from services.intake.entrypoints.web import create_app

from tests.builders import start_by_api as start

pytestmark = pytest.mark.integration

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
CHINESE_FIRST = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}




def phone_problem(answer) -> str:
    return next(p["message"] for p in answer.json["problems"] if p["field"] == "person.phone")


def test_api_draft_with_a_bad_phone_names_the_phone_in_english_when_asked(client):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", json={"person": {"phone": "123"}}, headers=ENGLISH)
    assert answer.status_code == 200
    assert phone_problem(answer).startswith("Phone: please enter an 11-digit mobile number")


def test_api_draft_with_a_bad_phone_stays_chinese_without_the_header(client):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", json={"person": {"phone": "123"}})
    assert phone_problem(answer).startswith("联系电话：请输入 11 位手机号码")


def test_api_draft_stays_chinese_when_chinese_is_preferred_over_english(client):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", json={"person": {"phone": "123"}}, headers=CHINESE_FIRST)
    assert phone_problem(answer).startswith("联系电话：")


def test_api_upload_of_a_refused_type_is_refused_in_english_when_asked(client):
    token = start(client)
    answer = client.post(f"/api/v1/nominations/{token}/files/photo", headers=ENGLISH,
                         data={"file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe", "application/x-msdownload")})
    assert answer.status_code == 409
    assert answer.json["error"] == "1-inch bareheaded photo: only JPEG, PNG files are accepted"


def test_page_upload_of_a_refused_type_answers_the_uploading_script_in_english(client):
    token = start(client)
    answer = client.post(f"/n/{token}/files/photo", headers={**ENGLISH, "Accept": "application/json"},
                         data={"file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe", "application/x-msdownload")})
    assert answer.status_code == 400
    assert answer.json["error"] == "1-inch bareheaded photo: only JPEG, PNG files are accepted"


def test_basic_page_with_a_bad_postcode_shows_the_english_message_when_asked(client):
    token = start(client)
    answer = client.post(f"/n/{token}/basic", data={"person.postcode": "12", "next": "stay"}, headers=ENGLISH)
    page = html.unescape(answer.get_data(as_text=True))
    assert "Postcode: please enter a 6-digit postcode, e.g. 100872" in page
    assert "邮编：请输入 6 位数字邮政编码" not in page
    assert "基本信息" in page  # the form's own headings are not translated yet


def test_basic_page_with_a_bad_postcode_stays_chinese_without_the_header(client):
    token = start(client)
    answer = client.post(f"/n/{token}/basic", data={"person.postcode": "12", "next": "stay"})
    page = html.unescape(answer.get_data(as_text=True))
    assert "邮编：请输入 6 位数字邮政编码，如 100872" in page
    assert "Postcode:" not in page


def test_not_found_page_is_in_english_when_asked(client):
    answer = client.get("/n/not-a-token", headers=ENGLISH)
    assert answer.status_code == 404
    assert "Page not found." in answer.get_data(as_text=True)


def test_csrf_refusal_is_in_english_when_asked(intake, stack):
    answer = create_app(stack, intake=intake).test_client().post("/start", data={"nominee_kind": "person"},
                                                                 headers=ENGLISH)
    assert answer.status_code == 400
    assert "This page has expired" in answer.get_data(as_text=True)


def test_flashed_refusal_is_shown_in_english_when_asked(client):
    refused = client.post("/start", data={"nominee_kind": "robot"}, headers=ENGLISH)
    assert refused.status_code == 302
    page = html.unescape(client.get(refused.headers["Location"], headers=ENGLISH).get_data(as_text=True))
    assert "1 item(s) still need to be filled in or corrected" in page


def test_api_submit_of_an_empty_draft_lists_its_problems_in_english_when_asked(client):
    token = start(client)
    answer = client.post(f"/api/v1/nominations/{token}/submit", json={"submit_key": "k1"}, headers=ENGLISH)
    assert answer.status_code == 422
    assert answer.json["error"].endswith("item(s) still need to be filled in or corrected")
    assert all(not any("\u4e00" <= char <= "\u9fff" for char in p["field"]) for p in answer.json["errors"])


def test_the_page_chrome_is_in_english_when_asked(client):
    page = client.get("/n/not-a-token", headers=ENGLISH).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Page not found</h1>" in page
    assert "Submissions close: " in page and "Beijing time" in page
    assert "Back to the start page" in page and "返回首页" not in page


def test_the_page_chrome_stays_chinese_without_the_header(client):
    page = client.get("/n/not-a-token").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "<h1>找不到页面</h1>" in page and "申报截止：北京时间 " in page and "返回首页" in page


def test_a_file_too_large_for_the_page_leads_back_to_the_drafts_uploads(client):
    token = start(client)
    too_big = io.BytesIO(b"\xff\xd8" + bytes(26 * 1024 * 1024))
    answer = client.post(f"/n/{token}/files/photo", data={"file": (too_big, "big.jpg", "image/jpeg")})
    assert answer.status_code == 413
    page = html.unescape(answer.get_data(as_text=True))
    assert f'href="/n/{token}/files"' in page and "返回上传材料" in page
