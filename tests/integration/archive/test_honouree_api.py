"""The honouree import as JSON for the secretariat's tools, with the tuiju-tools client's credentials at the
devstack's Keycloak: the same preview and confirmation as the page, all rows or none, changes by bearer
token only."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from services.archive.adapters.orm import honourees, outbox
from services.archive.entrypoints.web import create_app
from tests import staff

pytestmark = pytest.mark.integration
GOOD = ("类型,姓名,单位,业务领域,年度,活动名称,手机\n"
        "个人,钱学勤,示例理工大学后勤集团,伙食管理,2021,全国教育后勤系统“2021年度最美后勤人”,13700000021\n"
        "团队,绿化养护班组,示例师范大学后勤处,,2021,全国教育后勤系统“2021年度最美后勤人”,\n").encode("gbk")
BAD = "姓名,单位,年度,活动名称\n周敏,示例大学,20二一,最美后勤人\n,示例学院,2020,感动人物\n".encode()


@pytest.fixture()
def client(archive, archive_env):
    return create_app(archive_env, archive=archive).test_client()


@pytest.fixture()
def tools(archive_env) -> dict:
    return {"Authorization": f"Bearer {staff.tools_token(archive_env)}"}


def recorded(archive) -> list[tuple]:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(honourees.c.name, honourees.c.kind, honourees.c.source)
                            .order_by(honourees.c.name)).all()


def test_tools_preview_then_import_record_the_list(client, archive, tools):
    answer = client.post("/api/honourees/preview", headers=tools,
                         data={"file": (io.BytesIO(GOOD), "2021最美后勤人.csv")}, content_type="multipart/form-data")
    preview = answer.get_json()
    assert answer.status_code == 200 and preview["ok"] and preview["importable"]
    assert preview["counts"] == {"rows": 2, "new": 2, "already_recorded": 0, "problems": 0}
    assert [(r["name"], r["kind"], r["phone_recorded"], r["status"]) for r in preview["records"]] == [
        ("钱学勤", "person", True, "new"), ("绿化养护班组", "team", False, "new")]
    assert "13700000021" not in answer.get_data(as_text=True)
    assert recorded(archive) == []  # a preview records nothing

    done = client.post("/api/honourees/import", headers=tools, json={"token": preview["token"]})
    assert done.status_code == 200 and done.get_json() == {"ok": True, "imported": 2}
    assert recorded(archive) == [("绿化养护班组", "team", "import"), ("钱学勤", "person", "import")]
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outbox)
                            .where(outbox.c.event_type == "honouree.recorded")).scalar() == 2
    again = client.post("/api/honourees/import", headers=tools, json={"token": preview["token"]})
    assert again.status_code == 410 and again.get_json()["code"] == "preview_expired"


def test_tools_preview_of_the_body_itself_shows_what_is_already_recorded(client, archive, tools):
    first = client.post("/api/honourees/preview", headers={**tools, "Content-Type": "text/csv"}, data=GOOD).get_json()
    client.post("/api/honourees/import", headers=tools, json={"token": first["token"]})
    second = client.post("/api/honourees/preview", headers={**tools, "Content-Type": "text/csv"}, data=GOOD).get_json()
    assert second["counts"]["new"] == 0 and second["counts"]["already_recorded"] == 2
    assert client.post("/api/honourees/import", headers=tools, json={"token": second["token"]}).get_json()["imported"] == 0


def test_tools_preview_of_a_file_with_problems_names_each_row_and_offers_no_import(client, archive, tools):
    answer = client.post("/api/honourees/preview", headers=tools,
                         data={"file": (io.BytesIO(BAD), "bad.csv")}, content_type="multipart/form-data").get_json()
    assert answer["importable"] is False and answer["token"] is None
    assert [problem["row"] for problem in answer["problems"]] == [2, 3]
    assert "「年度」" in answer["problems"][0]["message"] and "缺少：姓名" in answer["problems"][1]["message"]
    assert recorded(archive) == []


def test_tools_requests_that_cannot_be_read_are_refused_with_a_reason(client, tools):
    empty = client.post("/api/honourees/preview", headers=tools)
    assert empty.status_code == 400 and empty.get_json()["code"] == "no_file"
    unreadable = client.post("/api/honourees/preview", headers=tools,
                             data={"file": (io.BytesIO(b"\x00\x01"), "list.pdf")}, content_type="multipart/form-data")
    assert unreadable.status_code == 400 and unreadable.get_json()["code"] == "unreadable_file"
    for body in ({"token": "../../segments/x-csv"}, {"token": 5}, ["token"]):
        refused = client.post("/api/honourees/import", headers=tools, json=body)
        assert refused.status_code == 400 and refused.get_json()["code"] == "bad_token", body
    unknown = client.post("/api/honourees/import", headers=tools, json={"token": "0123abcd-csv"})
    assert unknown.status_code == 410
    too_large = client.post("/api/honourees/preview", headers={**tools, "Content-Type": "text/csv"},
                            data=b"x" * (7 * 1024 * 1024))
    assert too_large.status_code == 413 and too_large.get_json()["code"] == "too_large"


def test_import_api_changes_only_with_a_bearer_token(client, archive_env):
    anonymous = client.post("/api/honourees/preview", data={"file": (io.BytesIO(GOOD), "a.csv")},
                            content_type="multipart/form-data")
    assert anonymous.status_code == 401 and anonymous.get_json()["code"] == "bearer_required"
    auditor = {"Authorization": f"Bearer {staff.access_token(archive_env, 'auditor')}"}
    forbidden = client.post("/api/honourees/import", headers=auditor, json={"token": "0123abcd-csv"})
    assert forbidden.status_code == 403
