"""Intake's pages and API through Flask's test client, on the real servers: refusals in Chinese,
the body limit, organisations' sign-in and quota page, the secretariat's import."""
from __future__ import annotations

import html
import io
import re
import uuid

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import outbox
from services.intake.entrypoints.web import create_app


from tests import staff
from tests.builders import start_by_api as start

pytestmark = pytest.mark.integration






def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    token = start(client)
    too_big = io.BytesIO(b"\xff\xd8" + bytes(26 * 1024 * 1024))
    answer = client.post(f"/api/v1/nominations/{token}/files/photo", data={"file": (too_big, "big.jpg", "image/jpeg")})
    assert answer.status_code == 413
    assert answer.json["error"] == "一寸免冠照文件大小超过上限 5 MB"  # the slot's limit, as its hint says


def test_a_file_of_a_type_not_accepted_is_refused_naming_what_is_accepted(client):
    token = start(client)
    answer = client.post(f"/api/v1/nominations/{token}/files/photo",
                         data={"file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe", "application/x-msdownload")})
    assert answer.status_code == 409
    assert "一寸免冠照只接受 JPEG、PNG 格式的文件" in answer.json["error"]


def test_a_form_posted_without_its_csrf_token_is_refused_in_chinese(intake, stack):
    app = create_app(stack, intake=intake)
    answer = app.test_client().post("/start", data={"nominee_kind": "person"})
    assert answer.status_code == 400
    assert "页面已过期" in answer.get_data(as_text=True)


def test_a_tampered_status_link_is_not_found(client):
    token = start(client)
    assert client.get(f"/n/{token[:-2]}xx").status_code == 404
    assert client.get(f"/api/v1/nominations/{token[:-2]}xx").status_code == 404


def test_draft_problems_come_back_per_field_in_chinese_and_the_draft_is_kept(client):
    token = start(client)
    answer = client.patch(f"/api/v1/nominations/{token}", json={"person": {"name": "王五", "postcode": "1234"}})
    assert answer.json["saved"] is True
    assert {"field": "person.postcode", "message": answer.json["problems"][0]["message"]} in answer.json["problems"]
    assert "邮编" in answer.json["problems"][0]["message"]
    assert client.get(f"/api/v1/nominations/{token}").json["data"]["person"]["name"] == "王五"


def test_secretariat_imports_organisations_which_are_invited_then_sign_in_and_see_their_quota(client, intake, stack):
    email = f"assoc-{uuid.uuid4().hex[:8]}@example.com"
    csv_text = f"单位名称,类型,联系人,邮箱,电话,委员单位\n测试省高校后勤协会,地方教育后勤社团组织,王秘书,{email},13900001111,\n"
    staff.as_staff(client, stack, "secretariat")
    preview = client.post("/admin/organisations/preview",
                          data={"file": (io.BytesIO(csv_text.encode("utf-8-sig")), "orgs.csv")})
    assert "新增，发送邀请" in preview.get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    answer = client.post("/admin/imports/confirm", data={"token": token}, follow_redirects=True)
    assert "已导入 1 个推荐单位" in answer.get_data(as_text=True)
    with intake.engine.connect() as conn:
        invitation = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.event_type == "organisation.invited")
                                  .order_by(outbox.c.id.desc()).limit(1)).scalar()
    assert invitation["payload"]["email"] == email
    invite_path = "/org/invite/" + invitation["payload"]["invitation_url"].rsplit("/org/invite/", 1)[1]
    answer = client.post(invite_path, data={"password": "secret-pass-1", "password_again": "secret-pass-1"},
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "推荐名额 <strong>3</strong> 名，已用 <strong>0</strong> 名" in page
    client.environ_base.pop("HTTP_AUTHORIZATION")
    client.post("/org/logout")
    refused = client.post("/org/login", data={"email": email, "password": "wrong-password"})
    assert refused.status_code == 401 and "邮箱或密码不正确" in refused.get_data(as_text=True)


def test_secretariat_page_and_metrics_show_the_files_waiting_for_their_scan(client, intake, stack):
    from datetime import datetime, timezone

    from services.intake.adapters.orm import uploads
    from tests.fixtures import scanfiles

    token = start(client)
    stored = client.post(f"/api/v1/nominations/{token}/files/photo",
                         data={"file": (io.BytesIO(scanfiles.portrait_photo_jpeg()), "photo.jpg", "image/jpeg")})
    assert stored.status_code == 201, stored.get_data(as_text=True)
    upload_id = intake.queued[-1]  # queued, and never scanned here: it stays pending
    oldest = datetime(1999, 12, 31, 16, tzinfo=timezone.utc)
    with intake.engine.begin() as conn:
        conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(created_at=oldest))
    try:
        expected_hours = int((datetime.now(timezone.utc) - oldest).total_seconds() // 3600)
        page = staff.as_staff(client, stack, "secretariat").get("/admin/").get_data(as_text=True)
        assert "等待检查的文件 <strong>" in page
        assert f"最早的已等待 <strong>{expected_hours} 小时" in page
        metrics = dict(line.split(" ", 1) for line in client.get("/metrics").get_data(as_text=True).splitlines()
                       if line.startswith("intake_scan"))
        assert float(metrics["intake_scans_pending"]) >= 1
        assert float(metrics["intake_scans_oldest_pending_seconds"]) // 3600 == expected_hours
    finally:
        with intake.engine.begin() as conn:
            conn.execute(sa.delete(uploads).where(uploads.c.id == upload_id))


def test_a_refused_upload_does_not_count_towards_its_slot_on_the_files_page(intake, client):
    from services.intake.adapters.links import nomination_token
    from services.intake.service_layer import nominations
    from services.intake.service_layer.scans import scan
    from services.intake.service_layer.uploads import add_upload
    from tests.fixtures.scanfiles.hostile import truncated_jpeg

    nomination_id = nominations.start_nomination(intake, channel="self", nominee_kind="person")
    scan(intake, add_upload(intake, nomination_id, "photo", io.BytesIO(truncated_jpeg()), filename="cut.jpg",
                            content_type="image/jpeg"))
    page = client.get(f"/n/{nomination_token(intake.settings.secret_key, nomination_id)}/files").get_data(as_text=True)
    assert '<span class="tag bad">已传 0 / 1 份（1 份未通过）</span>' in page
    assert "已传 1 / 1 份" not in page


def test_the_task_list_says_the_confirmation_mail_goes_to_an_unverified_contact(intake, client):
    from services.intake.adapters.links import nomination_token
    from services.intake.service_layer import nominations

    nomination_id = nominations.start_nomination(intake, channel="self", nominee_kind="person")
    nominations.save_draft(intake, nomination_id, {"contact": {"name": "王晓明", "email": "wxm@example.edu.cn",
                                                               "phone": "13800001111"}})
    page = client.get(f"/n/{nomination_token(intake.settings.secret_key, nomination_id)}").get_data(as_text=True)
    assert "验证前不会向联系人发送提醒或短信；提交申报时，确认邮件（含本申报的链接）会发往此邮箱" in page
    assert "任何邮件或短信" not in page


def test_an_organisations_page_warns_when_its_drafts_outnumber_its_places_left(client, intake):
    import uuid

    from services.intake.service_layer import nominations
    from services.intake.service_layer.organisations import create_organisation, set_password

    email = f"org-{uuid.uuid4().hex[:8]}@example.com"
    organisation_id, _ = create_organisation(intake, name="测试大学后勤集团", type="member_unit", email=email)
    set_password(intake, organisation_id, "secret-pass-1")
    client.post("/org/login", data={"email": email, "password": "secret-pass-1"})
    nominations.start_nomination(intake, channel="member_unit", nominee_kind="person", organisation_id=organisation_id)
    assert "drafts-over-quota" not in client.get("/org/").get_data(as_text=True)  # 1 draft, 1 place
    nominations.start_nomination(intake, channel="member_unit", nominee_kind="person", organisation_id=organisation_id)
    page = client.get("/org/").get_data(as_text=True)
    assert "已有 2 份草稿，剩余名额 1 名：只有先提交的 1 份能提交" in page


def test_the_check_page_says_a_branchs_nominee_is_not_of_its_member_units_before_submitting(client, intake):
    import uuid

    from services.intake.adapters.links import nomination_token
    from services.intake.service_layer import nominations
    from services.intake.service_layer.organisations import create_organisation

    organisation_id, _ = create_organisation(intake, name="协会伙食专业委员会", type="branch",
                                             email=f"branch-{uuid.uuid4().hex[:8]}@example.com",
                                             member_units=("示例理工大学", "示例师范大学"))
    nomination_id = nominations.start_nomination(intake, channel="branch", nominee_kind="person",
                                                 organisation_id=organisation_id)
    nominations.save_draft(intake, nomination_id, {"person": {"name": "王建华", "unit": "示例交通大学"}})
    token = nomination_token(intake.settings.secret_key, nomination_id)
    page = html.unescape(client.get(f"/n/{token}/check").get_data(as_text=True))
    assert "被推荐对象所在单位“示例交通大学”不在本分支机构的委员单位名单中" in page
    assert client.get(f"/api/v1/nominations/{token}").json["rule_problems"] == [
        "被推荐对象所在单位“示例交通大学”不在本分支机构的委员单位名单中；分支机构只能在委员单位范围内推荐"]
    nominations.save_draft(intake, nomination_id, {"person": {"name": "王建华", "unit": "示例师范大学"}})
    assert client.get(f"/api/v1/nominations/{token}").json["rule_problems"] == []


def test_an_organisations_draft_leads_back_to_its_dashboard_not_to_a_bookmark(client, intake):
    import uuid

    from services.intake.adapters.links import nomination_token
    from services.intake.service_layer import nominations
    from services.intake.service_layer.organisations import create_organisation

    organisation_id, _ = create_organisation(intake, name="测试大学后勤集团", type="member_unit",
                                             email=f"org-{uuid.uuid4().hex[:8]}@example.com")
    nomination_id = nominations.start_nomination(intake, channel="member_unit", nominee_kind="person",
                                                 organisation_id=organisation_id)
    page = client.get(f"/n/{nomination_token(intake.settings.secret_key, nomination_id)}").get_data(as_text=True)
    assert '本推荐由测试大学后勤集团填报，可随时从<a href="/org/">推荐单位工作台</a>回来继续填写' in page
    assert "无需注册账号" not in page
