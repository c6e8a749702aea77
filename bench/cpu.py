"""CPU seconds spent by each of the system's processes and servers, read from /proc: on a machine shared
with other work, what a nomination costs in CPU is steadier than how long it takes."""
from __future__ import annotations

import os
from pathlib import Path

from bench.processes import REPO

TICK = os.sysconf("SC_CLK_TCK")
SERVERS = ("postgres", "s3", "redis", "kafka")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_seconds(root: int, tree: dict[int, list[int]]) -> float:
    """The root's and its live descendants' CPU time, with what their ended children used."""
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if fields := _stat(pid):
            total += sum(int(value) for value in fields[11:15]) / TICK  # utime stime cutime cstime
        stack += tree.get(pid, [])
    return total


def server_pids(profile: str) -> dict[str, int]:
    root = REPO / ".devstack" / profile
    files = {name: root / "pids" / f"{name}.pid" for name in SERVERS}
    files["postgres"] = root / "postgres" / "postmaster.pid"
    pids = {}
    for name, path in files.items():
        try:
            pids[name] = int(path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return pids


class CpuMeter:
    """CPU seconds per named process tree: `measure()` before and after, `since(before)` the difference."""

    def __init__(self, system, profile: str | None = None):
        self.system = system
        self.servers = server_pids(profile or os.environ.get("TUIJU_DEVSTACK_PROFILE", "test"))

    def measure(self) -> dict[str, float]:
        tree = _children()
        roots = {name: process.pid for name, process in self.system.processes.items()} | self.servers
        return {name: tree_seconds(pid, tree) for name, pid in roots.items()}

    def since(self, before: dict[str, float]) -> dict[str, float]:
        now = self.measure()
        return {name: now[name] - before.get(name, 0.0) for name in now}
