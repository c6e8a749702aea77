import pytest

from tests.builders import open_intake


@pytest.fixture()
def intake(stack):
    """Intake on the test servers with its campaign open now; scans are queued into `intake.queued`."""
    queued: list[str] = []
    container = open_intake(stack, queued)
    container.queued = queued
    yield container
    container.engine.dispose()
