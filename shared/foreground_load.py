"""A background task waits while the machine's foreground processes keep its CPU busy.

The scan worker runs niced and under the idle CPU policy (shared.cpu_priority), so its own computing takes
only the forms' gaps. What it asks of the servers does not: each scan reads its file from S3, writes its
verdict and an event to PostgreSQL, and the relay sends that event, all at the forms' own priority.
Measured at 8 clients on the last evening: 29-36 nominations/s with scans running, 37-46 with the scan
worker stopped. So on a busy machine a scan first waits, up to a bound, until the foreground share of the
CPU (user, system and interrupt time of processes that are not niced; a niced process's user time is
counted apart, as "nice", in /proc/stat) falls below a threshold: scans lag behind on the last evening and
catch up after it, as issue 19 asks. On a machine of its own (the Kubernetes scan-worker deployment) the
share stays low and no scan waits.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

PROC_STAT = "/proc/stat"
SAMPLE_SECONDS = 0.2  # 40 ticks of two cores at Linux's 100 ticks a second
MIN_TICKS = 10  # fewer, and the share says little: read again after a sample
FRESH_SECONDS = 1.0  # a reading this recent (the previous scan's) measures the share since without sleeping


@dataclass(frozen=True)
class CpuTicks:
    foreground: int  # user + system + irq + softirq
    total: int  # every tick but steal (time the host gave to others)


def ticks_from(line: str) -> CpuTicks:
    """The aggregate "cpu  user nice system idle iowait irq softirq steal ..." line of /proc/stat."""
    values = [int(value) for value in line.split()[1:9]]
    user, _nice, system, _idle, _iowait, irq, softirq, steal = values + [0] * (8 - len(values))
    return CpuTicks(foreground=user + system + irq + softirq, total=sum(values) - steal)


def foreground_share(before: CpuTicks, after: CpuTicks) -> float:
    """The foreground's share of the CPU between two readings (0 when no tick passed)."""
    spent = after.total - before.total
    return max(0.0, min(1.0, (after.foreground - before.foreground) / spent)) if spent > 0 else 0.0


def read_ticks() -> CpuTicks | None:
    try:
        with open(PROC_STAT, encoding="ascii") as stat:
            return ticks_from(stat.readline())
    except (OSError, ValueError):
        return None  # not Linux, or /proc hidden: never wait


class ForegroundGate:
    """`wait()` before each background task. It keeps its last verdict and the reading it came from, so a
    task that follows another soon after is judged over the time since, without sleeping first."""

    def __init__(self, busy_share: float, longest_seconds: float, read: Callable[[], CpuTicks | None] = read_ticks,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.busy_share, self.longest_seconds = busy_share, longest_seconds
        self._read, self._sleep, self._clock = read, sleep, clock
        self._last: tuple[float, CpuTicks] | None = None
        self._quiet = True

    def wait(self) -> float:
        """Seconds waited: until the foreground's share falls below `busy_share`, at most `longest_seconds`."""
        started = self._clock()
        reading = self._read() if self.longest_seconds > 0 else None
        if reading is None or self._quiet_since_last(started, reading):
            return 0.0
        before = reading
        while self._clock() - started < self.longest_seconds:
            self._sleep(SAMPLE_SECONDS)
            after = self._read()
            if after is None:
                break
            if after.total - before.total >= MIN_TICKS:
                if self._judge(before, after):
                    break
                before = after
        return self._clock() - started

    def _quiet_since_last(self, now: float, reading: CpuTicks) -> bool:
        if self._last is None or now - self._last[0] > FRESH_SECONDS:
            return False
        if reading.total - self._last[1].total < MIN_TICKS:
            return self._quiet  # too short a time to judge: the last verdict stands
        return self._judge(self._last[1], reading)

    def _judge(self, before: CpuTicks, after: CpuTicks) -> bool:
        self._last, self._quiet = (self._clock(), after), foreground_share(before, after) < self.busy_share
        return self._quiet
