"""The S3 server: Versity S3 Gateway over a folder, built from the Go module proxy."""
from __future__ import annotations

import os
import subprocess
from typing import Dict

from devstack.base import Layout, ports_for
from devstack.processes import http_status, spawn
from devstack.provisioning import go_tool, install_go_tool
from devstack.server import Server

S3_ACCESS_KEY = "tuiju"
S3_SECRET_KEY = "tuiju-secret-key"
PACKAGE, VERSION = "github.com/versity/versitygw/cmd/versitygw", "v1.8.0"


def env(profile: str) -> Dict[str, str]:
    return {
        "TUIJU_S3_ENDPOINT": f"127.0.0.1:{ports_for(profile)['s3']}",
        "TUIJU_S3_ACCESS_KEY": S3_ACCESS_KEY,
        "TUIJU_S3_SECRET_KEY": S3_SECRET_KEY,
        "TUIJU_S3_SECURE": "0",
    }


def answers(profile: str) -> bool:
    return http_status(ports_for(profile)["s3"], "/") in (200, 403)


def start(profile: str, layout: Layout) -> subprocess.Popen:
    ports = ports_for(profile)
    data = layout.data("s3")
    for folder in ("buckets", "versions"):
        (data / folder).mkdir(parents=True, exist_ok=True)
    # --keep-alive: without it every answer says `Connection: close`, and each GET of an export of thousands of
    # files opens a TCP connection of its own (MinIO, in compose and Kubernetes, keeps connections alive).
    return spawn(layout, "s3", [
        go_tool("versitygw"), "--keep-alive", "--port", f"127.0.0.1:{ports['s3']}", "--webui", f"127.0.0.1:{ports['s3_console']}",
        "--webui-no-tls", "--quiet", "posix", "--versioning-dir", str(data / "versions"), str(data / "buckets"),
    ], env=dict(os.environ, ROOT_ACCESS_KEY=S3_ACCESS_KEY, ROOT_SECRET_KEY=S3_SECRET_KEY))


# Versity has ignored the first TERM after heavy use: the lifecycle sends a second one, then KILL.
SERVER = Server(name="s3", ports=("s3", "s3_console"), marker="versitygw", ready_timeout=30.0, stop_grace=5.0,
                start=start, answers=answers, env=env, provision=lambda: install_go_tool("versitygw", PACKAGE, VERSION))
