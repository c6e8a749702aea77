import subprocess
import sys

import pytest

from shared.celery_app import make_celery
from shared.config import Settings

pytestmark = pytest.mark.unit


def test_celery_settings_come_from_settings_not_from_the_environment_at_import():
    settings = Settings.from_env("intake", {"TUIJU_ENV": "test", "TUIJU_CELERY_VISIBILITY_TIMEOUT": "12",
                                            "TUIJU_SCAN_RETRY_BACKOFF": "1", "TUIJU_SCAN_RETRY_BACKOFF_MAX": "3"})
    assert (settings.scan_retry_backoff, settings.scan_retry_backoff_max) == (1, 3)
    assert make_celery(settings, include=[]).conf.broker_transport_options["visibility_timeout"] == 12


def test_intake_bootstrap_does_not_import_the_worker_nor_the_use_cases():
    code = ("import sys, services.intake.bootstrap; "
            "print(sorted(m for m in sys.modules if m.startswith(('services.intake.entrypoints', "
            "'services.intake.service_layer'))))")
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == "[]"


def test_the_workers_use_the_redis_transport_that_raises_a_connection_error_once_closed():
    """A channel closed after its connection (a Redis outage) must raise what Celery ignores while closing
    and reconnects on, not AttributeError, which ended a worker in the fault suite."""
    from shared.celery_redis import ConnectionClosed

    app = make_celery(Settings.from_env("intake", {"TUIJU_ENV": "test"}), include=[])
    connection = app.connection_for_read()
    assert type(connection.transport).__module__ == "shared.celery_redis"
    errors = connection.connection_errors
    channel = connection.transport.Channel.__new__(connection.transport.Channel)
    channel.connection = connection.transport
    connection._do_close_transport()  # what kombu does when it gives the connection up
    with pytest.raises(ConnectionClosed) as raised:
        channel._connparams()
    assert isinstance(raised.value, errors)
