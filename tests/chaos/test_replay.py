"""Replay every topic from offset 0 into a fresh consumer group and a fresh database, for every service that
consumes: the tables its events build end the same as the live ones."""
from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

import pytest

from bench.processes import System
from tests.chaos import census
from tests.chaos.load import SteadyLoad
from tests.chaos.replay import CONSUMED, differences, fresh_database, replaying_consumer, state
from tests.chaos.results import record
from tests.chaos.test_faults_under_load import PROCESSES, wait_progress
from shared.config import Settings

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(1800)]

PART = "2 replay from offset 0"
SERVICES = ("intake", "review", "notify", "archive")


def load_some(env: dict, log_dir, seconds: float = 45) -> None:
    """A few nominations through the whole system, then every process stopped once all is counted."""
    run = uuid.uuid4().hex[:8]
    system = System(env, log_dir)
    try:
        system.start(*PROCESSES)
        with SteadyLoad(system.url("intake-web"), run) as load:
            assert wait_progress(load, time.monotonic(), 300) is not None, "no submission"
            time.sleep(seconds)
        counted = census.wait_agreeing(env, load.started, run)
        assert not counted.problems(), counted.problems()
    finally:
        system.stop()


def replay_matches(env: dict, service: str, log_dir, timeout: float = 600) -> list[str]:
    live = state(Settings.from_env(service, env).database_url, service)
    with fresh_database(env, service) as url:
        with replaying_consumer(env, service, url, log_dir) as consumer:
            deadline = time.monotonic() + timeout
            while True:
                found = differences(live, state(url, service))
                if not found or time.monotonic() > deadline or not consumer.alive():
                    return found + ([] if consumer.alive() else [f"the consumer exited: {consumer.log()[-500:]}"])
                time.sleep(5)


@pytest.fixture(scope="module")
def loaded(chaos_env):
    with tempfile.TemporaryDirectory(prefix="tuiju-chaos-load-") as directory:
        load_some(chaos_env, Path(directory))
    return chaos_env


@pytest.mark.parametrize("service", SERVICES)
def test_replay_from_offset_zero_builds_the_same_state(loaded, log_dir, service):
    found = replay_matches(loaded, service, log_dir)
    record(PART, f"{service}: every topic replayed into a fresh group and database", not found,
           "; ".join(found) or "the same rows in " + ", ".join(CONSUMED[service]))
    assert not found, found
