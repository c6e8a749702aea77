"""Resident memory of the system's processes: once when idle, and the peak while a load runs."""
from __future__ import annotations

import threading
from pathlib import Path


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def snapshot(system) -> dict[str, dict]:
    """Per Procfile process: how many OS processes it runs, the largest one's RSS and their sum (MB)."""
    figures = {}
    for name, pids in system.pids().items():
        sizes = [rss_mb(pid) for pid in pids]
        figures[name] = {"processes": len(sizes), "max_mb": round(max(sizes, default=0), 1),
                         "total_mb": round(sum(sizes), 1)}
    return figures


class PeakSampler:
    """Samples every `interval` seconds in a thread; `peak` holds the largest figures seen per process."""

    def __init__(self, system, interval: float = 0.5):
        self.system, self.interval = system, interval
        self.peak: dict[str, dict] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for name, figures in snapshot(self.system).items():
                seen = self.peak.setdefault(name, dict(figures))
                for key in ("max_mb", "total_mb", "processes"):
                    seen[key] = max(seen[key], figures[key])
