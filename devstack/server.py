"""What the lifecycle needs to know of one server; each module in devstack/servers/ declares one."""
from __future__ import annotations

import dataclasses
import subprocess
from typing import Callable, Dict, Optional, Tuple

from devstack.base import Layout, ports_for
from devstack.processes import process_alive, read_pid

Starter = Callable[[str, Layout], Optional[subprocess.Popen]]


@dataclasses.dataclass(frozen=True)
class Server:
    name: str
    ports: Tuple[str, ...]          # every port it binds (keys of BASE_PORTS), the one it answers on first
    marker: str                     # a word of its command line: guards against a reused pid
    ready_timeout: float
    stop_grace: float
    start: Starter                  # returns the process to watch while it starts, or None when it detaches
    answers: Callable[[str], bool]  # answers a real request (not just an open port), given the profile
    env: Callable[[str], Dict[str, str]] = lambda profile: {}
    provision: Optional[Callable[[], str]] = None
    before_signals: Optional[Callable[[str, Layout], None]] = None  # a gentler stop before SIGTERM
    after_kill: Optional[Callable[[Layout], None]] = None
    after_ready: Optional[Callable[[str, Layout], None]] = None  # e.g. Keycloak's realm, once it answers
    pid_path: Optional[Callable[[Layout], "object"]] = None  # where its own pid file is, when it writes one
    optional: bool = False  # started only when named (`up kafka-ha1 …`), stopped by `down` like the others

    def port(self, profile: str) -> int:
        return ports_for(profile)[self.ports[0]]

    def pid(self, layout: Layout) -> Optional[int]:
        path = self.pid_path(layout) if self.pid_path else layout.pidfile(self.name)
        pid = read_pid(path)
        return pid if pid and process_alive(pid, self.marker) else None
