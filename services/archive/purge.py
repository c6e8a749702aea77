"""The PIPL purge of a campaign's personal data, by hand (the sealer asks by itself once the campaign's
retention period is over):

    python -m services.archive.purge status CAMPAIGN_ID     who has confirmed, who not yet
    python -m services.archive.purge request CAMPAIGN_ID    ask every service now (once per campaign)
"""
from __future__ import annotations

import argparse
import sys

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.purge import purge_due_at, purge_status, request_purge


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="个人信息清除 / PIPL purge of a campaign's personal data")
    parser.add_argument("action", choices=("status", "request"))
    parser.add_argument("campaign_id")
    args = parser.parse_args(argv)
    archive = bootstrap()
    if args.action == "request":
        asked = request_purge(archive, args.campaign_id)
        print("已请求各服务清除个人信息" if asked else "此前已请求过，不再重复")
    status = purge_status(archive, args.campaign_id)
    if status is None:
        due = purge_due_at(archive).isoformat() if args.campaign_id == archive.campaign.id else "—"
        print(f"尚未请求清除（到期：{due}）")
        return 0
    print(f"请求时间：{status['requested_at']:%Y-%m-%d %H:%M}；已确认：{'、'.join(status['confirmed']) or '无'}；"
          f"待确认：{'、'.join(status['waiting_for']) or '无'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
