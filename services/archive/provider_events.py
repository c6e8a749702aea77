"""Copy the identity provider's sign-in and admin events into the audit trail:
`python -m services.archive.provider_events [--days N]` (run it every few minutes: a Kubernetes CronJob, cron,
or `--every SECONDS`). Needs TUIJU_OIDC_ISSUER and the tuiju-audit client's secret TUIJU_OIDC_SECRET_AUDIT."""
from __future__ import annotations

import argparse
import os
import sys
import time

from services.archive.bootstrap import bootstrap
from services.archive.service_layer.provider_events import Provider, collect
from shared.metrics import serve_metrics

AUDIT_CLIENT = "tuiju-audit"


def audit_secret(settings) -> str:
    secret = os.environ.get("TUIJU_OIDC_SECRET_AUDIT", "")
    if not secret and settings.env in ("dev", "test"):
        secret = "tuiju-dev-audit-secret"  # the devstack realm's (devstack/servers/keycloak.py)
    return secret


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.archive.provider_events", description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=2, help="how far back to read (overlaps add nothing)")
    parser.add_argument("--every", type=int, default=0, help="repeat every this many seconds")
    args = parser.parse_args(argv)
    archive = bootstrap()
    secret = audit_secret(archive.settings)
    if not secret:
        print("TUIJU_OIDC_SECRET_AUDIT 未设置 / is not set", file=sys.stderr)
        return 2
    provider = Provider.from_issuer(archive.settings.oidc_issuer, AUDIT_CLIENT, secret)
    if args.every:
        serve_metrics("archive", "audit")
    while True:
        try:
            added = collect(provider, archive.sessions, args.days)
            if added or not args.every:
                print(f"provider events: {added} new", flush=True)
        except Exception as error:  # the provider or the database away: the next round tries again
            if not args.every:
                raise
            print(f"provider events: not read this round ({type(error).__name__}: {str(error)[:300]})", flush=True)
        if not args.every:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
