import pytest

from services.notify.domain.ratelimit import Bucket, allow, needs_hold, seconds_until_allowed

pytestmark = pytest.mark.unit


def sends_allowed(times, rate, burst, state=None):
    answers = []
    for now in times:
        allowed, state = allow(now, state, rate, burst)
        answers.append(allowed)
    return answers, state


def test_allow_lets_a_burst_through_then_refuses():
    answers, _ = sends_allowed([100.0] * 4, rate=1.0, burst=3)
    assert answers == [True, True, True, False]


def test_allow_refills_at_the_rate():
    answers, _ = sends_allowed([0.0, 0.0, 0.5, 1.0, 1.0], rate=2.0, burst=2)
    assert answers == [True, True, True, True, False]


def test_allow_never_stores_more_than_the_burst():
    _, state = allow(10_000.0, Bucket(tokens=0.0, updated_at=0.0), rate=5.0, burst=10)
    assert state == Bucket(tokens=9.0, updated_at=10_000.0)


def test_allow_keeps_the_later_time_when_the_clock_goes_back():
    allowed, state = allow(90.0, Bucket(tokens=0.5, updated_at=100.0), rate=1.0, burst=5)
    assert (allowed, state) == (False, Bucket(tokens=0.5, updated_at=100.0))


def test_seconds_until_allowed_counts_the_missing_token():
    assert seconds_until_allowed(10.0, Bucket(tokens=0.25, updated_at=10.0), rate=0.5, burst=5) == 1.5
    assert seconds_until_allowed(10.0, None, rate=0.5, burst=5) == 0.0


def test_allow_refuses_a_rate_that_never_refills():
    with pytest.raises(ValueError):
        allow(0.0, None, rate=0.0, burst=1)


@pytest.mark.parametrize("count,threshold,held", [(201, 200, True), (200, 200, False), (5000, None, False)])
def test_needs_hold_for_sends_above_the_threshold(count, threshold, held):
    assert needs_hold(count, threshold) is held
