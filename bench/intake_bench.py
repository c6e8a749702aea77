"""The intake part of `make bench`: the system's intake processes started as `make run` starts them (web,
scan worker with its beat, relay), then per concurrency level, side by side: the bare endpoint, raw S3
PUTs of the same files, whole nominations through the JSON API and through the HTML pages. The scan
worker runs throughout (its backlog grows: scans lag behind the forms by design, and the lag is
recorded); the bench's nominations, files and queued scans are removed afterwards.

By default it is the last evening: the campaign's `scan_wait.hours_before_deadline` spans the whole
submission window, so no submission waits for its files' scans (R3: nobody is held past a deadline by the
checks), as on the deadline's evening. `usual_day=True` keeps the campaign's own rule: a submission waits
for its scans while they keep up, so the rate is the scan worker's."""
from __future__ import annotations

import random
import re
import tempfile
import uuid
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from functools import cache

from bench import intake_load
from bench.cpu import CpuMeter
from bench.memory import PeakSampler, snapshot
from bench.processes import REPO, System
from bench.upload_paths import form_beside_body, post_beside_put

LEVELS = (1, 4, 8, 16)
CERTIFICATE_POOL = 200
FORM_POOL = 20


def _certificate(seed: int) -> bytes:
    from tests.fixtures import scanfiles

    return scanfiles._jpeg_bytes(scanfiles._certificate_image(seed))


@cache
def file_pools() -> tuple[list[bytes], list[bytes]]:
    from tests.fixtures import scanfiles

    with ProcessPoolExecutor(2) as pool:
        certificates = list(pool.map(_certificate, range(200_000, 200_000 + CERTIFICATE_POOL), chunksize=10))
    forms = [scanfiles.sealed_form_pdf(str(uuid.uuid4())) for _ in range(FORM_POOL)]
    return certificates, forms


def nomination_files(number: int) -> list[tuple[str, str, str, bytes]]:
    """A photo of its own, a sealed form and two certificates from pools (what the scans see is alike)."""
    from tests.fixtures import scanfiles

    certificates, forms = file_pools()
    photo = scanfiles._jpeg_bytes(scanfiles._portrait(354 + number % 40, 496 + number // 40 % 60), quality=92)
    return [("photo", "photo.jpg", "image/jpeg", photo),
            ("sealed_form", "form.pdf", "application/pdf", forms[number % FORM_POOL]),
            ("certificate", "cert1.jpg", "image/jpeg", certificates[(2 * number) % CERTIFICATE_POOL]),
            ("certificate", "cert2.jpg", "image/jpeg", certificates[(2 * number + 1) % CERTIFICATE_POOL])]


def form(number: int) -> dict:
    from tests.builders import form_data

    rng = random.Random(number)
    name = "".join(chr(0x4E00 + rng.randrange(0x5000)) for _ in range(3))
    return form_data(name=name, email=f"bench-{number}@example.com")


def evening_campaign(folder: Path) -> Path:
    """The campaign file with its deadline always near for the scan wait (a year of hours)."""
    text = (REPO / "campaigns" / "2022-zuimei-houqin.yaml").read_text(encoding="utf-8")
    text, found = re.subn(r"^(  hours_before_deadline:) *\d+", r"\1 8760", text, count=1, flags=re.M)
    assert found == 1, "scan_wait.hours_before_deadline not found in the campaign file"
    path = folder / "campaign-last-evening.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def measure(intake, env: dict, log_dir, levels=LEVELS, seconds: float = 12, worker_nice: int = 0,
            paths=("api", "direct", "html"), usual_day: bool = False) -> dict:
    file_pools()
    with tempfile.TemporaryDirectory(prefix="tuiju-bench-campaign-") as folder:
        if not usual_day:
            env = {**env, "TUIJU_CAMPAIGN_FILE": str(evening_campaign(Path(folder)))}
        results = _measure(intake, System(env, log_dir), levels, seconds, worker_nice, paths)
    return {**results, "last_evening": not usual_day}


def _measure(intake, system: System, levels, seconds: float, worker_nice: int, paths) -> dict:
    results: dict = {"levels": list(levels), "seconds_per_level": seconds, "worker_nice": worker_nice,
                     "bare": [], "raw_put": [], **{path: [] for path in paths}, "scan_backlog": []}
    tokens: list[str] = []
    try:
        system.start("intake-web", "intake-worker", "intake-relay", nice={"intake-worker": worker_nice})
        url = system.url("intake-web")
        intake_load.bare_level(url, 2, 2)  # each gunicorn worker has imported and connected
        results["memory_idle"] = snapshot(system)  # before anything is uploaded: the scan worker has nothing to do
        results["upload_paths"] = post_beside_put(intake.store, [f for n in range(25) for f in nomination_files(n)])
        results["upload_bodies"], started = form_beside_body(url, CpuMeter(system), 20, nomination_files)
        tokens += started
        with PeakSampler(system) as sampler:
            run_levels(intake, url, CpuMeter(system), levels, seconds, paths, results, tokens)
        results["memory_load"] = sampler.peak
    finally:
        system.stop()
        remove_nominations(intake, tokens)
    return results


def run_levels(intake, url: str, meter: CpuMeter, levels, seconds: float, paths, results: dict,
               tokens: list[str]) -> None:
    from services.intake.service_layer.scan_backlog import scan_backlog

    for clients in levels:
        print(f"intake: {clients} clients: bare endpoint, raw S3 PUT, {', '.join(paths)} ...", flush=True)
        results["bare"].append(intake_load.bare_level(url, clients, seconds / 3))
        results["raw_put"].append(intake_load.raw_put_level(intake.store, clients, seconds / 2, nomination_files))
        for path in paths:
            before = meter.measure()
            level = intake_load.run_level(url, path, clients, seconds, nomination_files, form)
            level["cpu_ms_per_nomination"] = {name: round(1000 * used / max(1, level["nominations"]), 1)
                                              for name, used in meter.since(before).items()}
            tokens += level.pop("tokens")
            results[path].append(level)
        backlog = scan_backlog(intake, intake.clock())
        results["scan_backlog"].append({"clients": clients, "pending": backlog.pending,
                                        "oldest_s": round(backlog.oldest_seconds, 1)})


def remove_nominations(intake, tokens: list[str]) -> None:
    """The bench's nominations, their files and their scans still queued."""
    from bench.scans import remove_bench_data
    from services.intake.adapters.links import nomination_from_token
    from services.intake.adapters.scan_queue import MARKERS

    print(f"intake: removing the bench's {len(tokens)} nominations ...", flush=True)
    intake.scan_queue.redis.delete("scans", MARKERS)
    ids = [nomination_from_token(intake.settings.secret_key, token) for token in tokens]
    for start in range(0, len(ids), 500):
        remove_bench_data(intake, ids[start:start + 500])
