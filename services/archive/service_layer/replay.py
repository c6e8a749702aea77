"""Replay: the archive's events, as they were published, back into a topic, so that a service can rebuild
its read model after Kafka's retention dropped them. Read from the segments in chain order (each partition
in offset order, so each nomination's events keep their order), then the events not yet sealed. A
campaign whose personal data was purged replays as its public record (its key is gone)."""
from __future__ import annotations

import json
from collections.abc import Iterator

import sqlalchemy as sa

from services.archive.adapters import crypto
from services.archive.adapters.orm import event_log, segments
from services.archive.bootstrap import Archive
from services.archive.domain.segments import segment_lines
from services.archive.domain.selection import Selection
from services.archive.service_layer.keys import existing_key
from shared.db import reading
from shared.events.registry import lookup
from shared.messaging.producer import make_producer


def archived_events(archive: Archive, selection: Selection) -> Iterator[dict]:
    """Every selected envelope: sealed segments first, in chain order, then the unsealed tail."""
    keys: dict[str, bytes | None] = {}
    for row in _written_segments(archive):
        for line in segment_lines(archive.store.get_version(row.segment_key, row.segment_version)):
            envelope = _envelope(archive, line, keys)
            if selection.takes(line["campaign_id"], envelope):
                yield envelope
    for row in _unsealed(archive):
        if selection.takes(row.campaign_id, row.envelope):
            yield row.envelope


def replay(archive: Archive, selection: Selection, topic: str | None = None) -> int:
    """Publish the selected events (to `topic`, or each to its own); returns how many, once Kafka confirmed."""
    producer = make_producer(archive.settings.kafka_bootstrap, client_id="archive-replay")
    failures: list = []
    count = 0
    for envelope in archived_events(archive, selection):
        value = json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()
        producer.produce(topic or _topic_of(envelope), key=envelope["key"].encode(), value=value,
                         headers=[("event_type", envelope["type"].encode()), ("replayed_from", b"archive")],
                         on_delivery=lambda error, _message: error and failures.append(error))
        producer.poll(0)
        count += 1
    if producer.flush(60) or failures:
        raise RuntimeError(f"Kafka did not confirm every replayed event: {failures[:3] or 'timeout'}")
    return count


def _envelope(archive: Archive, line: dict, keys: dict[str, bytes | None]) -> dict:
    if not line.get("sealed"):
        return line["public"]
    key_id = line["key_id"]
    if key_id not in keys:
        with reading(archive.sessions) as session:
            try:
                keys[key_id] = existing_key(session, archive.kek, key_id, line["campaign_id"])
            except crypto.KeyUnavailable:
                keys[key_id] = None
    if keys[key_id] is None:
        return line["public"]
    return json.loads(crypto.open_sealed(keys[key_id], line["sealed"], line["event_id"]))


def _topic_of(envelope: dict) -> str:
    return lookup(envelope["type"], envelope["version"]).topic


def _written_segments(archive: Archive) -> list:
    with archive.engine.connect() as conn:
        return conn.execute(sa.select(segments.c.segment_key, segments.c.segment_version)
                            .where(segments.c.written_at.is_not(None)).order_by(segments.c.seq)).all()


def _unsealed(archive: Archive) -> Iterator:
    query = (sa.select(event_log.c.envelope, event_log.c.campaign_id)
             .where(sa.or_(event_log.c.segment_seq.is_(None),
                           event_log.c.segment_seq.in_(sa.select(segments.c.seq).where(segments.c.written_at.is_(None)))))
             .order_by(event_log.c.topic, event_log.c.partition, event_log.c.offset, event_log.c.seq))
    with archive.engine.connect() as conn:
        yield from conn.execution_options(stream_results=True, yield_per=500).execute(query)
