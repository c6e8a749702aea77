"""The staff page of one nomination's record, before and after its campaign's purge: what remains (the
honouree record, the public record, the audit trail) and what went (the full dossier, its key), with real
Keycloak tokens."""
from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from services.archive.entrypoints.consumer import handlers
from services.archive.entrypoints.web import create_app
from services.archive.service_layer.dossiers import build_due_dossiers
from shared.storage import ObjectStore
from tests import staff
from tests.integration.archive.history import apply_all, campaign_history
from tests.integration.archive.test_dossiers import purge
from shared.events import new_event

pytestmark = pytest.mark.integration


@pytest.fixture()
def announced(archive):
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    history = campaign_history(uploads, f"page-test-{uuid.uuid4().hex[:8]}")
    apply_all(archive, handlers(archive), history.events)
    build_due_dossiers(archive)
    return history


@pytest.fixture()
def client(archive, archive_env):
    return staff.as_staff(create_app(archive_env, archive=archive).test_client(), archive_env, "auditor")


def test_record_page_before_the_purge_offers_the_full_dossier_and_the_public_record(client, announced):
    honouree = announced.ids()[0]
    page = client.get(f"/nominations/{honouree}").get_data(as_text=True)
    assert "下载完整档案" in page and "下载公开档案" in page and "尚未清除" in page
    assert announced.nominations[honouree]["nominee_name"] in page and "获评" in page


def test_record_page_tells_the_steps_with_their_reasons_and_the_files_by_name(client, archive, announced):
    honouree, other = announced.ids()[0], announced.ids()[1]
    apply_all(archive, handlers(archive), [new_event("nomination.returned", other, {
        "nomination_id": other, "campaign_id": announced.campaign_id, "fields": ["deeds"], "files": [],
        "reason": "事迹材料缺少具体数据<script>", "correction_deadline": "2023-02-20T15:59:59+00:00",
        "returned_by": "secretariat-1"}, producer="review")])
    page = client.get(f"/nominations/{honouree}").get_data(as_text=True)
    assert "提交申报" in page and "按退回意见重新提交" in page and "第 2 版" in page
    assert "进入下一阶段" in page and "材料审核 → 推举入围" in page
    name = announced.nominations[honouree]["nominee_name"]
    assert f"加盖公章的纸质报名表：<span class=\"filename\">{name}-sealed_form.pdf</span>" in page
    returned = client.get(f"/nominations/{other}").get_data(as_text=True)
    assert "退回修改" in returned and "理由：事迹材料缺少具体数据&lt;script&gt;" in returned


def test_record_page_after_the_purge_shows_what_remains_and_what_went(client, archive, announced):
    purge(archive, announced.campaign_id)
    honouree, other = announced.ids()[0], announced.ids()[1]
    answer = client.get(f"/nominations/{honouree}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "个人信息已于" in page and "手机、电子邮箱、通讯地址" in page
    assert "已不能打开" in page and "下载完整档案" not in page
    assert "下载公开档案" in page and "照片" in page and "永久保留" in page
    assert "13800138000" not in page
    public = client.get(f"/api/dossiers/{honouree}/public.zip")
    assert public.status_code == 200 and "record.json" in zipfile.ZipFile(io.BytesIO(public.data)).namelist()
    refused = client.get(f"/api/dossiers/{honouree}.zip")
    assert refused.status_code == 404 and "公开档案仍可下载" in refused.get_json()["error"]
    assert "仅获评者" in client.get(f"/nominations/{other}").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert announced.campaign_id in home and "清除后保留" in home


def test_record_page_of_an_unknown_nomination_says_so(client):
    answer = client.get(f"/nominations/{uuid.uuid4()}")
    assert answer.status_code == 404 and "没有这条记录" in answer.get_data(as_text=True)
