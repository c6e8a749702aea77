"""Republish the archive into a topic, to rebuild a read model after Kafka's retention dropped the events.

    python -m services.archive.replay --topic TOPIC [--campaign ID] [--nomination ID]
                                      [--since 2023-03-01T00:00:00+08:00] [--until ...] [--dry-run]

Without --topic each event goes back to its own topic (every consumer group sees it again; their inboxes
ignore what they already applied). Times without a zone are Asia/Shanghai."""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from services.archive.bootstrap import bootstrap
from services.archive.domain.selection import Selection
from services.archive.service_layer.replay import archived_events, replay

SHANGHAI = ZoneInfo("Asia/Shanghai")


def instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效的时间：{text} / not a date and time (ISO 8601)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Republish the archive's events into a topic.")
    parser.add_argument("--topic", help="target topic (default: each event's own topic)")
    parser.add_argument("--campaign")
    parser.add_argument("--nomination")
    parser.add_argument("--since", type=instant)
    parser.add_argument("--until", type=instant)
    parser.add_argument("--dry-run", action="store_true", help="count what would be replayed, publish nothing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    archive = bootstrap()
    selection = Selection(args.campaign, args.nomination, args.since, args.until)
    if args.dry_run:
        print(f"将重放 {sum(1 for _ in archived_events(archive, selection))} 个事件 / events would be replayed")
        return 0
    print(f"已重放 {replay(archive, selection, args.topic)} 个事件 / events replayed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
