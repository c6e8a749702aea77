import pytest

from tests.builders import open_intake, own_address


@pytest.fixture()
def intake(stack):
    """Intake on the test servers with its campaign open now; scans are queued into `intake.queued`."""
    queued: list[str] = []
    container = open_intake(stack, queued)
    container.queued = queued
    yield container
    container.engine.dispose()


@pytest.fixture()
def client(intake, stack):
    """Flask's test client on intake's web app, CSRF checks off (one test checks them on)."""
    from services.intake.entrypoints.web import create_app

    app = create_app(stack, intake=intake)
    app.config["WTF_CSRF_ENABLED"] = False
    return own_address(app.test_client())

