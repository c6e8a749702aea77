"""A real intake Celery worker (prefork pool) as a child process, for the scan tests and the benchmark.

It runs in its own process group, so that killing it (kill -9, as a machine that dies) takes its pool
processes with it, and nothing else."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).with_name("celery"))


class ScanWorker:
    def __init__(self, env: dict[str, str], log_dir: Path, *, name: str = "scans", concurrency: int = 2,
                 nice: int = 0):
        self.env = {**os.environ, **env}
        self.nice = nice
        self.log_dir = Path(log_dir)
        self.name = name
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.node = ""
        self.log_path: Path | None = None

    def start(self, timeout: float = 30.0) -> "ScanWorker":
        """A new worker with a node name of its own; returns once it answers a ping."""
        self.node = f"{self.name}-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log_path = self.log_dir / f"{self.node.split('@')[0]}.log"
        command = [CELERY, "-A", "services.intake.entrypoints.worker", "worker", "-Q", "scans,celery",
                   "-c", str(self.concurrency), "--pool", "prefork", "-n", self.node, "-l", "info",
                   "--without-gossip", "--without-mingle", "--without-heartbeat"]
        if self.nice:
            command = ["nice", "-n", str(self.nice), *command]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self._wait_until_it_answers(timeout)
        return self

    def _wait_until_it_answers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"celery worker exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            if self.answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"celery worker {self.node} did not answer within {timeout}s:\n{self.log()[-3000:]}")

    def answers(self) -> bool:
        from services.intake.entrypoints.worker import app

        return bool(app.control.ping(destination=[self.node], timeout=0.5))

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pool_pids(self) -> set[int]:
        """The pool processes the worker forked (read from /proc: children of the worker's pid)."""
        children = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.add(int(entry.name))
        return children

    def stop_consuming(self, queue: str = "scans") -> None:
        from services.intake.entrypoints.worker import app

        app.control.cancel_consumer(queue, destination=[self.node], reply=True, timeout=5)

    def start_consuming(self, queue: str = "scans") -> None:
        from services.intake.entrypoints.worker import app

        app.control.add_consumer(queue, destination=[self.node], reply=True, timeout=5)

    def kill(self) -> None:
        """kill -9 the worker and its pool processes at once: nothing is acknowledged or handed back."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def kill_pool_processes(self) -> set[int]:
        """kill -9 the pool processes only: the worker sees them lost and hands their tasks back."""
        pids = self.pool_pids()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return pids

    def stop(self, timeout: float = 20.0) -> None:
        """Warm shutdown (finishes the running tasks); kill -9 if it takes longer than timeout."""
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""
