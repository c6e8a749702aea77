"""Review's consumer per `nomination.submitted`, in-process and load-independent: CPU ms in the consumer's
own process and in its PostgreSQL backend, and the statements it sends, per event; alone (one transaction
per event, as when the consumer keeps up) and in batches (as when it is behind).

    python -m bench.review_consumer [EVENTS] [--existing N] [--batch B] [--profile]

The servers must be up and the environment exported (as for `make bench`). The review database gets a
working group of its own (bench-wg-0..19, kept), N nominations already in review (default 5,000, removed
after) and the events' nominations (removed after; their audit entries stay, the trail refuses deletes).
--profile prints cProfile's top functions of the single-event run. Results: bench/results/review-consumer.json
(each run appended under its label, TUIJU_BENCH_LABEL, default "run")."""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event as sa_event

from bench.cpu import TICK, _stat

RESULTS = Path(__file__).with_name("results") / "review-consumer.json"
REVIEWERS = 20


def working_group(review) -> None:
    """Twenty working-group reviewers, each of two of the campaign's domains (kept between runs)."""
    from services.review.domain.people import Role, StaffMember
    from services.review.service_layer.staff import save_member

    domains = review.campaign.domains
    with review.sessions.begin() as session:
        for number in range(REVIEWERS):
            member = StaffMember(f"bench-wg-{number}", f"评审{number}", Role.WORKING_GROUP,
                                 domains=(domains[number % len(domains)], domains[(number + 1) % len(domains)]),
                                 unit=f"评审单位{number}")
            save_member(session, member, by=None, at=review.clock())


def existing(review, count: int) -> str:
    """`count` nominations already in review, of the campaign (bench/review_queue's rows); their id prefix."""
    from bench.review_queue import load

    prefix = f"bench-{review.campaign.id}"
    remove(review, prefix)
    if count:
        load(review.engine, count, review.campaign, review.campaign.id, reviewers=REVIEWERS)
    return prefix


def remove(review, prefix: str) -> None:
    from services.review.adapters.orm import nomination_versions, nominations, reviews, scan_findings, staff_conflicts
    from shared.db import inbox_table

    inbox = inbox_table(sa.MetaData())
    with review.engine.begin() as conn:
        for table in (staff_conflicts, nomination_versions, scan_findings, reviews, nominations):
            conn.execute(sa.delete(table).where(table.c.nomination_id.like(f"{prefix}-%")))
        conn.execute(sa.delete(inbox).where(inbox.c.consumer_group == "bench-review-consumer"))


def events(review, count: int, prefix: str) -> list:
    from shared.events import new_event
    from tests.builders import random_name
    from tests.unit.notify.builders import submission

    rng = random.Random(19)
    made = []
    for number in range(count):
        nomination_id = f"{prefix}-e{uuid.uuid4().hex[:12]}"
        person = {**submission()["person"], "name": random_name("钱"), "unit": f"某省{rng.randrange(400)}大学后勤处"}
        payload = submission(nomination_id=nomination_id, campaign_id=review.campaign.id, nominee_name=person["name"],
                             person=person, domain=rng.choice(review.campaign.domains),
                             recommender={"org_id": f"ORG-{rng.randrange(200)}", "name": f"某省{rng.randrange(30)}教育后勤协会",
                                          "type": "local_association", "email": "office@example.org"})
        made.append(new_event("nomination.submitted", nomination_id, payload, producer="intake"))
    return made


class Statements:
    """Counts the statements an engine sends."""

    def __init__(self, engine):
        self.count = 0
        sa_event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *_args) -> None:
        self.count += 1


def backend_seconds(pid: int) -> float:
    fields = _stat(pid)
    return sum(int(value) for value in fields[11:13]) / TICK if fields else 0.0


def run(review, runner, batch: list, size: int) -> dict:
    """The events through the runner's transaction (inbox row + handler), `size` per transaction."""
    from services.review.service_layer.handlers import make_handlers

    handler = make_handlers(review)["nomination.submitted"]
    with review.engine.connect() as conn:
        backend = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    statements = Statements(review.engine)
    cpu, db, wall = time.process_time(), backend_seconds(backend), time.perf_counter()
    for start in range(0, len(batch), size):
        with review.sessions.begin() as session:
            for event in batch[start:start + size]:
                runner._claim_and_apply(session, event, handler, None)
    n = len(batch)
    sa_event.remove(review.engine, "before_cursor_execute", statements._one)
    return {"events": n, "per_transaction": size,
            "consumer_cpu_ms": round(1000 * (time.process_time() - cpu) / n, 2),
            "postgres_cpu_ms": round(1000 * (backend_seconds(backend) - db) / n, 2),
            "statements": round(statements.count / n, 1), "wall_ms": round(1000 * (time.perf_counter() - wall) / n, 2)}


def measure(count: int, existing_count: int, batch: int, profile: bool) -> dict:
    from services.review.bootstrap import bootstrap
    from shared.config import Settings
    from shared.db import make_engine, make_session_factory
    from shared.messaging.consumer import ConsumerRunner

    review = bootstrap()
    # One connection, so that its backend's CPU is the consumer's.
    review.engine = make_engine(Settings.from_env("review").database_url, pool_size=1, max_overflow=0)
    review.sessions = make_session_factory(review.engine)
    runner = ConsumerRunner(group="bench-review-consumer", topics=[], handlers={}, sessions=review.sessions,
                            bootstrap=review.settings.kafka_bootstrap)
    working_group(review)
    prefix = existing(review, existing_count)
    try:
        run(review, runner, events(review, 20, prefix), 1)  # warm: imports, the plans' first parse
        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        alone = run(review, runner, events(review, count, prefix), 1)
        if profiler:
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
            print(out.getvalue())
        batched = run(review, runner, events(review, count, prefix), batch)
    finally:
        remove(review, prefix)
        review.engine.dispose()
    return {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "existing": existing_count,
            "reviewers": REVIEWERS, "alone": alone, "batched": batched, "load": round(os.getloadavg()[0], 2)}


def main() -> None:
    from shared.setup import set_up

    parser = argparse.ArgumentParser(prog="python -m bench.review_consumer")
    parser.add_argument("events", nargs="?", type=int, default=300)
    parser.add_argument("--existing", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    set_up(dict(os.environ))
    figures = measure(args.events, args.existing, args.batch, args.profile)
    print(json.dumps(figures, indent=2))
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    kept[os.environ.get("TUIJU_BENCH_LABEL", "run")] = figures
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(kept, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
