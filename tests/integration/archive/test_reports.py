"""The association's reports read back: Excel lists (a sheet per domain and a summary) with openpyxl, the
statistics, a domain's files as one streamed ZIP, the search of past campaigns, and every one of them
behind staff sign-in (real Keycloak tokens)."""
from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from openpyxl import load_workbook

from services.archive.entrypoints.consumer import handlers
from services.archive.entrypoints.web import create_app
from services.archive.service_layer import reports
from services.archive.service_layer.registry import import_honourees
from services.archive.service_layer.search import Query, search
from shared.storage import ObjectStore
from tests import staff
from shared.events import new_event
from tests.integration.archive.history import apply_all, campaign_history, objections, put_file

pytestmark = pytest.mark.integration


@pytest.fixture()
def history(archive):
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    past = campaign_history(uploads, f"report-test-{uuid.uuid4().hex[:8]}")
    apply_all(archive, handlers(archive), past.events)
    return past


def workbook(write) -> object:
    out = io.BytesIO()
    write(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_nomination_list_has_a_summary_and_a_sheet_per_domain_in_chinese(archive, history):
    book = workbook(lambda out: reports.write_list(archive, history.campaign_id, "nominations", out))
    assert book.sheetnames == ["汇总", "伙食管理", "学生公寓"]
    rows = list(book["伙食管理"].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "姓名（团队名称）", "类型", "单位")
    assert sorted(r[1] for r in rows[1:]) == ["王秀兰", "阿依古丽·买买提"]
    assert {r[5] for r in rows[1:]} == {"新疆维吾尔自治区", "广西壮族自治区"}
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0] == ("全部申报名单", None) and summary[-1] == ("合计", 3)


def test_honouree_list_holds_only_the_honourees(archive, history):
    book = workbook(lambda out: reports.write_list(archive, history.campaign_id, "honourees", out))
    (sheet,) = book.sheetnames[1:]
    rows = list(book[sheet].iter_rows(values_only=True))[1:]
    assert [(r[1], r[8]) for r in rows] == [("王秀兰", "获评")]


def test_statistics_count_per_domain_province_channel_recommender_and_stage(archive, history):
    tables = reports.statistics(archive, history.campaign_id)
    assert tables["业务领域"] == [("伙食管理", 2), ("学生公寓", 1)]
    assert dict(tables["推荐渠道"]) == {"地方教育后勤社团组织推荐": 3}
    assert dict(tables["阶段"]) == {"获评": 1, "已提交": 2}
    assert sum(count for _, count in tables["省份"]) == 3
    book = workbook(lambda out: reports.write_statistics_workbook(archive, history.campaign_id, out))
    assert book.sheetnames == list(tables)


def test_domain_files_stream_as_one_zip_with_every_file(archive, history):
    package = zipfile.ZipFile(io.BytesIO(b"".join(reports.domain_files(archive, history.campaign_id, "伙食管理"))))
    names = package.namelist()
    assert len(names) == 4 and all(name.split("/")[0].startswith(("王秀兰", "阿依古丽·买买提")) for name in names)
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    expected = {ref["object_key"]: ref for n in history.ids("伙食管理") for ref in history.nominations[n]["files"]}
    assert sorted(len(package.read(name)) for name in names) == sorted(ref["size"] for ref in expected.values())
    assert uploads.get_bytes(next(iter(expected))) in [package.read(name) for name in names]


def test_search_finds_past_nominations_and_imported_honourees(archive, history):
    import_honourees(archive, [{"类型": "个人", "姓名": "赵建国", "单位": "示例职业技术学院", "业务领域": "物业管理",
                                "年度": "2021", "活动名称": "2021年度最美后勤人", "手机": ""}])
    assert [r["name"] for r in search(archive, Query(name="阿依古丽"))] == ["阿依古丽·买买提"]
    assert [r["name"] for r in search(archive, Query(outcome="honouree", year=2021))] == ["赵建国"]
    found = search(archive, Query(unit="新疆", outcome="honouree"))
    assert [(r["name"], r["outcome"]) for r in found] == [("王秀兰", "获评")]
    assert search(archive, Query(name="100%_")) == []


def test_every_archive_page_and_api_needs_a_staff_role(archive, archive_env, history):
    client = create_app(archive_env, archive=archive).test_client()
    assert client.get(f"/api/events/{history.ids()[0]}").status_code == 401
    assert client.get("/statistics").status_code == 302
    assert client.get("/search?name=王").headers["Location"].startswith("/auth/login")
    token = {"Authorization": f"Bearer {staff.access_token(archive_env, 'working_group')}"}
    assert client.get("/api/search?name=王", headers=token).status_code == 403


def test_secretariat_downloads_lists_statistics_and_search_results(archive, archive_env, history):
    client = create_app(archive_env, archive=archive).test_client()
    token = {"Authorization": f"Bearer {staff.access_token(archive_env, 'secretariat')}"}
    answer = client.get(f"/api/exports/candidates.xlsx?campaign={history.campaign_id}", headers=token)
    assert answer.status_code == 200
    assert load_workbook(io.BytesIO(answer.data)).sheetnames[0] == "汇总"
    stats = client.get(f"/api/statistics?campaign={history.campaign_id}", headers=token).json
    assert stats["tables"]["业务领域"] == [["伙食管理", 2], ["学生公寓", 1]]
    assert client.get("/api/search?name=王秀兰", headers=token).json["results"][0]["outcome"] == "获评"
    assert "王秀兰" in client.get("/search?name=王秀兰", headers=token).get_data(as_text=True)
    page = client.get("/statistics", headers=token).get_data(as_text=True)
    assert "vendor/chart-4.6.2.umd.min.js" in page and "cdn" not in page.lower()
    assert client.get("/api/exports/files.zip?domain=不存在", headers=token).json["code"] == "unknown_domain"
    assert client.get("/api/events/bad%20key", headers=token).status_code == 400


def test_lists_and_statistics_show_the_published_places_and_the_objections(archive, history):
    apply_all(archive, handlers(archive), objections(history))
    first, second, third = history.ids()
    book = workbook(lambda out: reports.write_list(archive, history.campaign_id, "candidates", out))
    rows = list(book["伙食管理"].iter_rows(values_only=True))
    assert rows[0][-2:] == ("公示排名", "异议")
    assert [(r[1], r[-2], r[-1]) for r in rows[1:]] == [
        ("阿依古丽·买买提", 1, None), ("王秀兰", 2, "2 件（待处理 1、驳回 1）")]
    (other,) = list(book["学生公寓"].iter_rows(values_only=True))[1:]
    assert (other[1], other[-2], other[-1]) == ("李建国", 3, "1 件（成立 1）")
    assert dict(reports.statistics(archive, history.campaign_id)["异议"]) == {"待处理": 1, "成立": 1, "驳回": 1}


def test_domain_files_hold_the_file_that_replaced_a_flagged_one(archive, history):
    first = history.ids("伙食管理")[0]
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    flagged = next(ref for ref in history.nominations[first]["files"] if ref["kind"] == "sealed_form")
    new = put_file(uploads, "sealed_form", "更换后")
    apply_all(archive, handlers(archive), [new_event("nomination.file_replaced", first, {
        "nomination_id": first, "campaign_id": history.campaign_id, "replaced_file_id": flagged["file_id"],
        "file": new}, producer="intake")])
    package = zipfile.ZipFile(io.BytesIO(b"".join(reports.domain_files(archive, history.campaign_id, "伙食管理"))))
    contents = [package.read(name) for name in package.namelist()]
    assert uploads.get_bytes(new["object_key"]) in contents
    assert uploads.get_bytes(flagged["object_key"]) not in contents and len(contents) == 4
