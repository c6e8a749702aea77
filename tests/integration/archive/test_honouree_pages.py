"""The secretariat's honouree import on the archive's pages: the template, a preview naming each problem by
row, then the import, all behind staff sign-in (real Keycloak tokens) and CSRF."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from services.archive.adapters.orm import honourees
from services.archive.entrypoints.web import create_app
from tests import staff

pytestmark = pytest.mark.integration
GOOD = ("类型,姓名,单位,业务领域,年度,活动名称,手机\n"
        "个人,孙志强,示例农业大学后勤处,房产管理,2020,全国教育后勤系统“2020年度感动人物”,13700000001\n").encode("gbk")
BAD = "姓名,单位,年度,活动名称\n周敏,示例大学,20二一,最美后勤人\n".encode()


@pytest.fixture()
def client(archive, archive_env):
    app = create_app(archive_env, archive=archive)
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def secretariat(env) -> dict:
    return {"Authorization": f"Bearer {staff.access_token(env, 'secretariat')}"}


def test_preview_then_import_records_the_list(client, archive, archive_env):
    headers = secretariat(archive_env)
    template = client.get("/honourees/template.xlsx", headers=headers)
    assert template.status_code == 200 and template.data[:2] == b"PK"
    page = client.post("/honourees/preview", headers=headers,
                       data={"file": (io.BytesIO(GOOD), "2020感动人物.csv")}, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "将新增 1 条" in text and "孙志强" in text and "13700000001" not in text
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    done = client.post("/honourees/import", headers=headers, data={"token": token})
    assert "已导入 1 条新记录" in done.get_data(as_text=True)
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(honourees.c.name, honourees.c.campaign_year)).all() == [("孙志强", 2020)]
    assert client.post("/honourees/import", headers=headers, data={"token": token}).status_code == 400


def test_preview_names_the_bad_row_and_offers_no_import(client, archive_env):
    page = client.post("/honourees/preview", headers=secretariat(archive_env),
                       data={"file": (io.BytesIO(BAD), "名单.csv")}, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert "第 2 行「年度」" in text and "确认导入" not in text


def test_import_pages_need_the_secretariat_and_a_csrf_token(archive, archive_env):
    app = create_app(archive_env, archive=archive)
    client = app.test_client()
    assert client.get("/honourees").status_code == 302
    auditor = {"Authorization": f"Bearer {staff.access_token(archive_env, 'auditor')}"}
    assert client.get("/honourees", headers=auditor).status_code == 403
    refused = client.post("/honourees/import", headers=secretariat(archive_env), data={"token": "x"})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
