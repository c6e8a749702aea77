"""The secretariat's import of organisations on the real database and S3, through intake's pages: a preview
of every row and problem first (nothing imported), then the confirmation imports all rows or none; past
honourees are not imported here but in the archive's registry, which the overview points to; an
organisation's invitation sent again."""
from __future__ import annotations

import io
import re
import uuid

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import outbox
from services.intake.service_layer.organisations import create_organisation, set_password
from tests import staff

pytestmark = pytest.mark.integration


@pytest.fixture()
def secretariat(client, stack):
    return staff.as_staff(client, stack, "secretariat")


def preview(client, kind: str, data: bytes, filename: str):
    return client.post(f"/admin/{kind}/preview", data={"file": (io.BytesIO(data), filename)})


def test_past_honourees_are_imported_in_the_archive_not_here(secretariat, intake):
    overview = secretariat.get("/admin/").get_data(as_text=True)
    assert f'href="{intake.settings.archive_url.rstrip("/")}/honourees"' in overview and "往届获评名录" in overview
    assert 'id="f-honourees"' not in overview
    csv_data = "姓名,单位,手机,活动名称,年度\n王建国,示例大学,,2021年度最美后勤人,2021\n".encode("utf-8")
    assert preview(secretariat, "honourees", csv_data, "h.csv").status_code == 404
    assert secretariat.get("/admin/honourees/template.xlsx").status_code == 404


def test_a_confirmation_with_a_made_up_token_is_refused(secretariat):
    for token in ("honourees-../../etc", "nothing", "organisations-" + "0" * 32 + "-csv"):
        answer = secretariat.post("/admin/imports/confirm", data={"token": token}, follow_redirects=True)
        assert "导入请求无效" in answer.get_data(as_text=True) or "预览已失效" in answer.get_data(as_text=True)


def test_an_organisation_import_preview_says_which_are_new_and_which_are_updated(secretariat, intake):
    known = f"known-{uuid.uuid4().hex[:8]}@example.org"
    create_organisation(intake, name="已有的协会", type="local_association", email=known)
    fresh = f"fresh-{uuid.uuid4().hex[:8]}@example.org"
    csv_text = ("单位名称,类型,联系人,邮箱,电话,委员单位\n"
                f"已有的协会,地方教育后勤社团组织,王,{known},,\n新的协会,地方教育后勤社团组织,李,{fresh},,\n")
    page = preview(secretariat, "organisations", csv_text.encode("gbk"), "o.csv").get_data(as_text=True)
    known_row = page.split(known)[1].split("</tr>")[0]
    fresh_row = page.split(fresh)[1].split("</tr>")[0]
    assert "已有，更新资料" in known_row and "新增，发送邀请" in fresh_row


def invitations_to(intake, email: str) -> list[dict]:
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.envelope).where(outbox.c.event_type == "organisation.invited")
                            .order_by(outbox.c.id)).scalars().all()
    return [row["payload"] for row in rows if row["payload"]["email"] == email]


def test_secretariat_resends_an_invitation_whose_link_resets_a_forgotten_password(secretariat, client, intake):
    email = f"org-{uuid.uuid4().hex[:8]}@example.org"
    organisation_id, _ = create_organisation(intake, name="测试协会", type="local_association", email=email)
    set_password(intake, organisation_id, "old-password-1")
    overview = secretariat.get("/admin/").get_data(as_text=True)
    assert f"/admin/organisations/{organisation_id}/invitation" in overview
    answer = secretariat.post(f"/admin/organisations/{organisation_id}/invitation", follow_redirects=True)
    assert f"已向 {email} 重新发送邀请邮件" in answer.get_data(as_text=True)
    first, again = invitations_to(intake, email)
    assert (first.get("resent", False), again["resent"], again["has_password"]) == (False, True, True)
    link = "/org/invite/" + again["invitation_url"].rsplit("/org/invite/", 1)[1]
    client.environ_base.pop("HTTP_AUTHORIZATION")
    client.post(link, data={"password": "new-password-2", "password_again": "new-password-2"})
    client.post("/org/logout")
    assert client.post("/org/login", data={"email": email, "password": "new-password-2"}).status_code == 302
    assert client.get(link).status_code == 410  # used: the password it was bound to has changed


def test_resending_to_an_unknown_organisation_says_so(secretariat):
    answer = secretariat.post("/admin/organisations/no-such-id/invitation", follow_redirects=True)
    assert "没有这个推荐单位" in answer.get_data(as_text=True)


def test_resending_an_invitation_asks_first_naming_the_address(secretariat, intake):
    """Tester's A-4: 重发邀请 mailed a fresh password link to an active account without a question."""
    email = f"ask-{uuid.uuid4().hex[:8]}@example.org"
    organisation_id, _ = create_organisation(intake, name="询问协会", type="local_association", email=email)
    set_password(intake, organisation_id, "old-password-1")
    overview = secretariat.get("/admin/").get_data(as_text=True)
    form = overview.split(f"/admin/organisations/{organisation_id}/invitation")[1].split(">")[0]
    assert f'data-confirm="确定向 {email} 重新发送设置密码的邀请邮件吗？该账号已开通，新链接可用于重设密码。"' in form


def test_an_organisation_with_the_longest_address_intake_takes_is_imported(secretariat, intake):
    email = f"o{uuid.uuid4().hex[:8]}" + "o" * 55 + "@" + ("y" * 63 + ".") * 2 + "example.org"
    assert 200 < len(email) <= 254
    csv_text = f"单位名称,类型,联系人,邮箱,电话,委员单位\n长地址后勤协会,地方教育后勤社团组织,王,{email},,\n"
    page = preview(secretariat, "organisations", csv_text.encode("gbk"), "o.csv").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    answer = secretariat.post("/admin/imports/confirm", data={"token": token}, follow_redirects=True)
    assert answer.status_code == 200 and "已导入 1 个推荐单位" in answer.get_data(as_text=True)
    assert [invitation["email"] for invitation in invitations_to(intake, email)] == [email]


def test_a_preview_never_confirmed_is_removed_after_a_day(secretariat, intake):
    from datetime import timedelta

    from services.intake.service_layer.imports import HELD, forget_stale_previews

    csv_text = f"单位名称,类型,联系人,邮箱,电话,委员单位\n新的协会,地方教育后勤社团组织,李,x-{uuid.uuid4().hex[:8]}@example.org,,\n"
    page = preview(secretariat, "organisations", csv_text.encode("gbk"), "o.csv").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    forget_stale_previews(intake)
    assert intake.store.exists(HELD + token), "within its day it stays"
    a_day_later = intake.clock() + timedelta(days=1, minutes=1)
    intake.clock = lambda: a_day_later
    assert forget_stale_previews(intake) >= 1 and not intake.store.exists(HELD + token)
    answer = secretariat.post("/admin/imports/confirm", data={"token": token}, follow_redirects=True)
    assert "预览已失效" in answer.get_data(as_text=True)
