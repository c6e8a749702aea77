"""The public notice (公示) under a crowd: requests/s and p50/p99 of `/notice/` with 100 candidates against
`/healthz` (Flask answering without work) of the same gunicorn (the Procfile's review-web line), in the same
run, by the same clients; target (issue 17): at least half the bare rate. Beside them, the database
transactions the review database committed while the notice was read (the page comes from the in-process
cache keyed by the list's version in Redis, so a crowd does not reach PostgreSQL).

    python -m bench.public_notice [SECONDS]     (the devstack's servers up and its environment exported)

The campaign is the 2022 file under an id of the bench's own (so its list is confirmed once, here), with
110 shortlisted nominations scored by three members; 100 are confirmed and the notice published."""
from __future__ import annotations

import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
import urllib3

from bench.processes import REPO, System

RESULTS = Path(__file__).with_name("results") / "public-notice.json"
CLIENT_PROCESSES = 2
THREADS_PER_PROCESS = 4
SHORTLISTED = 110
PLACES = 100


def campaign_file(folder: Path, tag: str) -> Path:
    text = (REPO / "campaigns" / "2022-zuimei-houqin.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: .*$", f"id: bench-notice-{tag}", text, count=1, flags=re.M)
    text = re.sub(r"^candidates: \d+", f"candidates: {PLACES}", text, count=1, flags=re.M)
    path = folder / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def published_notice(env: dict) -> None:
    """110 shortlisted, scored by three members, 100 confirmed and published (review's own use cases)."""
    from services.review.bootstrap import bootstrap
    from services.review.service_layer.candidates import confirm_list, publish_notice
    from services.review.service_layer.scoring import submit_sheet
    from shared.config import Settings
    from tests.integration.review.committee import ranked_sheet, seed_shortlisted, standing_committee

    review = bootstrap(Settings.from_env("review", env))
    try:
        secretariat, members = standing_committee(review)
        ids = seed_shortlisted(review, secretariat, SHORTLISTED, uuid.uuid4().hex[:8])
        for i, nomination_id in enumerate(ids):
            for member in members:
                submit_sheet(review, nomination_id, member, ranked_sheet(i), "事迹扎实")
        assert len(confirm_list(review, secretariat)) == PLACES
        publish_notice(review, secretariat)
    finally:
        review.engine.dispose()


def _client(url: str, seconds: float, threads: int) -> list[float]:
    """One client process: `threads` keep-alive connections asking for `url` for `seconds`; latencies in ms,
    or raises on any answer but 200."""
    http = urllib3.PoolManager(maxsize=threads, retries=False, timeout=30)
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.monotonic() + seconds

    def run() -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            answer = http.request("GET", url, preload_content=True)
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status != 200:
                failures.append(f"{answer.status} {url}")
                return

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise RuntimeError(failures[0])
    return latencies


def load(url: str, seconds: float) -> dict:
    with ProcessPoolExecutor(CLIENT_PROCESSES) as pool:
        parts = list(pool.map(_client, [url] * CLIENT_PROCESSES, [seconds] * CLIENT_PROCESSES,
                              [THREADS_PER_PROCESS] * CLIENT_PROCESSES))
    latencies = sorted(ms for part in parts for ms in part)
    return {"requests": len(latencies), "seconds": seconds, "rate": round(len(latencies) / seconds, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2)}


def commits(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("select xact_commit from pg_stat_database where datname = current_database()")).scalar()


def measure(seconds: float = 10, log_dir: Path | None = None) -> dict:
    from shared.config import Settings
    from shared.db import make_engine

    tag = uuid.uuid4().hex[:8]
    with tempfile.TemporaryDirectory(prefix="tuiju-notice-") as folder:
        env = {"TUIJU_DEMO": "1", "TUIJU_DEMO_ANCHOR": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "TUIJU_CAMPAIGN_FILE": str(campaign_file(Path(folder), tag))}
        published_notice({**os.environ, **env})
        system = System(env, log_dir or Path(folder))
        engine = make_engine(Settings.from_env("review", {**os.environ, **env}).database_url)
        try:
            system.start("review-web")
            base = system.url("review-web")
            page = urllib3.request("GET", f"{base}/notice/")
            assert page.status == 200 and page.data.decode().count('class="place"') == PLACES, page.status
            load(f"{base}/notice/", 2)  # warm: the cache filled, the connections open
            rounds: dict[str, list[dict]] = {"notice": [], "bare": []}
            before = commits(engine)
            for _ in range(2):  # alternated, so a change in the machine's load touches both alike
                rounds["notice"].append(load(f"{base}/notice/", seconds / 2))
                rounds["bare"].append(load(f"{base}/healthz", seconds / 2))
            time.sleep(2)  # the server's statistics are flushed a moment after a transaction
            during = commits(engine) - before
        finally:
            system.stop()
            engine.dispose()
    result = {name: _combined(parts) for name, parts in rounds.items()}
    result.update(candidates=PLACES, clients=CLIENT_PROCESSES * THREADS_PER_PROCESS, page_bytes=len(page.data),
                  notice_requests=result["notice"]["requests"], database_commits_during=during,
                  share_of_bare=round(result["notice"]["rate"] / result["bare"]["rate"], 3),
                  load_average=round(os.getloadavg()[0], 2))
    return result


def _combined(parts: list[dict]) -> dict:
    seconds = sum(p["seconds"] for p in parts)
    requests = sum(p["requests"] for p in parts)
    return {"requests": requests, "rate": round(requests / seconds, 1),
            "p50_ms": round(statistics.fmean(p["p50_ms"] for p in parts), 2),
            "p99_ms": max(p["p99_ms"] for p in parts)}


def markdown_rows(result: dict) -> list[str]:
    notice, bare = result["notice"], result["bare"]
    return [
        f"Public notice (公示) with {result['candidates']} candidates ({result['page_bytes'] // 1024} KB), "
        f"{result['clients']} keep-alive clients, review-web as the Procfile runs it (target: at least half the bare rate).",
        "",
        "| endpoint | requests | req/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
        f"| /notice/ | {notice['requests']} | {notice['rate']} | {notice['p50_ms']} | {notice['p99_ms']} |",
        f"| /healthz (bare Flask) | {bare['requests']} | {bare['rate']} | {bare['p50_ms']} | {bare['p99_ms']} |",
        "",
        f"The notice at **{round(result['share_of_bare'] * 100)}%** of the bare rate; the review database committed "
        f"{result['database_commits_during']} transactions while {result['notice_requests']} notice pages and the "
        f"bare requests were served.",
    ]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    result = measure(seconds)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   **result}, ensure_ascii=False, indent=2) + "\n")
    print("\n".join(markdown_rows(result)))


if __name__ == "__main__":
    main()
