"""Notify's delivery settings and back-off, without a server."""
import pytest

from services.notify.config import NotifyOptions
from services.notify.service_layer.delivery import retry_ceiling, retry_delay
from shared.config import ConfigError, Settings

pytestmark = pytest.mark.unit


def test_retry_delay_doubles_up_to_the_maximum_less_up_to_half_at_random():
    for tries, ceiling in [(1, 10), (2, 20), (3, 40), (5, 160), (6, 240), (9, 240)]:
        delays = [retry_delay(tries, base=10, maximum=240) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling


def test_default_retries_outlast_a_ten_minute_outage():
    options = NotifyOptions.from_env({})
    shortest_wait = sum(retry_ceiling(tries, options.retry_base, options.retry_max) / 2
                        for tries in range(1, options.max_tries))
    assert options.max_tries == 10 and shortest_wait >= 600


def test_defaults_are_the_providers_limits_and_a_hold_above_200():
    options = NotifyOptions.from_env({})
    assert (options.email_rate, options.sms_rate, options.hold_threshold) == (20, 5, 200)
