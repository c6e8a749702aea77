"""The test profile of the devstack: real servers on ports +10000, started once per test run."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEVSTACK = [sys.executable, str(REPO / "devstack" / "devstack.py")]
PROFILE = os.environ.get("TUIJU_DEVSTACK_PROFILE", "test")


def devstack(*args: str, check: bool = True) -> str:
    result = subprocess.run([*DEVSTACK, *args, "--profile", PROFILE], cwd=REPO, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"devstack {' '.join(args)} failed: {result.stdout[-2000:]} {result.stderr[-2000:]}")
    return result.stdout


def stack_env() -> dict[str, str]:
    env = {}
    for line in devstack("env").splitlines():
        line = line.strip()
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            env[name] = value.strip("'\"")
    env["TUIJU_ENV"] = "test"  # said explicitly: without it, settings are production's
    # A niced scan worker's scan waits at most this long for a busy machine (shared.foreground_load): the
    # suites' browsers and loads keep it busy, and their waits for scans have bounds of their own.
    env.setdefault("TUIJU_SCAN_YIELD_SECONDS", os.environ.get("TUIJU_SCAN_YIELD_SECONDS", "2"))
    return env


def ensure_stack_up() -> dict[str, str]:
    devstack("up")
    env = stack_env()
    os.environ.update(env)
    return env


def kill_server(name: str) -> None:
    devstack("kill", name)


def start_server(name: str) -> None:
    devstack("start", name)


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.2, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    if not predicate():
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")
