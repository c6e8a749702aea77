"""Dossiers on the real S3 server: built when the campaign is announced (or a nomination disqualified), one
sealed ZIP per nomination with its manifest: the final form, every version, copies of its files with their
hashes, the review decisions with scores, the audit trail and the messages sent."""
from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest

from services.archive.entrypoints.consumer import handlers
from services.archive.service_layer.dossiers import DossierUnavailable, build_due_dossiers, open_dossier
from services.archive.service_layer.keys import destroy_key
from shared.storage import ObjectStore
from tests.integration.archive.history import apply_all, campaign_history

pytestmark = pytest.mark.integration


@pytest.fixture()
def announced(archive):
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    history = campaign_history(uploads, f"dossier-test-{uuid.uuid4().hex[:8]}")
    apply_all(archive, handlers(archive), history.events)
    return history


def test_announcement_seals_a_dossier_for_every_nomination_of_the_campaign(archive, announced):
    assert build_due_dossiers(archive) == 3
    assert build_due_dossiers(archive) == 0
    first = announced.ids()[0]
    package, digest = open_dossier(archive, first)
    files = zipfile.ZipFile(io.BytesIO(package))
    manifest = json.loads(files.read("manifest.json"))
    assert (manifest["nomination_id"], manifest["reason"]) == (first, "honouree")
    assert {"form/final.json", "versions/v1.json", "versions/v2.json", "review/decisions.json",
            "audit/events.jsonl", "messages/sent.json"} <= set(files.namelist())
    assert json.loads(files.read("form/final.json"))["deeds"] == "修改后的事迹。"
    assert all(check["matches"] for check in manifest["files"]) and len(manifest["files"]) == 2
    for entry in manifest["entries"]:
        assert len(files.read(entry["path"])) == entry["size"]
    decisions = json.loads(files.read("review/decisions.json"))
    assert [d["type"] for d in decisions] == ["nomination.advanced", "candidates.published", "honourees.confirmed"]
    assert decisions[0]["payload"]["scores"] == {"jiangren": 28, "jiangxin": 27}
    assert json.loads(files.read("messages/sent.json"))[0]["template"] == "submitted"
    assert len(files.read("audit/events.jsonl").splitlines()) == 6
    assert len(digest) == 64


def test_dossier_cannot_be_opened_once_its_campaign_was_purged(archive, announced):
    build_due_dossiers(archive)
    with archive.sessions.begin() as session:
        destroy_key(session, announced.campaign_id)
    with pytest.raises(DossierUnavailable, match="已按保存期限清除"):
        open_dossier(archive, announced.ids()[0])
