"""Running commands and servers: pid files, logs, signals, probes, locks and threads."""
from __future__ import annotations

import contextlib
import fcntl
import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional

from devstack.base import CommandFailed, Layout, cache_dir


def is_root() -> bool:
    return os.geteuid() == 0


def read_pid(path: Path) -> Optional[int]:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def process_alive(pid: int, marker: str) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    zombie = stat.rsplit(")", 1)[-1].split()[0] == "Z"
    return not zombie and marker in cmdline


def spawn(layout: Layout, name: str, argv: List[str], env: Optional[Dict[str, str]] = None) -> subprocess.Popen:
    """Start a server in its own session (it outlives this script), output appended to its log."""
    with open(layout.log(name), "ab") as log:
        log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
        log.flush()
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, cwd=layout.root, start_new_session=True)
    layout.pidfile(name).write_text(f"{process.pid}\n")
    return process


def run_logged(step: str, argv: List[str], log_path: Path, *, env: Optional[Dict[str, str]] = None,
               cwd: Optional[Path] = None, input_text: Optional[str] = None, timeout: float = 900) -> None:
    """Run a command, its output appended to log_path; a failure is a DevstackError naming the step."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(argv)}\n".encode())
        log.flush()
        try:
            result = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, timeout=timeout,
                                    input=input_text.encode() if input_text is not None else None,
                                    stdin=None if input_text is not None else subprocess.DEVNULL)
        except FileNotFoundError:
            raise CommandFailed(step, f"{argv[0]} is not installed", log_path) from None
        except subprocess.TimeoutExpired:
            raise CommandFailed(step, f"{Path(argv[0]).name} took over {timeout:.0f} s", log_path) from None
    if result.returncode != 0:
        raise CommandFailed(step, f"{Path(argv[0]).name} exit {result.returncode}", log_path)


def signal_group(pid: int, sig: int) -> None:
    """Signal the server and its children (each server leads its own process group)."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def wait_gone(pid: int, marker: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid, marker):
            return True
        time.sleep(0.1)
    return not process_alive(pid, marker)


def tcp_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def http_status(port: int, path: str, timeout: float = 2.0) -> Optional[int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock held for the block; other processes (other checkouts, CI) wait for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cache_lock(name: str) -> contextlib.AbstractContextManager:
    """One provisioning of `name` at a time in the shared cache, whichever checkout runs it."""
    return file_lock(cache_dir() / "locks" / f"{name}.lock")


def run_in_parallel(names: Iterable[str], action: Callable[[str], object]) -> Dict[str, object]:
    """action(name) for each name in its own thread; each result is the return value or the exception."""
    results: Dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = action(name)
        except Exception as error:  # reported per server by the caller
            results[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
