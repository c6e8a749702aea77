"""The chaos suite's fixtures: the real servers of the test profile, and the system's own processes started
from the Procfile (bench/processes.py) with a campaign open now."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from tests.chaos import results


def pytest_terminal_summary(terminalreporter):
    written = results.write(results.TRIALS)
    if written:
        terminalreporter.write_line("")
        terminalreporter.write_line(written.read_text())
        terminalreporter.write_line(f"written: {written}")


@pytest.fixture(scope="session")
def chaos_env(stack):
    """The servers' environment with the demo campaign open from now (as `make run` has it)."""
    return {**stack, "TUIJU_DEMO": "1",
            "TUIJU_DEMO_ANCHOR": datetime.now(timezone.utc).isoformat(timespec="seconds")}


@pytest.fixture
def log_dir(request):
    """The processes' logs of one test, kept for reading after it: chaos/results/logs/<test>/."""
    directory = results.RESULTS / "logs" / request.node.name.replace("/", "_")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory
