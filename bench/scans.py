"""Scans: files per second through Celery next to the same checks called in-process, on the same
generated files, in one run; and the raw S3 PUT rate of the same bytes for comparison.
(A round is 24 files: what four nominations upload, and hostile files that intake stores.)

What is timed:
  in-process, 1 process   scan_upload on each file, one after another (bench_scans_inprocess)
  in-process, 2 processes the same, spread over two processes (a process pool)
  Celery worker -c 2      the files already stored and recorded; from queueing every scan to the last
                          upload recorded as scanned (fetch from S3, checks, derivatives to S3, findings,
                          duplicate search and the event in PostgreSQL)
  add_upload              storing each file: S3 PUT, the upload's row, one after another
  raw S3 PUT              the same bytes through the MinIO client, one after another
The bench removes its uploads, objects and nominations afterwards.
"""
from __future__ import annotations

import io
import re
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from bench.bench_scans_inprocess import Upload, run_inprocess, run_inprocess_pool, sample_uploads
from bench.worker_process import ScanWorker

DEFAULT_ROUNDS = 5
WORKER_CONCURRENCY = 2


def declared_type(upload: Upload) -> str:
    """The content type a browser would send for the file's name (the scan decides by the bytes)."""
    if upload.data.startswith(b"%PDF") and upload.kind != "photo":
        return "application/pdf"
    return "image/png" if upload.data.startswith(b"\x89PNG") else "image/jpeg"


def raw_put_rate(store, files: list[Upload], run_id: str) -> float:
    keys = [f"bench/{run_id}/{number}" for number in range(len(files))]
    started = time.perf_counter()
    for key, upload in zip(keys, files):
        store.put_bytes(key, upload.data, content_type=declared_type(upload))
    elapsed = time.perf_counter() - started
    for key in keys:
        store.remove(key)
    return len(files) / elapsed


def store_uploads(intake, files: list[Upload]) -> tuple[list[str], list[str], float]:
    """One nomination per file (each kind has a per-nomination maximum); only add_upload is timed."""
    from services.intake.service_layer.nominations import start_nomination
    from services.intake.service_layer.uploads import add_upload

    nomination_ids = [start_nomination(intake, channel="self", nominee_kind="person") for _ in files]
    started = time.perf_counter()
    upload_ids = [add_upload(intake, nomination_id, upload.kind, io.BytesIO(upload.data), filename="scan",
                             content_type=declared_type(upload))
                  for nomination_id, upload in zip(nomination_ids, files)]
    return nomination_ids, upload_ids, len(files) / (time.perf_counter() - started)


def scanned_count(intake, upload_ids: list[str]) -> int:
    from services.intake.adapters.orm import uploads

    with intake.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(uploads).where(
            uploads.c.id.in_(upload_ids), uploads.c.status == "scanned")).scalar()


def scan_through_celery(intake, upload_ids: list[str], timeout: float = 600) -> float:
    """Queue every scan at once (through the real queue, markers and all); files/s until all recorded."""
    started = time.perf_counter()
    intake.scan_queue.publish_claimed(intake.scan_queue.claim(upload_ids))
    wait_scanned(intake, upload_ids, timeout)
    return len(upload_ids) / (time.perf_counter() - started)


def wait_scanned(intake, upload_ids: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while scanned_count(intake, upload_ids) < len(upload_ids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {scanned_count(intake, upload_ids)} of {len(upload_ids)} scanned in {timeout}s")
        time.sleep(0.1)


def celery_verdicts(intake, upload_ids: list[str]) -> Counter:
    from services.intake.adapters.orm import uploads

    with intake.engine.connect() as conn:
        return Counter(conn.execute(sa.select(uploads.c.verdict).where(uploads.c.id.in_(upload_ids))).scalars())


def mean_task_seconds(worker_log: str) -> float:
    """The worker's own timing of each task ("succeeded in 0.08s"): the time a file takes inside it."""
    times = [float(t) for t in re.findall(r"intake\.scan_upload\[[^\]]+\] succeeded in ([0-9.]+)s", worker_log)]
    return sum(times) / len(times) if times else float("nan")


def remove_bench_data(intake, nomination_ids: list[str]) -> None:
    """The bench's uploads (rows, originals, derivatives), flags, versions, unsent events and nominations,
    so that runs do not pile up in the test database and lengthen every later duplicate search."""
    from minio.deleteobjects import DeleteObject

    from services.intake.adapters.orm import flags, nomination_versions, nominations, outbox, uploads

    with intake.engine.begin() as conn:
        rows = conn.execute(sa.select(uploads.c.object_key, uploads.c.derivatives)
                            .where(uploads.c.nomination_id.in_(nomination_ids))).all()
        conn.execute(sa.delete(flags).where(flags.c.nomination_id.in_(nomination_ids)))
        conn.execute(sa.delete(uploads).where(uploads.c.nomination_id.in_(nomination_ids)))
        conn.execute(sa.delete(nomination_versions).where(nomination_versions.c.nomination_id.in_(nomination_ids)))
        conn.execute(sa.delete(outbox).where(outbox.c.key.in_(nomination_ids), outbox.c.sent_at.is_(None)))
        conn.execute(sa.delete(nominations).where(nominations.c.id.in_(nomination_ids)))
    keys = [key for row in rows for key in [row.object_key, *(row.derivatives or {}).values()]]
    for start in range(0, len(keys), 1000):
        failures = intake.store.client.remove_objects(intake.store.bucket,
                                                       [DeleteObject(key) for key in keys[start:start + 1000]])
        for failure in failures:
            print(f"bench: could not remove {failure.name}: {failure.message}", flush=True)


def open_intake():
    """Intake on the bench's servers, campaign open now. add_upload only records what it queues: the
    bench queues the scans itself (through the real queue) when its clock runs."""
    from services.intake.bootstrap import bootstrap, celery_scan_queue, utc_now
    from shared.campaign.demo import demo_copy
    from shared.campaign.loading import load_campaign
    from shared.config import Settings

    settings = Settings.from_env("intake")
    queued: list[str] = []
    container = bootstrap(settings, queue_scan=queued.append,
                          campaign=demo_copy(load_campaign(settings.campaign_file), utc_now()))
    container.scan_queue = celery_scan_queue(settings)
    return container


def measure_through_celery(intake, files: list[Upload]) -> dict:
    """Store the files (add_upload), then scan them with a real worker; the bench's data removed after."""
    nomination_ids: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tuiju-bench-") as log_dir:
        worker = ScanWorker({}, Path(log_dir), name="scans-bench", concurrency=WORKER_CONCURRENCY)
        try:
            print("add_upload (S3 PUT + DB rows) ...", flush=True)
            nomination_ids, upload_ids, stored = store_uploads(intake, files)
            worker.start()
            print(f"Celery worker -c {WORKER_CONCURRENCY} ...", flush=True)
            through_celery = scan_through_celery(intake, upload_ids)
            return {"stored": stored, "through_celery": through_celery,
                    "verdicts": dict(celery_verdicts(intake, upload_ids)),
                    "task_mean_ms": round(1000 * mean_task_seconds(worker.log()), 1)}
        finally:
            worker.stop()
            if nomination_ids:
                remove_bench_data(intake, nomination_ids)


def celery_own_cost(files_per_s: float, task_mean_ms: float) -> float:
    """What Celery itself costs: the rate its pool processes would reach if each ran the task's body (as the
    worker timed it: fetch, checks, derivatives, findings, duplicate search, event) back to back, against
    the rate measured from queueing to the last recorded. The rest of the difference from the checks
    in-process is the task's own work around the checks, which any way of running them would do."""
    body_rate = WORKER_CONCURRENCY * 1000 / task_mean_ms
    return round(1 - files_per_s / body_rate, 3)


def measure(intake, rounds: int) -> dict:
    """Scans through Celery beside the same checks in-process, on the same files, in one run."""
    files = sample_uploads(rounds)
    print(f"scans: in-process, 1 process: {len(files)} files ...", flush=True)
    inprocess = run_inprocess(files)
    print("scans: in-process, 2 processes ...", flush=True)
    inprocess_pool, inprocess_verdicts = run_inprocess_pool(files, 2)
    print("scans: raw S3 PUT ...", flush=True)
    raw_put = raw_put_rate(intake.store, files, uuid.uuid4().hex[:12])
    celery = measure_through_celery(intake, files)
    return {
        "files": len(files), "rounds": rounds,
        "megabytes": round(sum(len(u.data) for u in files) / 1048576, 2),
        "mix": dict(Counter(u.kind for u in files)),
        "worker_concurrency": WORKER_CONCURRENCY,
        "rates": {label: round(rate, 2) for label, rate in {
            "in-process, 1 process": inprocess,
            "in-process, 2 processes": inprocess_pool,
            f"Celery worker -c {WORKER_CONCURRENCY} (queue -> all scanned)": celery["through_celery"],
            "add_upload (S3 PUT + rows, 1 thread)": celery["stored"],
            "raw S3 PUT (MinIO client, 1 thread)": raw_put,
        }.items()},
        "celery_cost": round(1 - celery["through_celery"] / inprocess_pool, 3),
        "celery_own_cost": celery_own_cost(celery["through_celery"], celery["task_mean_ms"]),
        "inprocess_file_mean_ms": round(1000 / inprocess, 1),
        "celery_task_mean_ms": celery["task_mean_ms"],
        "verdicts": {"in_process": dict(inprocess_verdicts), "celery": celery["verdicts"]},
    }
