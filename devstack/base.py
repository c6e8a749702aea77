"""The pure parts every server module shares: profiles and their ports, file layout, errors, the cache."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Dict

REPO = Path(__file__).resolve().parent.parent
STATE_ROOT = REPO / ".devstack"

# "test1".."test6" let several checkouts of the project (git worktrees) run their tests side by side.
# test7 sits apart: an offset 7000 away from another profile would put its SMTP port on the other's Mailpit API.
PROFILE_OFFSETS = {"run": 0, "test": 10000, **{f"test{n}": 10000 + 1000 * n for n in range(1, 7)}, "test7": 23500}
# Profiles are 1000 apart: a new base port must differ from every other by no multiple of 1000 (unit-tested).
BASE_PORTS = {
    "kafka": 9092,
    "kafka_controller": 9093,
    "s3": 9000,
    "s3_console": 9001,
    "redis": 6379,
    "postgres": 5432,
    "smtp": 1025,
    "mailpit": 8025,
    "keycloak": 8080,
    "keycloak_management": 9180,
    # The optional three-broker Kafka (devstack/servers/kafka_ha.py), started only by the test that needs it.
    "kafka_ha1": 4192, "kafka_ha1_controller": 4193,
    "kafka_ha2": 4292, "kafka_ha2_controller": 4293,
    "kafka_ha3": 4392, "kafka_ha3_controller": 4393,
}


class DevstackError(Exception):
    """A step that failed; str() is the one line shown to the user (which step, why, where the log is)."""


class CommandFailed(DevstackError):
    """A command run by a step exited badly; its output is in log."""

    def __init__(self, step: str, reason: str, log: Path):
        self.step, self.reason, self.log = step, reason, log
        super().__init__(f"{step}: {reason}; see {relative(log)}")


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def check_profile(profile: str) -> str:
    if profile not in PROFILE_OFFSETS:
        raise DevstackError(f"unknown profile {profile!r}; use one of: {', '.join(PROFILE_OFFSETS)}")
    return profile


def ports_for(profile: str) -> Dict[str, int]:
    offset = PROFILE_OFFSETS[check_profile(profile)]
    return {name: port + offset for name, port in BASE_PORTS.items()}


def cache_dir() -> Path:
    configured = os.environ.get("TUIJU_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "tuiju"


def go_binary(name: str) -> Path:
    return cache_dir() / "bin" / name


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where one profile keeps its servers' data, logs and pid files."""

    root: Path

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def pidfile(self, name: str) -> Path:
        return self.pids / f"{name}.pid"

    def data(self, name: str) -> Path:
        return self.root / name


def layout_for(profile: str) -> Layout:
    return Layout(STATE_ROOT / check_profile(profile))


def provision_log(step: str) -> Path:
    return STATE_ROOT / "logs" / f"provision-{step}.log"


def status_line(name: str, up: bool, port: int, pid) -> str:
    return f"{name:<9} {'up' if up else 'down':<5} port {port:<6} pid {pid if pid else '-'}"
