"""The scan worker's nice counts against the forms' processes, and it runs in their gaps (issue 19: scans
never slow the forms down).

Linux shares the CPU between sessions' autogroups before it looks at nice, and every process that honcho or
the bench starts leads a session of its own: the Procfile's `nice -n 10` alone left the worker an equal
share. These read the kernel's own record (/proc/<pid>/autogroup) of real processes."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.worker_process import ScanWorker
from services.intake.adapters.scan_queue import MARKERS
from shared.cpu_priority import group_nice_from
from tests.fixtures import scanfiles
from tests.integration.intake.scan_worker import intake  # noqa: F401 (module fixture)
from tests.integration.intake.scan_worker import statuses, upload, wait_scanned

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


def test_a_niced_worker_holds_its_scan_while_the_foreground_keeps_the_cpu_busy(stack, intake, tmp_path):
    """Busy loops at nice 0 on half of the cores: the other half is idle, so only the foreground gate
    (here at a share of 0.4) keeps the scan waiting; it goes once the loops stop."""
    intake.scan_queue.redis.delete("scans", MARKERS)  # earlier tests' leftovers, not to be waited behind
    gate = {"TUIJU_SCAN_YIELD_BUSY": "0.4", "TUIJU_SCAN_YIELD_SECONDS": "30", "TUIJU_CELERY_VISIBILITY_TIMEOUT": "300"}
    worker = ScanWorker({**stack, "TUIJU_ENV": "test", **gate}, tmp_path, name="gated", nice=10).start()
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
            for _ in range(max(1, (os.cpu_count() or 2) // 2))]
    try:
        _, upload_id = upload(intake, "certificate", "cert.jpg", scanfiles.certificate_jpeg(41))
        time.sleep(4)
        assert statuses(intake, [upload_id]) == {upload_id: "pending"}
        stop(busy)
        wait_scanned(intake, [upload_id], 20)
        assert "waited" in worker.log()
    finally:
        stop(busy)
        worker.stop()


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.kill()
        process.wait()
