"""Starting, stopping and watching a profile's servers: the functions `devstack.py` and the tests call."""
from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import time
from typing import Callable, Dict, Iterable, Iterator, List, Optional

from devstack.base import (STATE_ROOT, DevstackError, Layout, check_profile, layout_for, ports_for, relative,
                           status_line)
from devstack.processes import file_lock, run_in_parallel, signal_group, tcp_open, wait_gone
from devstack.server import Server
from devstack.servers import EVERY_SERVER, REGISTRY, SERVERS, postgres
from devstack.servers import kafka_ha as kafka_ha_servers


def check_server(name: str) -> Server:
    if name not in REGISTRY:
        raise DevstackError(f"unknown server {name!r}; use one of: {', '.join(SERVERS)}")
    return REGISTRY[name]


def env_for(profile: str, kafka_ha: bool = False) -> Dict[str, str]:
    """The environment the services read to reach this profile's servers (the three Kafka brokers instead
    of the single one when kafka_ha)."""
    check_profile(profile)
    env: Dict[str, str] = {}
    for server in REGISTRY.values():
        env.update(server.env(profile))
    env["TUIJU_TRACE_DIR"] = str(layout_for(profile).root / "traces")  # shared/tracing's span files
    if kafka_ha:
        env.update(kafka_ha_servers.env(profile))
    return env


def render_env(profile: str, kafka_ha: bool = False) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env_for(profile, kafka_ha).items())


def ensure_layout(profile: str) -> Layout:
    layout = layout_for(profile)
    for folder in (layout.root, layout.logs, layout.pids):
        folder.mkdir(parents=True, exist_ok=True)
    return layout


def server_pid(layout: Layout, name: str) -> Optional[int]:
    """The pid of this profile's running server, or None."""
    return check_server(name).pid(layout)


def foreign_port(profile: str, server: Server) -> Optional[int]:
    """A port of this server already taken by a process that is not this profile's server."""
    ports = ports_for(profile)
    for key in server.ports:
        if tcp_open(ports[key], timeout=0.2):
            return ports[key]
    return None


def wait_ready(profile: str, server: Server, process: Optional[subprocess.Popen], layout: Layout) -> None:
    deadline = time.monotonic() + server.ready_timeout
    while time.monotonic() < deadline:
        if server.answers(profile):
            return
        if process is not None and process.poll() is not None:
            raise DevstackError(f"{server.name}: exited with code {process.returncode} while starting; "
                                f"see {relative(layout.log(server.name))}")
        time.sleep(0.1 if server.ready_timeout < 100 else 0.5)
    raise DevstackError(f"{server.name}: not answering on port {server.port(profile)} after "
                        f"{server.ready_timeout:.0f} s; see {relative(layout.log(server.name))}")


@contextlib.contextmanager
def profile_lock(profile: str) -> Iterator[None]:
    """One start or stop at a time per profile: test sessions may run `up` side by side."""
    with file_lock(STATE_ROOT / f"{check_profile(profile)}.lock"):
        yield


def start_server(profile: str, name: str) -> float:
    """Start one server of the profile (or reuse it when already running) and wait until it answers.

    Returns the seconds it took; 0.0 when the profile's own server was already up.
    """
    with profile_lock(profile):
        return _start_server(profile, name)


def _start_server(profile: str, name: str) -> float:
    server = check_server(name)
    layout = ensure_layout(profile)
    started = time.monotonic()
    already_running = bool(server.pid(layout))
    if already_running:
        wait_ready(profile, server, None, layout)
    else:
        port = foreign_port(profile, server)
        if port:
            raise DevstackError(f"{name}: port {port} is already in use by another process "
                                f"(not this profile's server); see: ss -ltnp 'sport = :{port}'")
        wait_ready(profile, server, server.start(profile, layout), layout)
    if server.after_ready:
        server.after_ready(profile, layout)
    took = time.monotonic() - started
    return 0.0 if already_running and took < 0.5 else took


def stop_server(profile: str, name: str) -> bool:
    """Stop one server: its gentle stop if it has one, SIGTERM, a wait, again, then SIGKILL.

    Returns whether it was running.
    """
    with profile_lock(profile):
        return _stop_server(profile, name)


def stop_servers(profile: str, names: List[str]) -> Dict[str, bool]:
    """Stop several servers side by side (three brokers stopped one after another would each wait for the
    others); returns whether each was running."""
    servers = [check_server(name).name for name in names]
    with profile_lock(profile):
        results = run_in_parallel(servers, lambda name: _stop_server(profile, name))
    for result in results.values():
        if isinstance(result, BaseException):
            raise result
    return {name: bool(results[name]) for name in servers}


def _stop_server(profile: str, name: str) -> bool:
    server = check_server(name)
    layout = layout_for(profile)
    pid = server.pid(layout)
    if not pid:
        return False
    if server.before_signals:
        server.before_signals(profile, layout)
    for sig, grace in ((signal.SIGTERM, server.stop_grace), (signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
        if wait_gone(pid, server.marker, 0):
            break
        signal_group(pid, sig)
        if wait_gone(pid, server.marker, grace):
            break
    layout.pidfile(name).unlink(missing_ok=True)
    return True


def kill_server(profile: str, name: str, sig: int = signal.SIGKILL) -> Optional[int]:
    """Send a signal to the server's whole process group (default SIGKILL: a crash, for fault tests).

    Returns the pid signalled, or None when the server was not running. After SIGKILL it waits until the
    processes are gone, so that start_server() can bind the ports again.
    """
    server = check_server(name)
    layout = layout_for(profile)
    pid = server.pid(layout)
    if not pid:
        return None
    signal_group(pid, sig)
    if sig == signal.SIGKILL:
        wait_gone(pid, server.marker, 10.0)
        if server.after_kill:
            server.after_kill(layout)
    return pid


def wipe(profile: str) -> None:
    layout = layout_for(profile)
    if layout.root.exists():
        shutil.rmtree(layout.root)
    sockets = postgres.socket_dir(layout)
    if sockets.exists():
        shutil.rmtree(sockets)


def up(profile: str, fresh: bool = False, servers: Iterable[str] = SERVERS,
       report: Callable[[str], None] = print) -> Dict[str, float]:
    """Start the profile's servers in parallel (reusing those already up); returns seconds per server."""
    names = [check_server(name).name for name in servers]
    check_profile(profile)
    with profile_lock(profile):
        if fresh:
            run_in_parallel(EVERY_SERVER, lambda name: _stop_server(profile, name))
            wipe(profile)
        started = time.monotonic()
        results = run_in_parallel(names, lambda name: _start_server(profile, name))
    failures = [str(result) for result in results.values() if isinstance(result, BaseException)]
    for name in names:
        result = results[name]
        if not isinstance(result, BaseException):
            how = "already up" if result == 0.0 else f"ready in {result:.1f} s"
            report(f"{name:<9} {how:<16} port {REGISTRY[name].port(profile)}")
    if failures:
        raise DevstackError("\n".join(failures))
    report(f"profile {profile} up in {time.monotonic() - started:.1f} s; data in {relative(layout_for(profile).root)}")
    return {name: float(results[name]) for name in names}  # type: ignore[arg-type]


def down(profile: str, report: Callable[[str], None] = print) -> None:
    check_profile(profile)
    with profile_lock(profile):
        results = run_in_parallel(EVERY_SERVER, lambda name: _stop_server(profile, name))
    for name in EVERY_SERVER:
        result = results[name]
        if isinstance(result, BaseException):
            raise result
        if result or not REGISTRY[name].optional:
            report(f"{name:<9} {'stopped' if result else 'was not running'}")


def server_status(profile: str) -> List[str]:
    layout = layout_for(profile)
    lines = []
    for name, server in REGISTRY.items():
        pid = server.pid(layout)
        if server.optional and not pid:
            continue
        port = server.port(profile)
        lines.append(status_line(name, bool(pid) and tcp_open(port), port, pid))
    return lines


def tail(path, lines: int) -> str:
    if not path.exists():
        return f"(no log at {relative(path)})\n"
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 200 * lines))
        text = handle.read().decode(errors="replace")
    return "\n".join(text.splitlines()[-lines:]) + "\n"
