"""A background process's niceness, made to count against processes of other sessions.

Linux (with `kernel.sched_autogroup_enabled`, Debian's default) shares the CPU fairly between sessions
first, and applies a process's nice only against the processes of its own session. honcho, the bench and
most supervisors start each process in a session of its own, so `nice -n 10` on the scan worker changed
nothing: measured, a nice-19 busy loop in its own session took as much CPU as each of three nice-0 ones.
The session's autogroup has a nice of its own (/proc/self/autogroup, proc(5)); a process may raise it.
In a container, CPU is shared between cgroups instead: compose gives the scan worker fewer cpu_shares.

Even at a low weight a niced process is scheduled in its turn, and a form's request that wakes up waits
behind it. A process under the idle policy (SCHED_IDLE, sched(7)) is preempted at once by any other that
wakes: it runs in the forms' gaps only. Measured at 8 clients with scans running: the scan worker's CPU per
nomination fell from 14 to 9-10 ms and the forms took 2-3 more nominations per second.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

AUTOGROUP = Path("/proc/self/autogroup")
SHELLS = frozenset({"sh", "dash", "bash", "zsh"})
GROUP_NICE = re.compile(r"\bnice\s+(-?\d+)\s*$")


@dataclass(frozen=True)
class Session:
    own_nice: int
    group_nice: int | None  # None: no autogroups here
    leads_it: bool  # this process is the session's leader
    led_by_shell_parent: bool  # `sh -c "nice … command"` (honcho's way): the idle shell leads it
    has_terminal: bool  # a terminal's session holds the user's other programs too


def group_nice_from(text: str) -> int | None:
    """The nice in /proc/self/autogroup's "/autogroup-25 nice 0"."""
    match = GROUP_NICE.search(text.strip())
    return int(match.group(1)) if match else None


def autogroup_nice_to_set(session: Session) -> int | None:
    """The nice this process should give its session's autogroup, or None to leave it as it is."""
    if session.group_nice is None or session.own_nice <= session.group_nice:
        return None
    if session.has_terminal or not (session.leads_it or session.led_by_shell_parent):
        return None  # the session holds processes that are not this one's to slow down
    return session.own_nice


def current_session(autogroup: Path = AUTOGROUP) -> Session:
    try:
        group_nice = group_nice_from(autogroup.read_text())
    except OSError:
        group_nice = None
    pid, parent = os.getpid(), os.getppid()
    session_id = os.getsid(0)
    return Session(own_nice=os.nice(0), group_nice=group_nice, leads_it=session_id == pid,
                   led_by_shell_parent=session_id == parent and _command_name(parent) in SHELLS,
                   has_terminal=_terminal_number() != 0)


def yield_cpu_across_sessions(autogroup: Path = AUTOGROUP) -> int | None:
    """Give this process's nice to its session's autogroup, where that slows down nothing else.
    Returns the nice set, or None when nothing was changed."""
    wanted = autogroup_nice_to_set(current_session(autogroup))
    if wanted is None:
        return None
    try:
        autogroup.write_text(str(wanted))
    except OSError as error:
        log.warning("could not lower the session's CPU priority (%s): nice applies within it only", error)
        return None
    log.info("session's CPU priority lowered to nice %s, as this process's own", wanted)
    return wanted


def run_in_background() -> None:
    """A niced process (the Procfile's scan worker) yields to every other: its nice counts across sessions,
    and it runs under the idle policy. A process at nice 0 is left as it is."""
    if os.nice(0) <= 0:
        return
    yield_cpu_across_sessions()
    run_when_cpu_idle()


def run_when_cpu_idle() -> bool:
    """This process (and the processes it forks later) under the idle policy. True when it was set."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (OSError, AttributeError) as error:
        log.warning("could not run at the idle CPU policy (%s): the nice alone applies", error)
        return False
    log.info("running under the idle CPU policy: any other process that wakes goes first")
    return True


def _command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _terminal_number() -> int:
    """tty_nr of /proc/self/stat (field 7; the command name before it may hold spaces)."""
    try:
        after_name = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        return int(after_name[4])
    except (OSError, IndexError, ValueError):
        return 0
