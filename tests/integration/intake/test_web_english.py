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
    assert "Basic details and business domain" in page and "基本信息" not in page


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


def _flagged_form(intake) -> str:
    """A draft whose sealed form was scanned (the real scan on the real S3 server) and flagged: no seal."""
    from services.intake.service_layer import nominations as use_cases
    from services.intake.service_layer.scans import scan
    from services.intake.service_layer.uploads import add_upload
    from tests.builders import form_data
    from tests.fixtures import scanfiles

    nomination_id = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, nomination_id, form_data())
    upload_id = add_upload(intake, nomination_id, "sealed_form", io.BytesIO(scanfiles.unsealed_form_pdf()),
                           filename="form.pdf", content_type="application/pdf")
    assert scan(intake, upload_id) == "flagged"
    return nomination_id


def _form_reasons(client, token: str, headers: dict | None = None) -> list[str]:
    answer = client.get(f"/api/v1/nominations/{token}", headers=headers or {})
    assert answer.status_code == 200
    return [reason for f in answer.json["files"] if f["kind"] == "sealed_form" for reason in f["reasons"]]


def test_a_flagged_scan_reads_in_english_when_asked_and_in_chinese_otherwise(client, intake):
    from services.intake.adapters.links import nomination_token

    token = nomination_token(intake.settings.secret_key, _flagged_form(intake))
    english, chinese = _form_reasons(client, token, ENGLISH), _form_reasons(client, token)
    assert "No seal was found: please upload a scan of the registration form bearing the unit's seal" in english
    assert "未检测到公章：请上传加盖单位公章的报名表扫描件" in chinese
    assert len(english) == len(chinese) and not any("\u4e00" <= char <= "\u9fff" for char in "".join(english))
    files_page = html.unescape(client.get(f"/n/{token}/files", headers=ENGLISH).get_data(as_text=True))
    assert "No seal was found" in files_page and "未检测到公章" not in files_page


def test_a_flagged_scan_keeps_its_chinese_reason_and_its_message_in_the_stored_row_and_the_event(intake):
    import sqlalchemy as sa

    from services.intake.adapters.orm import outbox, uploads

    nomination_id = _flagged_form(intake)
    with intake.engine.connect() as conn:
        findings = conn.execute(sa.select(uploads.c.findings).where(uploads.c.nomination_id == nomination_id,
                                                                    uploads.c.kind == "sealed_form")).scalar_one()
        [event] = conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type == "upload.scanned")).scalars().all()
    seal = findings["codes"].index("seal_missing")
    assert findings["reasons"][seal] == "未检测到公章：请上传加盖单位公章的报名表扫描件"
    assert findings["messages"][seal] == {"code": "scan.seal_missing", "params": {}}
    assert len(findings["messages"]) == len(findings["reasons"]) == len(findings["codes"])
    assert event["payload"]["reasons"] == findings["reasons"]
    assert event["payload"]["findings"]["messages"] == findings["messages"]


def _import_preview(client, stack, headers: dict | None = None) -> str:
    from tests import staff

    secretariat = staff.as_staff(client, stack, "secretariat")
    csv_text = "单位名称,类型,联系人,邮箱,电话,委员单位\n某某协会,地方教育后勤社团组织,王,not-an-email,12345,\n"
    answer = secretariat.post("/admin/organisations/preview", headers=headers or {},
                              data={"file": (io.BytesIO(csv_text.encode("utf-8")), "o.csv")})
    assert answer.status_code == 422
    return html.unescape(answer.get_data(as_text=True))


def test_a_bad_import_row_reads_in_english_when_asked(client, stack):
    page = _import_preview(client, stack, ENGLISH)
    assert 'Row 2, column "邮箱": not in the right format ("not-an-email"): it should be like name@example.com' in page
    assert 'Row 2, column "电话": not in the right format ("12345")' in page
    assert "格式不正确" not in page


def test_a_bad_import_row_reads_in_chinese_without_the_header(client, stack):
    page = _import_preview(client, stack)
    assert "第 2 行「邮箱」：格式不正确（not-an-email），应如 name@example.com" in page
    assert "Row 2" not in page


def test_the_basic_page_s_own_text_is_in_english_when_asked(client):
    token = start(client)
    page = html.unescape(client.get(f"/n/{token}/basic", headers=ENGLISH).get_data(as_text=True))
    assert "<h1>Basic details and business domain</h1>" in page
    assert all(label in page for label in (">Name</label>", ">Postcode</label>", ">Contact's mobile phone</label>",
                                           "Save and continue", "Back to the task list", "Please choose"))
    assert not any(chinese in page for chinese in ("基本信息", "保存并继续", "返回任务清单", "请选择", "联系人手机"))


def test_the_basic_page_s_own_text_stays_chinese_without_the_header(client):
    token = start(client)
    page = html.unescape(client.get(f"/n/{token}/basic").get_data(as_text=True))
    assert "<h1>基本信息与所属业务领域</h1>" in page and ">联系人手机</label>" in page and "保存并继续" in page
    assert "Save and continue" not in page


def test_the_start_page_is_in_english_when_asked_and_in_chinese_otherwise(client):
    english = html.unescape(client.get("/", headers=ENGLISH).get_data(as_text=True))
    assert "What you need" in english and "Already started?" in english and "您需要准备" not in english
    chinese = html.unescape(client.get("/").get_data(as_text=True))
    assert "您需要准备" in chinese and ">登录推荐单位账号</a> 后推荐。" in chinese and "What you need" not in chinese
