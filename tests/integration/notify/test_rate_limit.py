"""The per-channel token bucket in the real Redis, shared by every worker: it delays, it never drops."""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.notify.adapters.ratelimit import Rate, RedisRateLimiter
from shared.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture()
def limiter(stack):
    channel = f"test-{uuid.uuid4().hex[:8]}"
    url = Settings.from_env("notify", stack).rate_limit_redis_url()
    return channel, RedisRateLimiter.from_url(url, {channel: Rate(per_second=20, burst=5)})


def test_burst_goes_at_once_then_the_rest_waits_its_turn(limiter):
    channel, bucket = limiter
    assert [bucket.take(channel) for _ in range(5)] == [0.0] * 5
    wait = bucket.take(channel)
    assert 0.0 < wait <= 0.05


def test_senders_in_parallel_share_one_rate_and_none_is_dropped(limiter):
    channel, bucket = limiter
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        waits = list(pool.map(lambda _: bucket.wait_for_token(channel, max_wait=10), range(25)))
    took = time.monotonic() - started
    assert waits == [0.0] * 25  # every one got its token
    assert 0.9 <= took < 3.0  # 5 at once, then 20 at 20 a second


def test_a_wait_longer_than_allowed_is_handed_back_to_the_caller(limiter):
    channel, bucket = limiter
    for _ in range(5):
        bucket.take(channel)
    assert bucket.wait_for_token(channel, max_wait=0.0) > 0.0
