"""Real servers for Tuiju on one machine, without Docker.

    python3 devstack/devstack.py provision                  install what is missing (idempotent, quick when done)
    python3 devstack/devstack.py up --profile test --fresh  start PostgreSQL, Redis, Kafka, S3 (Versity), Mailpit, Keycloak
    python3 devstack/devstack.py env --profile test         export lines for the services
    python3 devstack/devstack.py status | logs [SERVER] | down | kill SERVER | start SERVER | stop SERVER
    python3 devstack/devstack.py up kafka-ha1 kafka-ha2 kafka-ha3 --profile test1   three brokers (optional);
    python3 devstack/devstack.py env --kafka-ha --profile test1                    their environment

Profile "run" uses the usual ports; profile "test" the same plus 10000 (test1..test6: 11000..16000 more), so
tests can run beside the demo. Each profile keeps its data in <repo>/.devstack/<profile>/ (git-ignored);
downloads and builds are cached in $TUIJU_CACHE or ~/.cache/tuiju, outside the repo, so that fresh clones (CI)
reuse them.

Standard library only: this runs before the project's virtualenv exists.
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from devstack.base import PROFILE_OFFSETS, DevstackError, layout_for, relative
from devstack.lifecycle import down, kill_server, render_env, server_status, start_server, stop_servers, tail, up
from devstack.provision import provision
from devstack.servers import EVERY_SERVER, OPTIONAL, SERVERS


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="devstack.py", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def with_profile(sub: argparse.ArgumentParser, default: Optional[str] = "run") -> argparse.ArgumentParser:
        sub.add_argument("--profile", choices=sorted(PROFILE_OFFSETS), default=default)
        return sub

    commands.add_parser("provision", help="install the servers (Debian packages, Go builds, Kafka's and Keycloak's jars)")
    up_command = with_profile(commands.add_parser("up", help="start every server and wait until each answers"))
    up_command.add_argument("--fresh", action="store_true", help="wipe the profile's data first")
    up_command.add_argument("servers", nargs="*", metavar="SERVER",
                            help=f"only these (default: {' '.join(SERVERS)}; optional: {' '.join(OPTIONAL)})")
    with_profile(commands.add_parser("down", help="stop every server of the profile"))
    with_profile(commands.add_parser("status", help="one line per server"), default=None)
    with_profile(commands.add_parser("env", help="export lines for the services")).add_argument(
        "--kafka-ha", action="store_true", help="the three Kafka brokers (kafka-ha1..3) instead of the single one")
    logs = with_profile(commands.add_parser("logs", help="tail of the servers' logs"))
    logs.add_argument("server", nargs="?", choices=EVERY_SERVER)
    logs.add_argument("-n", "--lines", type=int, default=40)
    with_profile(commands.add_parser("stop", help="stop these servers (side by side)")).add_argument(
        "servers", nargs="+", choices=EVERY_SERVER, metavar="SERVER")
    for name, help_text in (("start", "start one server"), ("kill", "SIGKILL one server (fault tests)")):
        with_profile(commands.add_parser(name, help=help_text)).add_argument("server", choices=EVERY_SERVER)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    if args.command == "provision":
        provision()
    elif args.command == "up":
        unknown = [name for name in args.servers if name not in EVERY_SERVER]
        if unknown:
            raise DevstackError(f"unknown server {unknown[0]!r}; use one of: {', '.join(EVERY_SERVER)}")
        up(args.profile, fresh=args.fresh, servers=args.servers or SERVERS)
    elif args.command == "down":
        down(args.profile)
    elif args.command == "status":
        for profile in [args.profile] if args.profile else list(PROFILE_OFFSETS):
            print(f"[{profile}]")
            print("\n".join(server_status(profile)))
    elif args.command == "env":
        sys.stdout.write(render_env(args.profile, kafka_ha=args.kafka_ha))
    elif args.command == "logs":
        layout = layout_for(args.profile)
        for name in [args.server] if args.server else SERVERS:
            print(f"==> {relative(layout.log(name))} <==")
            sys.stdout.write(tail(layout.log(name), args.lines))
    elif args.command == "start":
        seconds = start_server(args.profile, args.server)
        print(f"{args.server} {'already up' if seconds == 0.0 else f'ready in {seconds:.1f} s'}")
    elif args.command == "stop":
        for name, was_running in stop_servers(args.profile, args.servers).items():
            print(f"{name} {'stopped' if was_running else 'was not running'}")
    elif args.command == "kill":
        pid = kill_server(args.profile, args.server)
        print(f"{args.server} {'killed (pid %d)' % pid if pid else 'was not running'}")


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except DevstackError as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
