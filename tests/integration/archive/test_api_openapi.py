"""The archive's JSON API as its OpenAPI document describes it (flask-smorest): every API route documented
with its answers, arguments refused in Chinese naming each field, the refusal shape everywhere, the pages'
own errors kept, and the old addresses answering as before (real Keycloak tokens, the test servers)."""
from __future__ import annotations

import uuid

import pytest

from services.archive.entrypoints.consumer import handlers
from services.archive.entrypoints.web import create_app
from shared.storage import ObjectStore
from tests import staff
from tests.integration.archive.history import apply_all, campaign_history

pytestmark = pytest.mark.integration
REFUSAL = {"ok", "error", "code", "errors"}


@pytest.fixture()
def app(archive, archive_env):
    return create_app(archive_env, archive=archive)


@pytest.fixture()
def auditor(app, archive_env):
    return staff.as_staff(app.test_client(), archive_env, "auditor")


def test_every_api_route_is_in_the_openapi_document_which_anyone_may_read(app):
    document = app.test_client().get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.json["info"]["title"] == "Tuiju archive API"
    documented = {(method.upper(), path) for path, item in document.json["paths"].items() for method in item
                  if method != "parameters"}
    routes = {(method, rule.rule.replace("<", "{").replace(">", "}")) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and rule.rule != "/api/v1/openapi.json"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes and routes == documented
    search = document.json["paths"]["/api/search"]["get"]
    assert {p["name"] for p in search["parameters"]} == {"name", "unit", "year", "domain", "outcome"}
    assert {"200", "400", "401", "403", "422"} <= set(search["responses"])
    refusal = document.json["components"]["schemas"]["Refusal"]["properties"]
    assert set(refusal) == REFUSAL
    preview = document.json["paths"]["/api/honourees/preview"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "text/csv"} <= set(preview)


def test_arguments_are_refused_in_chinese_naming_each_field(auditor):
    answer = auditor.get("/api/search?year=二〇二一&outcome=winner&name=王")
    assert answer.status_code == 422 and set(answer.json) == REFUSAL and answer.json["ok"] is False
    assert answer.json["error"] == "请求参数有误（2 处），见 errors"
    assert {e["field"]: e["message"] for e in answer.json["errors"]} == {
        "query.year": "年度应为四位数字", "query.outcome": "结果应为 honouree、candidate、disqualified、withdrawn"}
    bad_campaign = auditor.get("/api/statistics?campaign=../../x")
    assert bad_campaign.status_code == 422 and bad_campaign.json["errors"][0]["field"] == "query.campaign"
    assert "活动编号格式不正确" in bad_campaign.json["errors"][0]["message"]


def test_refusals_of_the_api_are_json_and_the_pages_keep_their_own(auditor):
    unknown = auditor.get("/api/no-such-thing")
    assert unknown.status_code == 404 and unknown.json == {"ok": False, "error": "没有这个地址或这一项",
                                                           "code": "not_found", "errors": []}
    wrong_method = auditor.delete("/api/statistics")
    assert wrong_method.status_code == 405 and wrong_method.json["error"] == "这个地址不接受这种请求方法"
    page = auditor.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert auditor.get("/api/search").json == {"ok": False, "error": "请至少填写一个查询条件", "code": "empty_query",
                                               "errors": []}


def test_a_nul_in_an_address_is_refused_not_a_server_error(auditor):
    """PostgreSQL refuses a NUL in a string: the search page and a nomination's page answered 500."""
    for url in ("/search?name=%00", "/nominations/a%00b", "/api/search?name=%00", "/api/events/a%00"):
        answer = auditor.get(url)
        assert answer.status_code == 400 and "NUL" in answer.get_data(as_text=True), url
    assert auditor.get("/api/search?name=%00").json["code"] == "bad_request"


def test_the_old_addresses_answer_as_before_with_what_the_schemas_say(archive, auditor):
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    history = campaign_history(uploads, f"api-test-{uuid.uuid4().hex[:8]}")
    apply_all(archive, handlers(archive), history.events)
    first = history.ids()[0]
    events = auditor.get(f"/api/events/{first}").json
    assert events["ok"] and [e["type"] for e in events["events"]][:2] == ["nomination.submitted", "nomination.resubmitted"]
    stats = auditor.get(f"/api/statistics?campaign={history.campaign_id}").json
    assert stats == {"ok": True, "campaign_id": history.campaign_id, "tables": stats["tables"]}
    assert stats["tables"]["业务领域"] == [["伙食管理", 2], ["学生公寓", 1]]
    found = auditor.get("/api/search?name=王秀兰").json["results"]
    assert [(r["name"], r["outcome"], r["nomination_id"]) for r in found] == [("王秀兰", "获评", first)]
    workbook = auditor.get(f"/api/exports/honourees.xlsx?campaign={history.campaign_id}")
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    assert auditor.get("/api/exports/winners.xlsx").json["code"] == "unknown_list"
    missing = auditor.get(f"/api/dossiers/{first}.zip")
    assert missing.status_code == 404 and missing.json["code"] == "dossier_unavailable"
