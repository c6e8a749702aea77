"""The immutable archive on the real S3 server (Versity here, with object lock) and the real Kafka:
events become compressed segments with chained manifests under a COMPLIANCE retention; the server refuses
to delete or shorten them; the verification finds one changed byte, a version written over a segment, a
delete marker and a missing link."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from minio.commonconfig import COMPLIANCE
from minio.error import S3Error
from minio.retention import Retention

from services.archive.adapters import crypto
from services.archive.adapters.orm import event_log, segments
from services.archive.domain.segments import segment_lines
from services.archive.entrypoints.consumer import TOPICS, handlers
from services.archive.service_layer.keys import existing_key
from services.archive.service_layer.sealing import seal_due
from services.archive.service_layer.verification import verify_archive
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.producer import make_producer
from shared.messaging.replay import dead_letters
from tests.integration.archive.events import record, stage_opened, submitted
from tests.stack import PROFILE, REPO, wait_until

pytestmark = pytest.mark.integration
NOW = timedelta(0)


def segment_rows(archive) -> list:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(segments).order_by(segments.c.seq)).all()


def disk_path(archive, key: str):
    """Where Versity keeps the current version of an object: a file under the profile's data folder."""
    return REPO / ".devstack" / PROFILE / "s3" / "buckets" / archive.store.bucket / key


def test_archive_records_every_topic_from_kafka_and_survives_a_malformed_message(archive):
    group = f"archive-test-{uuid.uuid4().hex[:6]}"
    runner = ConsumerRunner(group=group, topics=TOPICS, handlers=handlers(archive),
                            sessions=archive.sessions, bootstrap=archive.settings.kafka_bootstrap)
    threading.Thread(target=runner.run, daemon=True).start()
    events = [submitted(), stage_opened()]
    producer = make_producer(archive.settings.kafka_bootstrap)
    producer.produce("nominations", key=b"bad", value=b"{not json")
    for event in events:
        producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0
    try:
        wait_until(lambda: recorded(archive, events) == 2, 60, what="both events recorded")
    finally:
        runner.stop.set()
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(event_log).where(event_log.c.event_id.in_([e.event_id for e in events]))).all()
    assert {(row.topic, row.campaign_id) for row in rows} == {("nominations", "2022-zuimei-houqin"),
                                                             ("campaigns", "2022-zuimei-houqin")}
    assert all(row.offset is not None and row.partition is not None for row in rows)
    assert any(letter.value == b"{not json" for letter in dead_letters(archive.settings.kafka_bootstrap, group))


def recorded(archive, events) -> int:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(event_log)
                            .where(event_log.c.event_id.in_([e.event_id for e in events]))).scalar()


def test_segment_keeps_the_public_record_in_clear_and_personal_data_sealed(archive):
    event = submitted()
    record(archive, event, stage_opened())
    assert seal_due(archive, max_age=NOW) == 2
    row = next(r for r in segment_rows(archive) if r.topic == "nominations")
    assert row.segment_key.startswith("segments/nominations/000/") and row.segment_key.endswith(".jsonl.gz")
    (line,) = segment_lines(archive.store.get_version(row.segment_key, row.segment_version))
    assert line["public"]["payload"]["nominee_name"] == "王秀兰"
    assert line["public"]["payload"]["person"]["phone"] == ""
    assert line["public"]["payload"]["contact"]["email"] == ""
    with archive.sessions() as session:
        key = existing_key(session, archive.kek, line["key_id"], line["campaign_id"])
    sealed = crypto.open_sealed(key, line["sealed"], line["event_id"]).decode()
    assert "13800138000" in sealed and "wangxl@school.edu.cn" in sealed


def test_locked_segment_cannot_be_deleted_or_its_retention_shortened(archive):
    record(archive, submitted())
    seal_due(archive, max_age=NOW)
    (row,) = segment_rows(archive)
    client, bucket = archive.store.client, archive.store.bucket
    for key, version in ((row.segment_key, row.segment_version), (row.manifest_key, row.manifest_version)):
        with pytest.raises(S3Error) as refused:
            client.remove_object(bucket, key, version_id=version)
        assert refused.value.code == "AccessDenied"
        with pytest.raises(S3Error) as refused:
            client.set_object_retention(bucket, key, Retention(COMPLIANCE, row.retain_until - timedelta(days=1)),
                                        version_id=version)
        assert refused.value.code == "AccessDenied"
    retention = client.get_object_retention(bucket, row.segment_key, version_id=row.segment_version)
    assert (retention.mode, retention.retain_until_date.year) == (COMPLIANCE, row.retain_until.year)
    assert verify_archive(archive).ok


def test_overwriting_a_segment_leaves_the_locked_version_and_verification_names_it(archive):
    record(archive, submitted())
    seal_due(archive, max_age=NOW)
    (row,) = segment_rows(archive)
    original = archive.store.get_version(row.segment_key, row.segment_version)
    archive.store.put_bytes(row.segment_key, b"forged", content_type="application/gzip")
    assert archive.store.get_version(row.segment_key, row.segment_version) == original
    report = verify_archive(archive)
    assert not report.ok and any("newer version" in problem for problem in report.problems)


def test_deleting_a_segment_only_hides_it_and_verification_names_it(archive):
    record(archive, submitted())
    seal_due(archive, max_age=NOW)
    (row,) = segment_rows(archive)
    archive.store.client.remove_object(archive.store.bucket, row.manifest_key)  # a delete marker, no more
    assert archive.store.get_version(row.manifest_key, row.manifest_version)
    report = verify_archive(archive)
    assert any("delete marker" in problem for problem in report.problems)


def test_verification_of_the_chain_passes_over_many_segments(archive):
    for partition in range(3):
        record(archive, submitted(), submitted(), partition=partition)
    record(archive, stage_opened())
    assert seal_due(archive, max_age=NOW, max_events=1) == 7
    report = verify_archive(archive)
    assert (report.ok, report.segments, report.events) == (True, 7, 7)


def test_verification_fails_when_one_byte_of_a_segment_changes_on_disk(archive):
    record(archive, submitted(), submitted())
    seal_due(archive, max_age=NOW, max_events=1)
    row = segment_rows(archive)[0]
    path = disk_path(archive, row.segment_key)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    report = verify_archive(archive)
    assert any(row.segment_key in problem and "SHA-256" in problem for problem in report.problems)


def test_verification_fails_when_a_manifest_loses_its_link(archive):
    record(archive, submitted(), submitted(), submitted())
    seal_due(archive, max_age=NOW, max_events=1)
    second = segment_rows(archive)[1]
    path = disk_path(archive, second.manifest_key)
    path.write_bytes(path.read_bytes().replace(b'"previous_manifest_sha256":"', b'"previous_manifest_sha256":"f', 1)[:-1] + b"}")
    report = verify_archive(archive)
    assert any("chain broken" in problem for problem in report.problems)
    assert any("manifest hash differs from the index" in problem for problem in report.problems)


def test_verify_command_says_intact_then_exits_1_naming_a_changed_segment(archive, archive_env, monkeypatch, capsys):
    from services.archive.verify import main as verify_main

    for name, value in archive_env.items():
        monkeypatch.setenv(name, value)
    record(archive, submitted())
    seal_due(archive, max_age=NOW)
    assert verify_main() == 0
    assert "1 个分段，1 个事件，0 份档案，0 份公开档案，完好" in capsys.readouterr().out
    (row,) = segment_rows(archive)
    path = disk_path(archive, row.segment_key)
    path.write_bytes(path.read_bytes()[:-1] + bytes([path.read_bytes()[-1] ^ 0xFF]))
    assert verify_main() == 1
    assert row.segment_key in capsys.readouterr().out
