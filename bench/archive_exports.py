"""The archive's large exports with 100,000 nominations: each export runs in a process of its own, whose
time and peak resident memory (VmHWM) are measured against the targets: under 20 s and under 200 MB.

    python -m bench.archive_exports [--nominations 100000] [--files-per-domain 0]

Exports: every nomination in one Excel list (a sheet per domain, a summary), the statistics workbook, and
one domain's files as one ZIP streamed (the files are small objects in the uploads bucket, shared between
nominations, so the figure is the streaming's, not the storage's). The servers must be up (the devstack's
environment exported); the nominations go into a scratch archive database, dropped afterwards. Each export
also reports the CPU time its process used and the load average before and after: on a shared machine the
wall time says as much about the other processes as about the export."""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

TARGET_SECONDS, TARGET_MB = 20.0, 200.0
EXPORTS = ("nominations.xlsx", "statistics.xlsx", "files.zip")
DOMAINS = ("伙食管理", "学生公寓", "物业管理", "能源管理", "商贸管理", "安全管理", "思想文化与人力资源管理", "信息化",
           "房产管理", "建设修缮", "中小学后勤", "接待服务")
CAMPAIGN = "bench-campaign"


def seed(url: str, count: int, file_refs: list[dict]) -> None:
    from services.archive.adapters.orm import nominations

    engine = sa.create_engine(url)
    rows = ({"nomination_id": str(uuid.UUID(int=i)), "campaign_id": CAMPAIGN, "campaign_name": "基准测试活动",
             "campaign_year": 2022, "nominee_kind": "person", "nominee_name": f"测试{i:06d}",
             "unit": f"示例大学后勤集团{i % 997}", "domain": DOMAINS[i % len(DOMAINS)], "province": "上海市",
             "channel": "self", "recommender": f"示例协会{i % 300}", "stage": ("submitted", "candidate")[i % 2],
             "version": 1, "media_priority": i % 7 == 0, "files": file_refs, "submitted_at": "2023-02-20T10:00:00+08:00"}
            for i in range(count))
    with engine.begin() as conn:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                conn.execute(sa.insert(nominations), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(nominations), batch)
    engine.dispose()


def export_in_this_process(which: str) -> dict:
    """The child: one export to /dev/null-like sink, its wall time and its own peak RSS."""
    from services.archive.bootstrap import bootstrap
    from services.archive.service_layer import reports

    archive = bootstrap()
    load_before = round(os.getloadavg()[0], 1)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    size = 0
    if which == "files.zip":
        for chunk in reports.domain_files(archive, CAMPAIGN, DOMAINS[0]):
            size += len(chunk)
    else:
        with open(os.devnull, "wb") as sink, io.BytesIO() as buffer:
            target = buffer if which == "statistics.xlsx" else _Counting(sink)
            (reports.write_statistics_workbook if which == "statistics.xlsx" else
             lambda a, c, out: reports.write_list(a, c, "nominations", out))(archive, CAMPAIGN, target)
            size = target.tell()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": round(time.perf_counter() - started, 2), "peak_mb": round(_peak_rss_mb(), 1), "bytes": size,
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime - cpu_before, 2),
            "load_before": load_before, "load_after": round(os.getloadavg()[0], 1)}


class _Counting(io.RawIOBase):
    """A file that only counts (openpyxl writes the finished workbook to it as a ZIP)."""

    def __init__(self, sink):
        self.sink, self.written = sink, 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def seekable(self) -> bool:
        return False


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def scratch_database(base_url: str) -> str:
    from shared.db import migrate

    name = f"tuiju_archive_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base_url.rsplit("/", 1)[0] + f"/{name}"
    migrate("archive", url)
    return url


def drop_database(base_url: str, url: str) -> None:
    admin = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def sample_files(settings, count: int) -> list[dict]:
    from shared.storage import ObjectStore

    uploads = ObjectStore.from_settings(settings, settings.uploads_bucket)
    uploads.ensure_bucket()
    refs = []
    for index in range(count):
        stored = uploads.put_bytes(f"bench/archive/{index}", os.urandom(20_000), content_type="application/pdf")
        refs.append({"file_id": str(uuid.uuid4()), "kind": "certificate", "object_key": stored.key,
                     "sha256": stored.sha256, "size": stored.size, "content_type": "application/pdf",
                     "filename": f"证书{index}.pdf"})
    return refs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.archive_exports")
    parser.add_argument("--nominations", type=int, default=100_000)
    parser.add_argument("--files-per-nomination", type=int, default=2)
    parser.add_argument("--child", choices=EXPORTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(export_in_this_process(args.child)))
        return
    from shared.config import Settings

    settings = Settings.from_env("archive")
    url = scratch_database(settings.database_url)
    try:
        seeding = time.perf_counter()
        seed(url, args.nominations, sample_files(settings, args.files_per_nomination))
        print(f"seeded {args.nominations} nominations in {time.perf_counter() - seeding:.1f} s")
        results = {which: _child(which, url) for which in EXPORTS}
    finally:
        drop_database(settings.database_url, url)
    for which, figures in results.items():
        verdict = "ok" if figures["seconds"] < TARGET_SECONDS and figures["peak_mb"] < TARGET_MB else "OVER TARGET"
        print(f"{which:18} {figures['seconds']:6.2f} s  {figures['peak_mb']:6.1f} MB peak  "
              f"{figures['bytes'] / 1e6:8.1f} MB out  {figures['cpu_seconds']:6.2f} s CPU  "
              f"load {figures['load_before']}→{figures['load_after']} on {os.cpu_count()} cores  {verdict}")
    out = Path(__file__).with_name("results")
    out.mkdir(exist_ok=True)
    (out / "archive-exports.json").write_text(json.dumps({"nominations": args.nominations, **results}, indent=2))


def _child(which: str, url: str) -> dict:
    env = {**os.environ, "TUIJU_DATABASE_URL": url}
    answer = subprocess.run([sys.executable, "-m", "bench.archive_exports", "--child", which], env=env,
                            capture_output=True, text=True, timeout=600, check=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
