"""Redis from Debian's package, without persistence."""
from __future__ import annotations

import shutil
import socket
import subprocess
from typing import Dict

from devstack.base import DevstackError, Layout, ports_for
from devstack.processes import spawn
from devstack.server import Server


def env(profile: str) -> Dict[str, str]:
    return {"TUIJU_REDIS_URL": f"redis://127.0.0.1:{ports_for(profile)['redis']}"}


def answers(profile: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", ports_for(profile)["redis"]), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start(profile: str, layout: Layout) -> subprocess.Popen:
    data = layout.data("redis")
    data.mkdir(exist_ok=True)
    redis = shutil.which("redis-server")
    if not redis:
        raise DevstackError("redis: redis-server is not installed; run: devstack.py provision")
    return spawn(layout, "redis", [
        redis, "--port", str(ports_for(profile)["redis"]), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--daemonize", "no", "--dir", str(data),
    ])


SERVER = Server(name="redis", ports=("redis",), marker="redis-server", ready_timeout=20.0, stop_grace=10.0,
                start=start, answers=answers, env=env)
