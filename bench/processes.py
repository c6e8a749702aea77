"""The system's own processes for the bench, started from the Procfile's lines (the same gunicorn,
Celery and relay settings as `make run`), each in its own process group, on ports of the bench's own."""
from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path

import urllib3

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
VARIABLE = re.compile(r"\$\{(\w+)(:-([^}]*))?\}")
WEB_PORTS = {"intake-web": 25001, "review-web": 25002, "notify-web": 25003, "archive-web": 25004}
METRICS_BASE = 25200  # the other process types' /metrics (TUIJU_METRICS_PORT), beside `make run`'s 9201–9213


def procfile() -> dict[str, str]:
    lines = (REPO / "Procfile").read_text().splitlines()
    return {name.strip(): command.strip() for name, _, command in (line.partition(":") for line in lines) if command}


def free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]


def expand(command: str, env: dict[str, str]) -> str:
    """${NAME:-default} and ${NAME} as the shell (and honcho) expand them."""
    return VARIABLE.sub(lambda m: env.get(m.group(1)) or (m.group(3) or ""), command)


ASSIGNMENT = re.compile(r"^(\w+)=(\S+)\s+")
ARITHMETIC = re.compile(r"^\$\(\((\d+)\s*\+\s*(\d+)\)\)$")


def with_assignments(command: str, env: dict[str, str]) -> tuple[dict[str, str], str]:
    """A Procfile line's leading `NAME=value` settings (such as `TUIJU_METRICS_PORT=$((9200+2))`, the
    shell's sum) moved into the process's environment; the rest is the command."""
    env = dict(env)
    while match := ASSIGNMENT.match(command):
        value = match.group(2)
        if total := ARITHMETIC.match(value):
            value = str(int(total.group(1)) + int(total.group(2)))
        env[match.group(1)] = value
        command = command[match.end():]
    return env, command


class Process:
    def __init__(self, name: str, command: str, env: dict[str, str], log_dir: Path, nice: int = 0):
        self.name, self.command, self.env, self.nice = name, command, env, nice
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        env, command = with_assignments(expand(self.command, self.env), self.env)
        argv = shlex.split(command)
        argv[0] = str(BIN / argv[0]) if (BIN / argv[0]).exists() else argv[0]
        if self.nice:
            argv = ["nice", "-n", str(self.nice), *argv]
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        return self.popen.pid

    def pids(self) -> list[int]:
        """The process and every process in its group (gunicorn's and Celery's children)."""
        group = os.getpgid(self.popen.pid) if self.alive() else None
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == group:
                        found.append(int(entry.name))
                except OSError:
                    continue
        return sorted(found)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout: float = 20) -> None:
        if not self.alive():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class System:
    """Some of the Procfile's processes, started together and stopped together."""

    def __init__(self, env: dict[str, str], log_dir: Path):
        self.ports = {name: free_port(port) for name, port in WEB_PORTS.items()}
        self.env = {**os.environ, "TUIJU_METRICS_BASE": str(METRICS_BASE), **env,
                    "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
                    **{f"TUIJU_{name.split('-')[0].upper()}_PORT": str(port) for name, port in self.ports.items()}}
        self.log_dir = log_dir
        self.processes: dict[str, Process] = {}

    def url(self, web: str) -> str:
        return f"http://127.0.0.1:{self.ports[web]}"

    def start(self, *names: str, nice: dict[str, int] | None = None, replace: dict[str, str] | None = None) -> None:
        lines = procfile()
        for name in names:
            command = (replace or {}).get(name, lines[name])
            self.processes[name] = Process(name, command, self.env, self.log_dir, (nice or {}).get(name, 0)).start()
        for name in names:
            if name.endswith("-web"):
                self.wait_answers(name)

    def wait_answers(self, web: str, timeout: float = 60) -> None:
        http = urllib3.PoolManager(retries=False, timeout=2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.processes[web].alive():
                raise RuntimeError(f"{web} exited:\n{self.processes[web].log()[-3000:]}")
            try:
                if http.request("GET", f"{self.url(web)}/healthz").status == 200:
                    return
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{web} did not answer in {timeout}s:\n{self.processes[web].log()[-3000:]}")

    def stop(self, *names: str) -> None:
        for name in names or list(self.processes):
            process = self.processes.pop(name, None)
            if process:
                process.stop()

    def pids(self) -> dict[str, list[int]]:
        return {name: process.pids() for name, process in self.processes.items()}

