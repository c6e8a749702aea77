"""Sealing: the events recorded since the last segment become a segment of the object-locked bucket.

Per topic partition, once `max_events` are waiting or the oldest has waited `max_age`: (1) in one
transaction, take the waiting events in offset order, build the segment and its manifest linked to the
previous manifest, and record both (bytes included) in the index; (2) write both objects with a COMPLIANCE
retention; (3) record their version ids and drop the bytes. A sealer stopped between (1) and (3) finishes
the same segment when it starts again. One sealer works at a time (a PostgreSQL advisory lock)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.archive.adapters import crypto
from services.archive.adapters.orm import event_log, segments
from services.archive.bootstrap import Archive
from services.archive.domain.personal_data import holds_personal_data, redact
from services.archive.domain.segments import (
    GENESIS, SegmentPlan, canonical_json, manifest_of, segment_bytes, sha256,
)
from services.archive.service_layer.keys import data_key

SEALER_LOCK_ID = 7_420_018
MAX_EVENTS = 1000
MAX_AGE = timedelta(seconds=60)
JSON = "application/json"
GZIP_LINES = "application/gzip"


def seal_due(archive: Archive, *, max_events: int = MAX_EVENTS, max_age: timedelta = MAX_AGE) -> int:
    """Seal every partition that is due; returns the number of segments written (0 if another sealer works)."""
    with archive.engine.connect() as lock:
        if not lock.execute(sa.select(sa.func.pg_try_advisory_lock(SEALER_LOCK_ID))).scalar():
            return 0
        try:
            written = finish_unwritten(archive)
            for topic, partition in _due_partitions(archive, max_events, max_age):
                while (seq := plan_segment(archive, topic, partition, max_events)) is not None:
                    write_segment(archive, seq)
                    written += 1
            return written
        finally:
            lock.execute(sa.select(sa.func.pg_advisory_unlock(SEALER_LOCK_ID)))


def finish_unwritten(archive: Archive) -> int:
    with archive.engine.connect() as conn:
        pending = conn.execute(sa.select(segments.c.seq).where(segments.c.written_at.is_(None))
                               .order_by(segments.c.seq)).scalars().all()
    for seq in pending:
        write_segment(archive, seq)
    return len(pending)


def plan_segment(archive: Archive, topic: str, partition: int, max_events: int) -> int | None:
    """Step 1: the next segment of the partition, recorded in the index with its bytes; its seq."""
    with archive.sessions.begin() as session:
        rows = session.execute(
            sa.select(event_log).where(event_log.c.topic == topic, event_log.c.partition == partition,
                                       event_log.c.segment_seq.is_(None))
            .order_by(event_log.c.offset, event_log.c.seq).limit(max_events).with_for_update()).all()
        if not rows:
            return None
        last = session.execute(sa.select(segments.c.seq, segments.c.manifest_sha256)
                               .order_by(segments.c.seq.desc()).limit(1)).first()
        retain_until = archive.campaign.retention.lock_until(datetime.now(timezone.utc))
        plan = SegmentPlan(seq=last.seq + 1 if last else 1, topic=topic, partition=partition,
                           lines=tuple(_line(session, archive.kek, row) for row in rows),
                           previous_manifest_sha256=last.manifest_sha256 if last else GENESIS,
                           retain_until=retain_until.isoformat())
        _record_plan(session, plan, retain_until)
        session.execute(sa.update(event_log).where(event_log.c.seq.in_([row.seq for row in rows]))
                        .values(segment_seq=plan.seq))
        return plan.seq


def write_segment(archive: Archive, seq: int) -> None:
    """Steps 2 and 3: both objects written once, under the lock, then their versions in the index."""
    with archive.engine.connect() as conn:
        row = conn.execute(sa.select(segments).where(segments.c.seq == seq)).one()
    segment = _put_once(archive, row.segment_key, row.pending_segment, GZIP_LINES, row.retain_until)
    manifest = _put_once(archive, row.manifest_key, row.pending_manifest, JSON, row.retain_until)
    with archive.engine.begin() as conn:
        conn.execute(sa.update(segments).where(segments.c.seq == seq).values(
            segment_version=segment, manifest_version=manifest, pending_segment=None, pending_manifest=None,
            written_at=sa.func.now()))


def _record_plan(session: Session, plan: SegmentPlan, retain_until: datetime) -> None:
    segment = segment_bytes(plan.lines)
    manifest = canonical_json(manifest_of(plan, segment))
    lines = plan.lines
    session.execute(sa.insert(segments).values(
        seq=plan.seq, topic=plan.topic, partition=plan.partition, first_offset=plan.first_offset,
        last_offset=plan.last_offset, events=len(lines), campaign_ids=plan.campaign_ids,
        first_occurred_at=min(datetime.fromisoformat(line["occurred_at"]) for line in lines),
        last_occurred_at=max(datetime.fromisoformat(line["occurred_at"]) for line in lines),
        segment_key=plan.segment_key, segment_sha256=sha256(segment), manifest_key=plan.manifest_key,
        manifest_sha256=sha256(manifest), retain_until=retain_until,
        pending_segment=segment, pending_manifest=manifest,
    ))


def _line(session: Session, kek: bytes, row) -> dict:
    """One event in a segment: its public record in clear, the whole envelope sealed with its campaign's key."""
    envelope = row.envelope
    line = {"event_id": str(row.event_id), "type": row.event_type, "topic": row.topic,
            "partition": row.partition, "offset": row.offset, "key": row.key,
            "occurred_at": row.occurred_at.astimezone(timezone.utc).isoformat(), "campaign_id": row.campaign_id,
            "public": redact(envelope), "sealed": None, "key_id": None}
    if holds_personal_data(envelope):
        try:
            key_id, key = data_key(session, kek, row.campaign_id)
        except crypto.KeyUnavailable:
            return line  # the campaign was purged: its public record only
        line.update(sealed=crypto.seal(key, canonical_json(envelope), str(row.event_id)), key_id=key_id)
    return line


def _put_once(archive: Archive, key: str, data: bytes | None, content_type: str, retain_until: datetime) -> str:
    """The version id of `data` at `key`: the one already there (a sealer stopped half-way), or a new one."""
    latest = archive.store.latest_version(key)
    if latest is not None and (data is None or sha256(archive.store.get_version(key, latest)) == sha256(data)):
        return latest
    if data is None:
        raise RuntimeError(f"segment object {key} is neither in the bucket nor in the index")
    return archive.store.put_locked(key, data, content_type=content_type, retain_until=retain_until).version_id


def _due_partitions(archive: Archive, max_events: int, max_age: timedelta) -> list[tuple[str, int]]:
    oldest_allowed = datetime.now(timezone.utc) - max_age
    query = (sa.select(event_log.c.topic, event_log.c.partition)
             .where(event_log.c.segment_seq.is_(None), event_log.c.topic.is_not(None))
             .group_by(event_log.c.topic, event_log.c.partition)
             .having(sa.or_(sa.func.count() >= max_events, sa.func.min(event_log.c.recorded_at) <= oldest_allowed))
             .order_by(event_log.c.topic, event_log.c.partition))
    with archive.engine.connect() as conn:
        return [(row.topic, row.partition) for row in conn.execute(query)]

