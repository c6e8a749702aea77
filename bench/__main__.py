"""`make bench`: the system measured against this machine's own limits, side by side in one run.

    python -m bench [--quick] [--parts intake,scans,scale,burst] [--seconds S] [--rounds N] [--burst N]

Parts (all by default, in this order):
  e2e     submission commit -> review's read model, notify's records, the archive, at 20/s, p50/p99,
          beside Kafka's own produce -> consume time
  intake  nominations/s at 1, 4, 8, 16 clients through the JSON API and the HTML pages, with p50/p99 and
          each request's figures, beside raw S3 PUTs of the same files and a bare endpoint in the same
          gunicorn; the scan backlog after each level; every process's resident memory idle and under load.
          The last evening (nobody's submission waits for its scans) unless --usual-day
  scans   files/s through Celery beside the same checks in-process (the cost of Celery)
  scale   the scan rate with 20,000 uploads stored beside an empty store
  burst   the time a 1,000-nomination burst's scan backlog takes to drain
  review  review's queue and search with 100,000 nominations in its read model, p50/p95/p99 (bench/review_queue.py)
  notice  the public notice (公示) with 100 candidates: requests/s and p50/p99 against /healthz of the same gunicorn
          (bench/public_notice.py)
  staff   intake's list of nominations for the secretariat with 10,000 nominations: whole page requests, p50/p95/p99,
          and the Excel export of all (bench/staff_list.py)
--quick makes every part small (a minute or two in all), for trying the bench itself.

The servers must be up (the Makefile brings its devstack profile up and exports its environment).
Writes bench/results/<date>.json, <date>.md (the tables) and <date>.png (the chart), and latest.md.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench import report

RESULTS = Path(__file__).with_name("results")
PARTS = ("e2e", "intake", "scans", "scale", "burst", "review", "notice", "staff")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="every part small, to try the bench itself")
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--seconds", type=float, help="seconds per intake level (default 15, quick 5)")
    parser.add_argument("--rounds", type=int, help="rounds of the scan mix (default 5, quick 1)")
    parser.add_argument("--burst", type=int, help="nominations in the burst (default 1000, quick 50)")
    parser.add_argument("--seeded", type=int, help="uploads stored for the scale part (default 20000, quick 2000)")
    parser.add_argument("--worker-nice", type=int, default=int(os.environ.get("TUIJU_BENCH_WORKER_NICE", "0")),
                        help="added to the Procfile's own nice for the scan worker during the intake part")
    parser.add_argument("--usual-day", action="store_true",
                        help="intake part: submissions wait for their scans as the campaign says (default: the last "
                             "evening, when nobody waits)")
    return parser.parse_args()


def run(args: argparse.Namespace) -> dict:
    from bench import end_to_end, intake_bench, scans, scans_scale
    from shared.setup import set_up

    set_up(dict(os.environ))
    quick = args.quick
    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    results: dict = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "quick": quick,
                     "machine": {"cpus": os.cpu_count(), "load_before": round(os.getloadavg()[0], 2)}}
    intake = scans.open_intake()
    try:
        with tempfile.TemporaryDirectory(prefix="tuiju-bench-") as log_dir:
            if "e2e" in parts:
                results["e2e"] = end_to_end.measure(intake, {}, Path(log_dir), seconds=10 if quick else end_to_end.SECONDS)
            if "intake" in parts:
                results["intake"] = intake_bench.measure(
                    intake, {}, Path(log_dir), levels=(1, 4) if quick else intake_bench.LEVELS,
                    seconds=args.seconds or (5 if quick else 15), worker_nice=args.worker_nice,
                    usual_day=args.usual_day)
            if "scans" in parts:
                results["scans"] = scans.measure(intake, args.rounds or (1 if quick else scans.DEFAULT_ROUNDS))
            if "scale" in parts:
                results["scale"] = scans_scale.scan_rate_with_stored_uploads(
                    intake, args.rounds or (1 if quick else scans.DEFAULT_ROUNDS),
                    seeded=args.seeded or (2_000 if quick else scans_scale.SEEDED_UPLOADS))
            if "review" in parts:
                from bench import review_queue

                results["review"] = review_queue.measure(10_000 if quick else 100_000)
            if "notice" in parts:
                from bench import public_notice

                results["notice"] = public_notice.measure(4 if quick else 20, Path(log_dir))
            if "staff" in parts:
                from bench import staff_list

                results["staff"] = staff_list.measure(2_000 if quick else 10_000)
            if "burst" in parts:
                results["burst"] = scans_scale.burst_drain(intake, Path(log_dir),
                                                           args.burst or (50 if quick else scans_scale.BURST_NOMINATIONS))
    finally:
        intake.engine.dispose()
    results["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    return results


def with_earlier_parts(results: dict) -> dict:
    """A run of some parts keeps the other parts of the newest earlier run (each noted with its time), so
    that `--parts e2e` does not empty the day's table of what it did not measure."""
    earlier = sorted(RESULTS.glob("20[0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"))
    if not earlier:
        return results
    previous = json.loads(earlier[-1].read_text())
    kept = {part: previous[part] for part in PARTS if part in previous and part not in results}
    if not kept:
        return results
    when = {part: (previous.get("kept_from") or {}).get(part, previous["measured_at"]) for part in kept}
    return {**results, **kept, "kept_from": when}


def main() -> None:
    os.environ.setdefault("TUIJU_DEMO", "1")  # the processes' campaign is open now, as under make run
    os.environ.setdefault("TUIJU_DEMO_ANCHOR", datetime.now(timezone.utc).isoformat(timespec="seconds"))
    results = with_earlier_parts(run(arguments()))
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / datetime.now(timezone.utc).strftime("%Y-%m-%d")
    stem.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    chart = report.chart(results, stem.with_suffix(".png"))
    table = report.markdown(results, chart.name if chart else None)
    stem.with_suffix(".md").write_text(table)
    (RESULTS / "latest.md").write_text(table)
    print("\n" + table)
    print(f"written: {stem}.json, .md{', .png' if chart else ''} and {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
