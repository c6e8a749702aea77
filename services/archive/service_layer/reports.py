"""The association's yearly reports: candidate and honouree lists (Excel, a sheet per domain and a summary),
statistics per domain, province, channel, recommending organisation and stage (for the charts and as
Excel), and every file of one domain's nominations as one ZIP. Rows are read from the database in batches
(server-side cursor) and written as they come: memory stays flat at any size."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

import sqlalchemy as sa

from services.archive.adapters.orm import nominations
from services.archive.adapters.spreadsheets import write_lists, write_statistics
from services.archive.adapters.zipstream import CHUNK, stream_zip
from services.archive.bootstrap import Archive
from services.archive.domain.dossier import safe_name
from services.archive.domain.nominations import CHANNEL_LABELS, OBJECTION_LABELS, STAGE_LABELS, objections_summary
from shared.object_reader import ObjectReader
from shared.storage import ObjectStore

LISTS = {"candidates": ("candidate", "honouree"), "honourees": ("honouree",), "nominations": None}
LIST_TITLES = {"candidates": "候选人名单", "honourees": "获评名单", "nominations": "全部申报名单"}
DIMENSIONS = {"业务领域": nominations.c.domain, "省份": nominations.c.province, "推荐渠道": nominations.c.channel,
              "推荐单位": nominations.c.recommender, "阶段": nominations.c.stage}
BATCH = 2000
SMALL_FILE = 4 * 1024 * 1024
PREFETCH_BYTES = 32 * 1024 * 1024
PREFETCH_FILES = 64
PREFETCH_THREADS = 8


def write_list(archive: Archive, campaign_id: str, which: str, out: BinaryIO) -> dict[str, int]:
    stages = LISTS[which]
    n = nominations.c
    query = sa.select(n.domain, n.nominee_name, n.nominee_kind, n.unit, n.province, n.channel, n.recommender,
                      n.stage, n.media_priority, n.submitted_at, n.rank, n.objections).where(n.campaign_id == campaign_id)
    if stages:
        query = query.where(n.stage.in_(stages))
    # Candidates and honourees in their place on the published list; everyone else by name.
    order = (n.rank.asc().nulls_last(), n.nominee_name) if stages else (n.nominee_name,)
    query = query.order_by(n.domain, *order, n.nomination_id)
    return write_lists(out, LIST_TITLES[which], ((row.domain, _list_row(row)) for row in _streamed(archive, query)))


def statistics(archive: Archive, campaign_id: str) -> dict[str, list[tuple[str, int]]]:
    tables = {}
    with archive.engine.connect() as conn:
        for name, column in DIMENSIONS.items():
            rows = conn.execute(sa.select(column, sa.func.count()).where(nominations.c.campaign_id == campaign_id)
                                .group_by(column).order_by(sa.func.count().desc(), column)).all()
            tables[name] = [(_label(name, value), count) for value, count in rows]
        tables["异议"] = _objections(conn, campaign_id)
    return tables


def _objections(conn, campaign_id: str) -> list[tuple[str, int]]:
    """The objections to the campaign's candidates by outcome (成立, 驳回, 待处理)."""
    each = sa.func.jsonb_each_text(nominations.c.objections).table_valued("key", "value").render_derived()
    rows = dict(conn.execute(sa.select(each.c.value, sa.func.count()).select_from(nominations).join(each, sa.true())
                             .where(nominations.c.campaign_id == campaign_id).group_by(each.c.value)).all())
    return [(label, rows[code]) for code, label in OBJECTION_LABELS.items() if rows.get(code)]


def write_statistics_workbook(archive: Archive, campaign_id: str, out: BinaryIO) -> None:
    write_statistics(out, f"申报统计（{campaign_id}）", statistics(archive, campaign_id))


def domain_files(archive: Archive, campaign_id: str, domain: str) -> Iterator[bytes]:
    """The ZIP of every file of the domain's nominations: <nominee>-<id>/<kind>-<file>-<name>."""
    uploads = ObjectStore.from_settings(archive.settings, archive.settings.uploads_bucket)
    query = (sa.select(nominations.c.nomination_id, nominations.c.nominee_name, nominations.c.files)
             .where(nominations.c.campaign_id == campaign_id, nominations.c.domain == domain)
             .order_by(nominations.c.nominee_name, nominations.c.nomination_id))

    def files():
        for row in _streamed(archive, query):
            folder = f"{safe_name(row.nominee_name)}-{row.nomination_id[:8]}"
            for ref in row.files:
                yield f"{folder}/{ref['kind']}-{ref['file_id'][:8]}-{safe_name(ref.get('filename') or 'file')}", ref
    return stream_zip(fetched_ahead(files(), uploads))


def fetched_ahead(files: Iterator[tuple[str, dict]], store: ObjectStore) -> Iterator[tuple[str, Callable]]:
    """The ZIP's entries, small files fetched by a few threads ahead of the writer (storage answers one GET
    at a time slowly, several well) on kept-alive connections, with at most PREFETCH_BYTES in hand; large
    files stream in chunks."""
    window: deque = deque()
    in_hand = 0
    with ObjectReader(store, SMALL_FILE) as reader, ThreadPoolExecutor(max_workers=PREFETCH_THREADS) as pool:
        for name, ref in files:
            small = int(ref.get("size") or 0) <= SMALL_FILE
            window.append((name, ref, pool.submit(reader.get, ref["object_key"]) if small else None))
            in_hand += int(ref.get("size") or 0) if small else 0
            while window and (in_hand > PREFETCH_BYTES or len(window) > PREFETCH_FILES):
                in_hand -= _held(window[0])
                yield _entry(window.popleft(), store)
        while window:
            yield _entry(window.popleft(), store)


def _held(item) -> int:
    name, ref, future = item
    return int(ref.get("size") or 0) if future is not None else 0


def _entry(item, store: ObjectStore) -> tuple[str, Callable]:
    name, ref, future = item
    if future is not None:
        return name, lambda: iter([future.result()])
    return name, lambda: store.stream(ref["object_key"], CHUNK)


def _streamed(archive: Archive, query) -> Iterator:
    with archive.engine.connect() as conn:
        yield from conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)


def _list_row(row) -> list:
    return [row.nominee_name, "团队" if row.nominee_kind == "team" else "个人", row.unit, row.domain, row.province,
            CHANNEL_LABELS.get(row.channel, row.channel), row.recommender, STAGE_LABELS.get(row.stage, row.stage),
            "是" if row.media_priority else "", row.submitted_at[:10], row.rank, objections_summary(row.objections)]


def _label(dimension: str, value: str | None) -> str:
    if dimension == "推荐渠道":
        return CHANNEL_LABELS.get(value, value)
    if dimension == "阶段":
        return STAGE_LABELS.get(value, value)
    return value or "（未填）"
