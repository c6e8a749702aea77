"""Faults under a steady load of submissions, on the real servers and the Procfile's own processes: the Kafka
broker, a consumer, a relay, a Celery worker and a web worker killed with SIGKILL; the S3 server, Redis and
PostgreSQL stopped for 30 s each. Every process the fault did not kill goes on; what was killed is started
again (as an orchestrator would); after recovery every nomination, event, scan result, review record,
archived event and mail is counted: nothing lost, nothing doubled."""
from __future__ import annotations

import os
import signal
import time
import uuid

import pytest

from bench.processes import System
from tests.chaos import census
from tests.chaos.load import SteadyLoad
from tests.chaos.results import TRIALS, record
from tests.stack import devstack

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(2400)]

PROCESSES = ("intake-web", "intake-worker", "intake-relay", "intake-consumer", "review-consumer", "review-relay",
             "review-worker", "notify-consumer", "notify-worker", "notify-relay", "archive-consumer", "archive-relay")
OUTAGE_SECONDS = 30
PART = "1 faults under load"


def kill_process(system: System, name: str) -> None:
    os.killpg(system.processes[name].pid, signal.SIGKILL)
    system.processes[name].popen.wait(10)
    system.start(name)


def kill_web_worker(system: System, name: str = "intake-web") -> None:
    master = system.processes[name].pid
    worker = next(pid for pid in system.processes[name].pids() if pid != master)
    os.kill(worker, signal.SIGKILL)  # gunicorn's master starts another


def kill_server(name: str) -> None:
    devstack("kill", name)
    devstack("start", name)


def stop_server(name: str) -> None:
    devstack("stop", name)
    time.sleep(OUTAGE_SECONDS)
    devstack("start", name)


FAULTS = (
    ("kill -9 the Kafka broker", lambda system: kill_server("kafka")),
    ("kill -9 a consumer (review)", lambda system: kill_process(system, "review-consumer")),
    ("kill -9 a relay (intake)", lambda system: kill_process(system, "intake-relay")),
    ("kill -9 a Celery worker (intake's scans)", lambda system: kill_process(system, "intake-worker")),
    ("kill -9 a web worker (intake's gunicorn)", kill_web_worker),
    (f"stop the S3 server for {OUTAGE_SECONDS} s", lambda system: stop_server("s3")),
    (f"stop Redis for {OUTAGE_SECONDS} s", lambda system: stop_server("redis")),
    (f"stop PostgreSQL for {OUTAGE_SECONDS} s", lambda system: stop_server("postgres")),
)


def wait_progress(load: SteadyLoad, since: float, timeout: float = 240) -> float | None:
    """Seconds until a nomination submitted after `since` was acknowledged (None: none in `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if load.acknowledged_since(since):
            return time.monotonic() - since
        time.sleep(1)
    return None


def exited(system: System) -> list[str]:
    return [name for name, process in system.processes.items() if not process.alive()]


def last_words(system: System, name: str, lines: int = 15) -> str:
    """How a process that exited ended: its exit code and the end of its log (the trial's detail)."""
    process = system.processes[name]
    tail = " | ".join(line.strip() for line in process.log().splitlines()[-lines:])
    return f"{name} (exit {process.popen.returncode}: {tail})"


def run_fault(system: System, load: SteadyLoad, what: str, fault) -> None:
    fault(system)
    ended = time.monotonic()
    dead = [last_words(system, name) for name in exited(system)]
    for name in exited(system):
        system.start(name)
    recovered = wait_progress(load, ended)
    detail = f"submissions again {recovered:.0f} s after" if recovered is not None else "no submission for 240 s after"
    record(PART, what, not dead and recovered is not None,
           detail + (f"; exited: {', '.join(dead)}" if dead else ""))


def test_faults_under_load_lose_and_double_nothing(chaos_env, log_dir):
    run = uuid.uuid4().hex[:8]
    system = System(chaos_env, log_dir)
    try:
        system.start(*PROCESSES)
        with SteadyLoad(system.url("intake-web"), run) as load:
            assert wait_progress(load, time.monotonic(), 300) is not None, "no submission before the faults"
            for what, fault in FAULTS:
                run_fault(system, load, what, fault)
        acknowledged = [t for t in load.acknowledged]
        counted = census.wait_agreeing(chaos_env, load.started, run)
    finally:
        system.stop()
    lost_at_intake = set(census.nomination_ids(chaos_env, acknowledged)) - counted.submitted
    problems = counted.problems() + ([f"{len(lost_at_intake)} acknowledged submissions not submitted"]
                                     if lost_at_intake else [])
    failures = ", ".join(f"{what}: {count}" for what, count in load.failures.most_common())
    record(PART, "after recovery: every nomination, event, scan result, review record, archived event and mail "
           "counted once", not problems, "; ".join(problems) or counted.summary())
    record(PART, "mails sent twice (the same Message-ID: accepted by the SMTP server while PostgreSQL went away "
           "before the commit, notify's documented window)", not counted.mail_copies, f"{counted.mail_copies} copies")
    crashed = {what: count for what, count in load.failures.items() if what.endswith(" 500")}
    record(PART, "requests during the faults: refused (503) or cut, never an internal error (500)",
           not crashed, failures or "none failed")
    assert not problems, problems
    assert len(counted.submitted) >= len(FAULTS), counted.summary()
    assert all(trial.held for trial in TRIALS if trial.part == PART and not trial.tried.startswith("mails sent twice")), \
        [t for t in TRIALS if not t.held]
