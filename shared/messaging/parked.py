"""Outbox rows the broker refused for good, for the operator: list them, and once the cause is fixed
(a topic created, its size limit raised) put them back in the relay's queue.

    python -m shared.messaging.parked intake                 # list
    python -m shared.messaging.parked intake --retry 41 42   # these rows again
    python -m shared.messaging.parked intake --retry-all
"""
from __future__ import annotations

import argparse

from shared.config import Settings
from shared.db import SERVICES, make_engine
from shared.messaging.outbox import parked_rows, unpark


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.messaging.parked", description=__doc__.splitlines()[0])
    parser.add_argument("service", choices=SERVICES)
    parser.add_argument("--retry", nargs="+", type=int, metavar="ID", help="send these parked rows again")
    parser.add_argument("--retry-all", action="store_true", help="send every parked row again")
    args = parser.parse_args(argv)
    engine = make_engine(Settings.from_env(args.service).database_url)
    if args.retry or args.retry_all:
        count = unpark(engine, None if args.retry_all else args.retry)
        print(f"{count} row(s) back in the relay's queue")
        return 0
    rows = parked_rows(engine, limit=1000)
    for row in rows:
        print(f"{row.id}\t{row.failed_at:%Y-%m-%d %H:%M:%S}\t{row.event_type}\t{row.topic}\t{row.key}\t{row.failure}")
    print(f"{len(rows)} parked row(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
