"""A limited request's count and its window's headers in one Redis round trip (shared/request_limits.py),
on the real Redis: the limit still holds, the headers still tell the truth."""
from __future__ import annotations

import time
import uuid

import pytest
from limits import parse
from limits.storage import MemoryStorage, RedisStorage

from shared.config import Settings
from shared.request_limits import FixedWindowInOneTrip

pytestmark = pytest.mark.integration

FIVE_AN_HOUR = parse("5 per hour")


@pytest.fixture
def counted(stack):
    """The strategy on the real Redis, and the list of commands its client sends."""
    storage = RedisStorage(Settings.from_env("intake", stack).rate_limit_redis_url())
    client, commands = storage.get_connection(), []
    send = client.execute_command
    client.execute_command = lambda *args, **options: commands.append(args[0]) or send(*args, **options)
    strategy = FixedWindowInOneTrip(storage)
    strategy.hit(FIVE_AN_HOUR, "warm-up", uuid.uuid4().hex)  # the script is loaded once per server
    commands.clear()
    return strategy, commands


def test_each_hit_is_one_round_trip_and_the_headers_cost_none(counted):
    strategy, commands = counted
    who = uuid.uuid4().hex
    answers = [strategy.hit(FIVE_AN_HOUR, who) for _ in range(3)]
    reset, remaining = strategy.get_window_stats(FIVE_AN_HOUR, who)
    assert answers == [True] * 3
    assert remaining == 2
    assert time.time() + 3590 < reset <= time.time() + 3601
    assert commands == ["EVALSHA"] * 3


def test_the_sixth_hit_in_the_window_is_refused(counted):
    strategy, _ = counted
    who = uuid.uuid4().hex
    assert [strategy.hit(FIVE_AN_HOUR, who) for _ in range(6)] == [True] * 5 + [False]


def test_a_window_not_hit_just_now_is_read_from_redis(counted):
    strategy, commands = counted
    who, other = uuid.uuid4().hex, uuid.uuid4().hex
    strategy.hit(FIVE_AN_HOUR, who)
    strategy.hit(FIVE_AN_HOUR, other)
    strategy.get_window_stats(FIVE_AN_HOUR, other)  # answered from the hit
    commands.clear()
    assert strategy.get_window_stats(FIVE_AN_HOUR, other).remaining == 4
    assert commands == ["GET", "TTL"]


def test_without_redis_the_memory_fallback_counts_as_before():
    strategy, who = FixedWindowInOneTrip(MemoryStorage()), uuid.uuid4().hex
    assert [strategy.hit(FIVE_AN_HOUR, who) for _ in range(6)] == [True] * 5 + [False]
    assert strategy.get_window_stats(FIVE_AN_HOUR, who).remaining == 0


def test_intakes_limited_answers_carry_a_falling_remaining_count(client):
    first, second = (client.post("/api/v1/nominations", json={"channel": "self", "nominee_kind": "person"})
                     for _ in range(2))
    assert (first.status_code, second.status_code) == (201, 201)
    assert int(first.headers["X-RateLimit-Remaining"]) - int(second.headers["X-RateLimit-Remaining"]) == 1
    assert 0 < int(second.headers["Retry-After"]) <= 86400
