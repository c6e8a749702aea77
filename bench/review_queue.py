"""Review's queue and search with 100,000 nominations in the read model: p50/p95/p99 of the queue page's
query (count + one page) for the secretariat, a working-group reviewer of two domains and a branch, and of
searches by name and by unit. Target (issue 16): p95 under 150 ms on this machine.

    python -m bench.review_queue [N]      (the test devstack's servers up and its environment exported)

The bench writes its nominations under a campaign id of its own and removes them afterwards.
Results go to bench/results-review-queue.json."""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from services.review.adapters.orm import nominations, reviews
from services.review.domain.people import Role, StaffMember
from services.review.domain.queue_filter import QueueFilter
from services.review.domain.search import search_terms, search_text
from services.review.domain.states import State
from services.review.service_layer.queries import queue_page
from shared.campaign import load_campaign
from shared.config import Settings
from shared.db import make_engine, make_session_factory

RESULTS = Path(__file__).with_name("results-review-queue.json")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "秀英华明丽静敏军伟芳娜勇艳杰涛超霞平刚桂兰玉梅建国志强文海燕红"
UNITS = ("大学", "师范大学", "理工大学", "医科大学", "职业技术学院", "中学", "实验小学")
PLACES = "北京上海天津重庆河北山西辽宁吉林江苏浙江安徽福建江西山东河南湖北湖南广东广西海南四川贵州云南陕西甘肃青海宁夏新疆"
STATES = (State.MATERIAL_CHECK,) * 5 + (State.APPROVED, State.RETURNED, State.SHORTLISTED, State.REFUSED)
REQUESTS = 200
BATCH = 5000


def fake_rows(n: int, campaign, campaign_id: str, rng: random.Random, reviewers: int = 40):
    """(nominations row, reviews row) pairs, the queue's copies as the consumer writes them, assigned to
    `reviewers` working-group reviewers bench-wg-0, bench-wg-1, ..."""
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        place = PLACES[2 * rng.randrange(len(PLACES) // 2):][:2]
        unit = f"{place}{rng.choice('东南西北中新')}{rng.choice(UNITS)}"
        honours = rng.choice((0, 0, 0, 1, 2, 3))
        flags = ["no_seal"] if rng.random() < 0.03 else []
        shared = {"nomination_id": f"bench-{campaign_id}-{i:06d}", "nominee_name": name,
                  "domain": rng.choice(campaign.domains), "channel": rng.choice(campaign.channel_codes),
                  "media_priority": honours > 0, "media_honours": honours,
                  "submitted_at": (start + timedelta(seconds=i * 50)).isoformat()}
        yield ({**shared, "campaign_id": campaign_id, "status": "submitted", "version": 1,
                "snapshot": {"nominee_name": name}, "nominee_kind": "person", "unit": unit, "recommender_id": "",
                "recommender_name": "", "scan_flags": flags},
               {**shared, "state": rng.choice(STATES), "version_seen": 1, "assigned_to": f"bench-wg-{rng.randrange(reviewers)}",
                "flagged": bool(flags), "search_text": search_text(name, unit), "search_terms": search_terms(name, unit)})


def load(engine, n: int, campaign, campaign_id: str, reviewers: int = 40) -> float:
    started = time.perf_counter()
    rng = random.Random(16)
    batch_n, batch_r = [], []
    with engine.begin() as conn:
        for row_n, row_r in fake_rows(n, campaign, campaign_id, rng, reviewers):
            batch_n.append(row_n)
            batch_r.append(row_r)
            if len(batch_n) == BATCH:
                conn.execute(sa.insert(nominations), batch_n)
                conn.execute(sa.insert(reviews), batch_r)
                batch_n, batch_r = [], []
        if batch_n:
            conn.execute(sa.insert(nominations), batch_n)
            conn.execute(sa.insert(reviews), batch_r)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # What autovacuum does within minutes of a load: the counts then read the narrow indexes alone.
        conn.execute(sa.text("VACUUM ANALYZE reviews"))
        conn.execute(sa.text("VACUUM ANALYZE nominations"))
    return time.perf_counter() - started


def remove(engine, campaign_id: str) -> None:
    with engine.begin() as conn:
        ids = sa.select(nominations.c.nomination_id).where(nominations.c.campaign_id == campaign_id)
        conn.execute(sa.delete(reviews).where(reviews.c.nomination_id.in_(ids)))
        conn.execute(sa.delete(nominations).where(nominations.c.campaign_id == campaign_id))


def timed(sessions, actor: StaffMember, filters: list[QueueFilter]) -> dict:
    times = []
    with sessions() as session:
        for f in filters:
            started = time.perf_counter()
            queue_page(session, actor, f)
            times.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(times, n=100)
    return {"requests": len(times), "p50_ms": round(statistics.median(times), 1), "p95_ms": round(quantiles[94], 1),
            "p99_ms": round(quantiles[98], 1), "max_ms": round(max(times), 1)}


def scenarios(campaign, rng: random.Random) -> dict[str, tuple[StaffMember, list[QueueFilter]]]:
    secretariat = StaffMember("bench-sec", "秘书处", Role.SECRETARIAT)
    worker = StaffMember("bench-wg-7", "审核员", Role.WORKING_GROUP, domains=campaign.domains[:2], unit="无关单位")
    branch = StaffMember("bench-br", "专委会", Role.BRANCH, domains=campaign.domains[2:3], unit="专委会")
    pages = lambda: rng.randint(1, 20)  # noqa: E731
    return {
        "queue, secretariat, all, pages 1-20": (secretariat, [QueueFilter(page=pages()) for _ in range(REQUESTS)]),
        "queue, secretariat, domain + state filters": (secretariat, [
            QueueFilter(domain=rng.choice(campaign.domains), state=State.MATERIAL_CHECK, page=pages())
            for _ in range(REQUESTS)]),
        "queue, working group (2 domains), R10 first": (worker, [QueueFilter(sort="priority", page=pages())
                                                                  for _ in range(REQUESTS)]),
        "queue, working group, assigned to me": (worker, [QueueFilter(mine=True) for _ in range(REQUESTS)]),
        "queue, branch (approved of its domain)": (branch, [QueueFilter(page=rng.randint(1, 3)) for _ in range(REQUESTS)]),
        "search by name (2 characters)": (secretariat, [
            QueueFilter(q=rng.choice(SURNAMES) + rng.choice(GIVEN)) for _ in range(REQUESTS)]),
        "search by unit": (secretariat, [QueueFilter(q=PLACES[2 * rng.randrange(len(PLACES) // 2):][:2] + "东")
                                         for _ in range(REQUESTS)]),
        "search, working group": (worker, [QueueFilter(q=rng.choice(SURNAMES) + rng.choice(GIVEN))
                                           for _ in range(REQUESTS)]),
    }


def measure(n: int = 100_000) -> dict:
    """The figures for `n` nominations (the servers set up already)."""
    settings = Settings.from_env("review")
    campaign = load_campaign(settings.campaign_file)
    engine = make_engine(settings.database_url)
    campaign_id = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        print(f"loading {n} nominations ...", flush=True)
        load_seconds = load(engine, n, campaign, campaign_id)
        sessions = make_session_factory(engine)
        rng = random.Random(7)
        results = {name: timed(sessions, actor, filters) for name, (actor, filters) in scenarios(campaign, rng).items()}
    finally:
        remove(engine, campaign_id)
        engine.dispose()
    return {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "nominations": n,
            "load_seconds": round(load_seconds, 1), "target_p95_ms": 150, "machine": {"cpus": os.cpu_count()},
            "results": results}


def markdown_rows(review: dict) -> list[str]:
    rows = [f"Review's queue and search with {review['nominations']:,} nominations in the read model "
            f"(target p95 < {review['target_p95_ms']} ms).", "",
            "| query | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|"]
    rows += [f"| {name} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} |" for name, r in review["results"].items()]
    return rows


def main(n: int = 100_000) -> dict:
    from shared.setup import set_up

    set_up(dict(os.environ))
    report = measure(n)
    results = report["results"]
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    for name, result in results.items():
        verdict = "ok" if result["p95_ms"] < 150 else "OVER"
        print(f"{name:<48} p50 {result['p50_ms']:>7} ms  p95 {result['p95_ms']:>7} ms  p99 {result['p99_ms']:>7} ms  {verdict}")
    return report


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
