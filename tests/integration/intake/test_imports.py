"""The secretariat's imports on the real database and S3, through intake's pages: a preview of every row
and problem first (nothing imported), then the confirmation imports all rows or none; past honourees from
Excel and from GBK CSV like the organisations; an organisation's invitation sent again."""
from __future__ import annotations

import io
import re
import uuid

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import honourees, outbox
from services.intake.service_layer.organisations import create_organisation, set_password
from tests import spreadsheet_files, staff

pytestmark = pytest.mark.integration


@pytest.fixture()
def secretariat(client, stack):
    return staff.as_staff(client, stack, "secretariat")


HEADER = ["姓名", "单位", "手机", "活动名称", "年度", "类型"]


def honouree_csv(rows: list[list[str]], encoding: str) -> bytes:
    return spreadsheet_files.csv_bytes(HEADER, rows, encoding)


def honouree_xlsx(rows: list[list]) -> bytes:
    return spreadsheet_files.xlsx_bytes(HEADER, rows)


def preview(client, kind: str, data: bytes, filename: str):
    return client.post(f"/admin/{kind}/preview", data={"file": (io.BytesIO(data), filename)})


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def recorded(intake, campaign_name: str) -> list[tuple]:
    with intake.engine.connect() as conn:
        return sorted(conn.execute(sa.select(honourees.c.name, honourees.c.kind, honourees.c.campaign_year)
                                   .where(honourees.c.campaign_name == campaign_name)).all())


@pytest.mark.parametrize("filename, encode", [
    ("往届名单.csv", lambda rows: honouree_csv(rows, "gbk")),
    ("往届名单.xlsx", lambda rows: honouree_xlsx([[*row[:4], int(row[4]), row[5]] for row in rows])),
])
def test_honourees_from_gbk_csv_or_excel_are_previewed_then_imported_once(secretariat, intake, filename, encode):
    campaign_name = f"往届活动{uuid.uuid4().hex[:6]}"
    rows = [["王建国", "示例大学", "13700000009", campaign_name, "2021", "个人"],
            ["保洁服务队", "示例中学", "", campaign_name, "2020", "团队"]]
    shown = preview(secretariat, "honourees", encode(rows), filename)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "王建国" in page and "保洁服务队" in page and "确认导入 2 条记录" in page
    assert recorded(intake, campaign_name) == []  # a preview imports nothing
    done = secretariat.post("/admin/imports/confirm", data={"token": token_of(page)}, follow_redirects=True)
    assert "已导入 2 条往届获奖记录，其中新增 2 条" in done.get_data(as_text=True)
    assert recorded(intake, campaign_name) == [("保洁服务队", "team", 2020), ("王建国", "person", 2021)]
    again = secretariat.post("/admin/imports/confirm", data={"token": token_of(page)}, follow_redirects=True)
    assert "预览已失效" in again.get_data(as_text=True)


def test_an_import_with_a_problem_shows_it_by_row_and_column_and_cannot_be_confirmed(secretariat, intake):
    campaign_name = f"往届活动{uuid.uuid4().hex[:6]}"
    rows = [["王建国", "示例大学", "", campaign_name, "2021", ""], ["李四", "示例大学", "", campaign_name, "二〇二一", ""]]
    shown = preview(secretariat, "honourees", honouree_csv(rows, "utf-8-sig"), "h.csv")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 422
    assert "第 3 行「年度」：须为四位数字的年份" in page and "未导入任何记录" in page
    assert 'name="token"' not in page and recorded(intake, campaign_name) == []


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
