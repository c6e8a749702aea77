"""The scan worker's nice counts against the forms' processes, and it runs in their gaps (issue 19: scans
never slow the forms down).

Linux shares the CPU between sessions' autogroups before it looks at nice, and every process that honcho or
the bench starts leads a session of its own: the Procfile's `nice -n 10` alone left the worker an equal
share. These read the kernel's own record (/proc/<pid>/autogroup) of real processes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.worker_process import ScanWorker
from shared.cpu_priority import group_nice_from

pytestmark = pytest.mark.skipif(not Path("/proc/self/autogroup").exists(), reason="no autogroups on this kernel")

YIELD = "from shared.cpu_priority import yield_cpu_across_sessions as y; y(); print(open('/proc/self/autogroup').read())"
REPO = Path(__file__).resolve().parents[3]


def group_nice_of(pid: int) -> int:
    return group_nice_from(Path(f"/proc/{pid}/autogroup").read_text())


def autogroup_after_yield(command: list[str], **options) -> int:
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=30, check=True, **options)
    return group_nice_from(done.stdout)


def test_a_niced_process_leading_its_session_lowers_the_sessions_group():
    assert autogroup_after_yield(["nice", "-n", "7", sys.executable, "-c", YIELD], start_new_session=True) == 7


def test_so_does_one_under_a_shell_wrapper_as_honcho_starts_it():
    command = f"X=1 nice -n 9 {sys.executable} -c \"{YIELD}\""
    assert autogroup_after_yield(command, shell=True, start_new_session=True) == 9


def test_a_niced_process_in_someone_elses_session_leaves_the_group_alone():
    before = group_nice_of(os.getpid())
    assert autogroup_after_yield(["nice", "-n", "7", sys.executable, "-c", YIELD]) == before


def test_the_real_scan_worker_and_its_pool_run_in_a_group_at_its_nice_under_the_idle_policy(stack, tmp_path):
    worker = ScanWorker({**stack, "TUIJU_ENV": "test"}, tmp_path, name="niced", nice=10).start()
    try:
        pool = worker.pool_pids()
        assert pool, "the prefork pool has processes"
        assert group_nice_of(worker.process.pid) == 10
        assert {group_nice_of(pid) for pid in pool} == {10}
        assert {os.sched_getscheduler(pid) for pid in [worker.process.pid, *pool]} == {os.SCHED_IDLE}
    finally:
        worker.stop()


def test_a_worker_at_nice_0_keeps_the_normal_policy(stack, tmp_path):
    worker = ScanWorker({**stack, "TUIJU_ENV": "test"}, tmp_path, name="plain").start()
    try:
        assert {os.sched_getscheduler(pid) for pid in [worker.process.pid, *worker.pool_pids()]} == {os.SCHED_OTHER}
    finally:
        worker.stop()
