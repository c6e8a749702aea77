"""Dossiers on the real S3 server: built when the campaign is announced (or a nomination disqualified), one
sealed ZIP per nomination with its manifest: the final form, every version, copies of its files with their
hashes, the review decisions with scores, the audit trail and the messages sent; for each honouree a
public-record part besides (name, unit, domain, deeds, photo), which the purge leaves readable."""
from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile

import pytest
import sqlalchemy as sa

from services.archive.adapters.orm import campaign_keys, event_log, public_records
from services.archive.entrypoints.consumer import handlers
from services.archive.service_layer.dossiers import DossierUnavailable, build_due_dossiers, open_dossier
from services.archive.service_layer.keys import destroy_key
from services.archive.service_layer.public_records import PublicRecordUnavailable, open_public_record
from services.archive.service_layer.verification import verify_archive
from shared.events import new_event
from shared.storage import ObjectStore
from tests.integration.archive.history import apply_all, campaign_history, objections

pytestmark = pytest.mark.integration


@pytest.fixture()
def announced(archive):
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    history = campaign_history(uploads, f"dossier-test-{uuid.uuid4().hex[:8]}")
    apply_all(archive, handlers(archive), history.events)
    return history


def test_announcement_seals_a_dossier_for_every_nomination_of_the_campaign(archive, announced):
    assert build_due_dossiers(archive) == 3 + 1  # and the honouree's public record
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


PURGED_FIELDS = ["phone", "email", "address", "postcode", "ethnic_group", "political_status", "recipient"]


def purge(archive, campaign_id: str, fields: list[str] = PURGED_FIELDS) -> None:
    """The campaign's purge as the archive's consumer applies it (key destroyed, fields blanked, recorded)."""
    apply_all(archive, handlers(archive), [new_event("campaign.purge_requested", campaign_id, {
        "campaign_id": campaign_id, "fields": fields,
        "keep_photos_of": [], "retention_rule": "test", "due_at": "2024-01-01T00:00:00+00:00"}, producer="archive")])


def assert_public_record_of_the_honouree(archive, announced) -> None:
    honouree = announced.ids()[0]
    snapshot = announced.nominations[honouree]
    package, digest = open_public_record(archive, honouree)
    files = zipfile.ZipFile(io.BytesIO(package))
    record = json.loads(files.read("record.json"))
    assert (record["name"], record["unit"], record["domain"], record["deeds"]) == (
        snapshot["nominee_name"], snapshot["person"]["unit"], snapshot["domain"], "修改后的事迹。")
    manifest = json.loads(files.read("manifest.json"))
    assert manifest["format"] == "tuiju-public-record/1" and len(digest) == 64
    (photo,) = manifest["files"]
    assert photo["kind"] == "photo" and photo["matches"]
    (photo_path,) = [name for name in files.namelist() if name.startswith("photo/")]
    (photo_ref,) = [ref for ref in snapshot["files"] if ref["kind"] == "photo"]
    assert hashlib.sha256(files.read(photo_path)).hexdigest() == photo_ref["sha256"]
    everything = b"".join(files.read(name) for name in files.namelist()).decode(errors="replace")
    for value in (snapshot["person"]["phone"], snapshot["person"]["email"], snapshot["person"]["address"],
                  snapshot["contact"]["email"], snapshot["contact"]["phone"]):
        assert value not in everything


def test_purge_leaves_the_honourees_public_record_and_shreds_the_full_dossiers(archive, announced):
    build_due_dossiers(archive)
    purge(archive, announced.campaign_id)
    assert_public_record_of_the_honouree(archive, announced)
    for nomination_id in announced.ids():
        with pytest.raises(DossierUnavailable, match="公开档案仍可下载"):
            open_dossier(archive, nomination_id)
    with pytest.raises(PublicRecordUnavailable):
        open_public_record(archive, announced.ids()[1])  # not an honouree: no public record


def test_campaign_purged_before_sealing_still_gets_its_public_records_and_no_new_key(archive, announced):
    purge(archive, announced.campaign_id)
    assert build_due_dossiers(archive) == 1  # the public record only: the dossiers can no longer be sealed
    assert build_due_dossiers(archive) == 0
    with pytest.raises(DossierUnavailable, match="尚无档案"):
        open_dossier(archive, announced.ids()[0])
    package, _ = open_public_record(archive, announced.ids()[0])
    record = json.loads(zipfile.ZipFile(io.BytesIO(package)).read("record.json"))
    assert record["name"] == announced.nominations[announced.ids()[0]]["nominee_name"]
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(campaign_keys)
                            .where(campaign_keys.c.campaign_id == announced.campaign_id)).scalar() == 0


def test_dossier_holds_the_objections_and_the_purge_removes_the_objectors_address(archive, announced):
    apply_all(archive, handlers(archive), objections(announced))
    build_due_dossiers(archive)
    first = announced.ids()[0]
    files = zipfile.ZipFile(io.BytesIO(open_dossier(archive, first)[0]))
    decisions = json.loads(files.read("review/decisions.json"))
    objections_seen = [(d["type"], d["payload"]["objection_id"], d["payload"].get("outcome")) for d in decisions
                       if d["type"].startswith("objection.")]
    assert objections_seen == [("objection.filed", "O-1", None), ("objection.resolved", "O-1", "dismissed"),
                               ("objection.filed", "O-2", None)]
    public = zipfile.ZipFile(io.BytesIO(open_public_record(archive, first)[0]))
    assert b"objector@example.org" not in b"".join(public.read(name) for name in public.namelist())
    purge(archive, announced.campaign_id, fields=["objector_email", "phone", "email"])
    with archive.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(event_log).where(
            event_log.c.envelope["payload"]["objector_email"].astext == "objector@example.org")).scalar() == 0


def test_verification_checks_the_public_records_and_dossiers_and_names_one_written_over(archive, announced):
    build_due_dossiers(archive)
    report = verify_archive(archive)
    assert report.ok and (report.dossiers, report.public_records) == (3, 1)
    with archive.engine.connect() as conn:
        key = conn.execute(sa.select(public_records.c.object_key)).scalar()
    archive.store.put_bytes(key, b"not the public record", content_type="application/zip")
    problems = verify_archive(archive).problems
    assert len(problems) == 1 and key in problems[0] and "新版本" in problems[0]
