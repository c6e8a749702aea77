import re
import uuid

import pytest

from services.notify.entrypoints.web import create_app
from tests import staff
from tests.integration.notify import harness
from tests.integration.notify.harness import People, Publisher
from tests.integration.notify.mailboxes import Mailpit

# Short back-offs and sweeps so faults heal within a test; the defaults (README) are for production.
FAST_DELIVERY = {
    "TUIJU_ENV": "test",
    "TUIJU_NOTIFY_RETRY_BASE": "2",
    "TUIJU_NOTIFY_RETRY_MAX": "10",
    "TUIJU_NOTIFY_MAX_TRIES": "20",
    "TUIJU_NOTIFY_SWEEP_EVERY": "2",
    "TUIJU_NOTIFY_SWEEP_AFTER": "8",
}


@pytest.fixture(scope="module")
def notify_env(stack, tmp_path_factory):
    """The test stack's environment plus notify's own: a Celery queue of this module's alone (other
    runs on the same servers do not take its tasks), and its own SMS sink and beat schedule files."""
    folder = tmp_path_factory.mktemp("notify")
    return {
        **stack,
        **FAST_DELIVERY,
        "TUIJU_NOTIFY_QUEUE": f"notify-test-{uuid.uuid4().hex[:8]}",
        "TUIJU_SMS_SINK": str(folder / "sms-sink.jsonl"),
        "TUIJU_NOTIFY_BEAT_SCHEDULE": str(folder / "celerybeat-schedule"),
    }


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    return tmp_path_factory.mktemp("notify-logs")


@pytest.fixture(scope="module")
def mailpit(stack):
    return Mailpit(stack["TUIJU_MAILPIT_API"])


@pytest.fixture(scope="module")
def publisher(stack):
    return Publisher(stack["TUIJU_KAFKA_BOOTSTRAP"])


@pytest.fixture()
def people(mailpit):
    """Unique addresses for one test; its mails are deleted from Mailpit afterwards."""
    found = People()
    yield found
    mailpit.delete(f"to:@{found.domain}")


@pytest.fixture(scope="module")
def mail_worker(notify_env, logs, request):
    """Notify's Celery worker as a process, for one test module (named after it in the logs)."""
    process = harness.start_worker(notify_env, logs, name=f"{request.module.__name__.rsplit('.', 1)[-1]}-worker")
    yield process
    process.stop()


@pytest.fixture()
def mail_consumer(notify_env, mail_worker):
    """Notify's consumer in a thread under a group of its own, reading what is published from now on (the
    fixture's value: its container)."""
    from services.notify.bootstrap import bootstrap

    notify = bootstrap(notify_env)
    for _ in harness.consumer_running(notify):
        yield notify
    notify.engine.dispose()


@pytest.fixture()
def silent_notify(notify_env):
    """Notify's container with delivery switched off: what a handler writes is what the test reads."""
    from services.notify.bootstrap import bootstrap

    container = bootstrap(notify_env)
    container.queue_delivery = lambda ids, countdown=0: None
    yield container
    container.engine.dispose()


@pytest.fixture()
def admin(notify_env):
    """The admin pages through Flask's test client as the demo secretariat (a bearer token from Keycloak);
    `admin.csrf` is the forms' CSRF token."""
    client = staff.as_staff(create_app(notify_env).test_client(), notify_env, "secretariat")
    client.csrf = csrf_token(client.get("/admin/templates").get_data(as_text=True))
    return client


OPERATOR = "王晓梅（secretariat）"  # how notify records the demo secretariat as the one who acted


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
