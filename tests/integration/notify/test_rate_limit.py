"""The per-channel token bucket in the real Redis, shared by every worker: it delays, it never drops.

The bucket's state and its atomic update are the real Redis's; the time is a clock of the test's own, so the
window is driven step by step and nothing depends on how fast this machine runs."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.notify.adapters.ratelimit import KEY_PREFIX, Rate, RedisRateLimiter
from shared.config import Settings

pytestmark = pytest.mark.integration

RATE = Rate(per_second=16, burst=4)  # one token every 1/16 s, four at once (times exact in binary)
INTERVAL = 1 / 16


class TestClock:
    """Seconds that move only when told to, or when a caller sleeps: `sleep(s)` wakes its caller s seconds
    after the time that caller last read (as a real sleep would), so callers sleeping side by side overlap
    instead of adding up."""

    __test__ = False

    def __init__(self, start: float = 1_000_000.0):
        self.now = start
        self._lock = threading.Lock()
        self._last_read = threading.local()

    def __call__(self) -> float:
        with self._lock:
            self._last_read.at = self.now
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.now = max(self.now, getattr(self._last_read, "at", self.now) + seconds)


@pytest.fixture()
def limiter(stack):
    channel = f"test-{uuid.uuid4().hex[:8]}"
    url = Settings.from_env("notify", stack).rate_limit_redis_url()
    clock = TestClock()
    bucket = RedisRateLimiter.from_url(url, {channel: RATE}, clock=clock, sleep=clock.sleep)
    yield channel, bucket, clock
    bucket.client.delete(KEY_PREFIX + channel)


def test_burst_goes_at_once_then_the_next_token_comes_after_its_interval(limiter):
    channel, bucket, clock = limiter
    assert [bucket.take(channel) for _ in range(4)] == [0.0] * 4
    assert bucket.take(channel) == INTERVAL
    clock.advance(INTERVAL / 2)
    assert bucket.take(channel) == INTERVAL / 2
    clock.advance(INTERVAL / 2)
    assert bucket.take(channel) == 0.0
    assert bucket.take(channel) == INTERVAL


def test_the_bucket_lives_in_redis_so_a_second_limiter_shares_it(limiter, stack):
    channel, bucket, clock = limiter
    other = RedisRateLimiter.from_url(Settings.from_env("notify", stack).rate_limit_redis_url(), {channel: RATE},
                                      clock=clock, sleep=clock.sleep)
    assert [bucket.take(channel) for _ in range(2)] == [0.0] * 2
    assert [other.take(channel) for _ in range(3)] == [0.0, 0.0, INTERVAL]
    assert b"tokens" in bucket.client.hgetall(KEY_PREFIX + channel)


def test_a_refill_never_exceeds_the_burst(limiter):
    channel, bucket, clock = limiter
    for _ in range(4):
        bucket.take(channel)
    clock.advance(3600)
    assert [bucket.take(channel) for _ in range(5)] == [0.0] * 4 + [INTERVAL]


def test_senders_in_parallel_share_one_rate_and_none_is_dropped(limiter):
    channel, bucket, clock = limiter
    started = clock()
    with ThreadPoolExecutor(max_workers=4) as pool:
        waits = list(pool.map(lambda _: bucket.wait_for_token(channel, max_wait=10), range(20)))
    assert waits == [0.0] * 20  # every one got its token
    # 4 at once, then 16 at 16 a second: the last one is taken one second on, not a token's interval sooner
    # (one too many let through) nor later (one held back).
    assert clock() - started == pytest.approx(1.0, abs=INTERVAL / 2)


def test_a_wait_longer_than_allowed_is_handed_back_to_the_caller(limiter):
    channel, bucket, clock = limiter
    for _ in range(4):
        bucket.take(channel)
    before = clock()
    assert bucket.wait_for_token(channel, max_wait=0.0) == INTERVAL
    assert clock() == before  # nothing was waited


def test_without_a_clock_the_bucket_counts_in_the_redis_servers_time(stack):
    channel = f"test-{uuid.uuid4().hex[:8]}"
    bucket = RedisRateLimiter.from_url(Settings.from_env("notify", stack).rate_limit_redis_url(), {channel: RATE})
    try:
        assert bucket.take(channel) == 0.0
        seconds, micros = bucket.client.time()
        counted_at = float(bucket.client.hget(KEY_PREFIX + channel, "updated_at"))
        assert 0 <= seconds + micros / 1e6 - counted_at < 5
    finally:
        bucket.client.delete(KEY_PREFIX + channel)
