"""Verifying the whole archive: every manifest in order, each linked to the one before, each segment's
bytes against its manifest's SHA-256, each object still the version the index recorded (nothing stacked on
top of it, no delete marker hiding it), and nothing in the bucket that the index does not know. Then the
honourees' public records (in clear: each against its SHA-256) and the sealed dossiers (still the version
recorded; their content is checked when opened, and no longer can be once the campaign is purged)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from minio.error import S3Error

from services.archive.adapters.orm import dossiers, public_records, segments
from services.archive.bootstrap import Archive
from services.archive.domain.segments import GENESIS, link_problems, segment_problems, sha256

ARCHIVED_PREFIXES = ("segments/", "manifests/")


@dataclass
class Report:
    segments: int = 0
    events: int = 0
    public_records: int = 0
    dossiers: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_archive(archive: Archive) -> Report:
    report = Report()
    with archive.engine.connect() as conn:
        rows = conn.execute(sa.select(segments).where(segments.c.written_at.is_not(None))
                            .order_by(segments.c.seq)).all()
    previous = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        report.problems += _latest_problems(archive, row.manifest_key, row.manifest_version)
        report.problems += _latest_problems(archive, row.segment_key, row.segment_version)
        manifest_bytes = _read(archive, row.manifest_key, row.manifest_version, report)
        segment = _read(archive, row.segment_key, row.segment_version, report)
        if manifest_bytes is None or segment is None:
            break
        if sha256(manifest_bytes) != row.manifest_sha256:
            report.problems.append(f"清单 {row.manifest_key} 与索引记录的 SHA-256 不符 / manifest hash differs from the index")
        manifest = json.loads(manifest_bytes)
        report.problems += link_problems(manifest, expected_seq, previous)
        report.problems += segment_problems(manifest, segment)
        report.segments, report.events = report.segments + 1, report.events + manifest.get("events", 0)
        previous = sha256(manifest_bytes)
    known = {row.manifest_key for row in rows} | {row.segment_key for row in rows}
    report.problems += [f"存储桶中有索引之外的对象 {key} / object unknown to the index"
                        for key in sorted(_keys(archive) - known)]
    _verify_packages(archive, report)
    return report


def _verify_packages(archive: Archive, report: Report) -> None:
    with archive.engine.connect() as conn:
        records = conn.execute(sa.select(public_records)).all()
        sealed = conn.execute(sa.select(dossiers.c.object_key, dossiers.c.version_id)).all()
    for row in records:
        report.problems += _latest_problems(archive, row.object_key, row.version_id)
        data = _read(archive, row.object_key, row.version_id, report)
        if data is not None and sha256(data) != row.sha256:
            report.problems.append(f"公开档案 {row.object_key} 与索引记录的 SHA-256 不符 / public record hash differs")
        report.public_records += 1
    for row in sealed:
        report.problems += _latest_problems(archive, row.object_key, row.version_id)
        report.dossiers += 1


def _keys(archive: Archive) -> set[str]:
    return {key for prefix in ARCHIVED_PREFIXES for key in archive.store.keys(prefix)}


def _latest_problems(archive: Archive, key: str, version_id: str) -> list[str]:
    latest = archive.store.latest_version(key)
    if latest is None:
        return [f"{key} 被加了删除标记（锁定的版本仍在） / a delete marker hides it (the locked version remains)"]
    if latest != version_id:
        return [f"{key} 被写入了新版本（锁定的版本仍在） / a newer version was written over it (the locked version remains)"]
    return []


def _read(archive: Archive, key: str, version_id: str, report: Report) -> bytes | None:
    try:
        return archive.store.get_version(key, version_id)
    except S3Error as error:
        report.problems.append(f"{key} 无法读取 / cannot be read: {error.code}")
        return None
