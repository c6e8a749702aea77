"""Mailpit: a real SMTP server with a REST API to read what was sent, built from the Go module proxy."""
from __future__ import annotations

import subprocess
from typing import Dict

from devstack.base import Layout, ports_for
from devstack.processes import http_status, spawn, tcp_open
from devstack.provisioning import go_tool, install_go_tool
from devstack.server import Server

PACKAGE, VERSION = "github.com/axllent/mailpit", "v1.33.1"


def env(profile: str) -> Dict[str, str]:
    ports = ports_for(profile)
    return {
        "TUIJU_SMTP_HOST": "127.0.0.1",
        "TUIJU_SMTP_PORT": str(ports["smtp"]),
        "TUIJU_MAILPIT_API": f"http://127.0.0.1:{ports['mailpit']}",
    }


def answers(profile: str) -> bool:
    ports = ports_for(profile)
    return http_status(ports["mailpit"], "/api/v1/info") == 200 and tcp_open(ports["smtp"])


def start(profile: str, layout: Layout) -> subprocess.Popen:
    ports = ports_for(profile)
    data = layout.data("mailpit")
    data.mkdir(exist_ok=True)
    return spawn(layout, "mailpit", [
        go_tool("mailpit"), "--smtp", f"127.0.0.1:{ports['smtp']}", "--listen", f"127.0.0.1:{ports['mailpit']}",
        "--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--database", str(data / "mailpit.db"),
        "--max", "20000", "--disable-version-check",
    ])


SERVER = Server(name="mailpit", ports=("mailpit", "smtp"), marker="mailpit", ready_timeout=30.0, stop_grace=10.0,
                start=start, answers=answers, env=env, provision=lambda: install_go_tool("mailpit", PACKAGE, VERSION))
