"""Scans at the deadline's scale (issue 21).

1. The scan rate with 20,000 uploads already stored beside the rate with an empty store, on the same
   files through the same real worker: empty, stored, empty again (the mean of the two empties, so a
   machine that got busier or quieter during the run does not pass for an effect of the store). The
   stored uploads are rows as a campaign leaves them (5,000 nominations of photo, sealed form and two
   certificates, scanned), mostly distinct files, a few hundred duplicates across nominations; their
   perceptual hashes are those of generated certificate-like drawings.
2. A burst: 1,000 complete nominations' files stored one after another while the worker scans, as on
   the last evening; how long the backlog takes to drain after the burst, and the scan rate.
"""
from __future__ import annotations

import io
import random
import time
import uuid
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import sqlalchemy as sa
from PIL import Image, ImageDraw

from bench.bench_scans_inprocess import sample_uploads
from bench.scans import WORKER_CONCURRENCY, measure_through_celery, remove_bench_data, wait_scanned
from bench.worker_process import ScanWorker

SEEDED_UPLOADS = 20_000
SEEDED_DUPLICATES = 300
BURST_NOMINATIONS = 1_000
BATCH = 2_000


# ---------------------------------------------------------------- 20,000 stored uploads

def drawing_phash(rng: random.Random) -> str:
    """The perceptual hash of a small certificate-like drawing (background, shapes, frame)."""
    from shared.scans.phash import phash

    width, height = 140, 99
    image = Image.new("RGB", (width, height), tuple(rng.randint(200, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(7):
        x, y, w, h = rng.randint(0, width), rng.randint(0, height), rng.randint(15, 60), rng.randint(15, 50)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - w // 2, y - h // 2, x + w // 2, y + h // 2), fill=tuple(rng.randint(20, 255) for _ in range(3)))
    draw.rectangle((3, 3, width - 3, height - 3), outline=tuple(rng.randint(0, 160) for _ in range(3)), width=3)
    return phash(np.asarray(image))


def seeded_rows(campaign_id: str, count: int, duplicates: int, rng: random.Random) -> tuple[list, list]:
    from services.intake.service_layer.duplicates import band_columns

    nominations, uploads = [], []
    for _ in range(count // 4):
        nomination_id = str(uuid.uuid4())
        nominations.append({"id": nomination_id, "campaign_id": campaign_id, "channel": "self",
                            "nominee_kind": "person", "state": "submitted"})
        for kind in ("photo", "sealed_form", "certificate", "certificate"):
            upload_id = str(uuid.uuid4())
            phash = drawing_phash(rng) if kind != "sealed_form" else None
            uploads.append({"id": upload_id, "nomination_id": nomination_id, "kind": kind, "filename": "seed",
                            "object_key": f"bench-seed/{upload_id}", "content_type": "image/jpeg", "size": 1,
                            "sha256": f"{rng.getrandbits(256):064x}", "status": "scanned", "verdict": "ok",
                            "phash": phash, **band_columns(kind, phash)})
    shareable = [row for row in uploads if row["kind"] != "sealed_form"]
    for copy, original in zip(rng.sample(shareable, duplicates), rng.sample(shareable, duplicates)):
        if copy["nomination_id"] != original["nomination_id"] and copy["kind"] == original["kind"]:
            copy.update({key: original[key] for key in copy if key.startswith(("sha256", "phash"))})
    return nominations, uploads


def seed_store(intake, count: int = SEEDED_UPLOADS, duplicates: int = SEEDED_DUPLICATES) -> list[str]:
    from services.intake.adapters.orm import nominations, uploads

    nomination_rows, upload_rows = seeded_rows(intake.campaign.id, count, duplicates, random.Random(21))
    with intake.engine.begin() as conn:
        for start in range(0, len(nomination_rows), BATCH):
            conn.execute(sa.insert(nominations), nomination_rows[start:start + BATCH])
        for start in range(0, len(upload_rows), BATCH):
            conn.execute(sa.insert(uploads), upload_rows[start:start + BATCH])
        conn.execute(sa.text("ANALYZE uploads"))
    return [row["id"] for row in nomination_rows]


def unseed(intake, nomination_ids: list[str]) -> None:
    from services.intake.adapters.orm import flags, nominations, uploads

    with intake.engine.begin() as conn:
        for start in range(0, len(nomination_ids), BATCH):
            batch = nomination_ids[start:start + BATCH]
            conn.execute(sa.delete(flags).where(flags.c.nomination_id.in_(batch)))
            conn.execute(sa.delete(uploads).where(uploads.c.nomination_id.in_(batch)))
            conn.execute(sa.delete(nominations).where(nominations.c.id.in_(batch)))
        conn.execute(sa.text("ANALYZE uploads"))


def stored_uploads(intake) -> int:
    from services.intake.adapters.orm import uploads

    with intake.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(uploads)).scalar()


def scan_rate_with_stored_uploads(intake, rounds: int, seeded: int = SEEDED_UPLOADS) -> dict:
    files = sample_uploads(rounds)
    print(f"scale: {len(files)} files, empty store ({stored_uploads(intake)} uploads) ...", flush=True)
    before = measure_through_celery(intake, files)["through_celery"]
    print(f"scale: storing {seeded:,} uploads ...", flush=True)
    started = time.perf_counter()
    nomination_ids = seed_store(intake, seeded)
    seeding_seconds = time.perf_counter() - started
    try:
        store_size = stored_uploads(intake)
        print(f"scale: {len(files)} files, {store_size:,} uploads stored ...", flush=True)
        at_scale = measure_through_celery(intake, files)["through_celery"]
    finally:
        unseed(intake, nomination_ids)
    print("scale: empty store again ...", flush=True)
    after = measure_through_celery(intake, files)["through_celery"]
    empty = (before + after) / 2
    return {"files": len(files), "stored_uploads": store_size, "seeded_duplicates": SEEDED_DUPLICATES,
            "seeding_seconds": round(seeding_seconds, 1),
            "empty_store_files_per_s": [round(before, 2), round(after, 2)],
            "stored_files_per_s": round(at_scale, 2), "ratio": round(at_scale / empty, 3)}


# ---------------------------------------------------------------- a burst of complete nominations

def _certificate(seed: int) -> bytes:
    from tests.fixtures import scanfiles

    return scanfiles._jpeg_bytes(scanfiles._certificate_image(seed))


def _photo(index: int) -> bytes:
    from tests.fixtures import scanfiles

    return scanfiles._jpeg_bytes(scanfiles._portrait(354 + index % 40, 496 + index // 40 % 60), quality=92)


def burst_files(count: int) -> list[list[tuple[str, str, bytes]]]:
    """Per nomination: its own photo, a sealed form (of 20, each of another nomination: the scan does
    the whole seal and QR search), and two certificates of its own."""
    from tests.fixtures import scanfiles

    forms = [scanfiles.sealed_form_pdf(str(uuid.uuid4())) for _ in range(20)]
    with ProcessPoolExecutor(2) as pool:
        certificates = list(pool.map(_certificate, range(100_000, 100_000 + 2 * count), chunksize=50))
    return [[("photo", "image/jpeg", _photo(number)), ("sealed_form", "application/pdf", forms[number % 20]),
             ("certificate", "image/jpeg", certificates[2 * number]),
             ("certificate", "image/jpeg", certificates[2 * number + 1])] for number in range(count)]


def pending_count(intake, upload_ids: list[str]) -> int:
    from services.intake.adapters.orm import uploads

    with intake.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(uploads).where(
            uploads.c.id.in_(upload_ids), uploads.c.status == "pending")).scalar()


def burst_drain(intake, log_dir, nominations: int = BURST_NOMINATIONS) -> dict:
    from services.intake.service_layer.nominations import start_nomination
    from services.intake.service_layer.uploads import add_upload

    print(f"burst: generating {nominations:,} nominations' files ...", flush=True)
    files = burst_files(nominations)
    nomination_ids, upload_ids = [], []
    worker = ScanWorker({}, log_dir, name="scans-burst", concurrency=WORKER_CONCURRENCY).start()
    try:
        print(f"burst: storing {4 * nominations:,} files while the worker scans ...", flush=True)
        started = time.perf_counter()
        for nomination_files in files:
            nomination_id = start_nomination(intake, channel="self", nominee_kind="person")
            nomination_ids.append(nomination_id)
            for kind, content_type, data in nomination_files:
                upload_id = add_upload(intake, nomination_id, kind, io.BytesIO(data), filename="scan",
                                       content_type=content_type)
                intake.scan_queue.queue(upload_id)
                upload_ids.append(upload_id)
        burst_seconds = time.perf_counter() - started
        backlog = pending_count(intake, upload_ids)
        wait_scanned(intake, upload_ids, timeout=3600)
        total_seconds = time.perf_counter() - started
    finally:
        worker.stop()
        print("burst: removing its data ...", flush=True)
        remove_bench_data(intake, nomination_ids)
    return {"nominations": nominations, "files": len(upload_ids), "burst_seconds": round(burst_seconds, 1),
            "backlog_after_burst": backlog, "drain_seconds": round(total_seconds - burst_seconds, 1),
            "scanned_files_per_s": round(len(upload_ids) / total_seconds, 2)}
