"""The per-channel token buckets of domain/ratelimit.py, kept in Redis so every worker shares them.

The clock that counts the refill is Redis's own (TIME: real time, one clock for every worker whatever their
machines' clocks say) unless one is given: a test drives the window with a clock of its own, and `sleep`
with it."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import redis

from services.notify.domain.ratelimit import Bucket, allow, seconds_until_allowed

KEY_PREFIX = "tuiju:notify:rate:"


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: int


class RedisRateLimiter:
    def __init__(self, client: redis.Redis, rates: dict[str, Rate], *, clock: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        """`clock`: seconds (e.g. Unix time) now; None for the Redis server's time. `sleep` waits that many
        seconds of the same clock."""
        self.client = client
        self.rates = rates
        self.clock = clock
        self.sleep = sleep

    @classmethod
    def from_url(cls, url: str, rates: dict[str, Rate], **clocks) -> "RedisRateLimiter":
        return cls(redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5), rates, **clocks)

    def take(self, channel: str) -> float:
        """Take one token of `channel`'s bucket: 0.0 when taken, else the seconds to wait before trying
        again. Atomic across workers (WATCH/MULTI: a concurrent change makes this try again)."""
        rate = self.rates[channel]
        key = KEY_PREFIX + channel
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    now = self.clock() if self.clock is not None else self._server_time(pipe)
                    state = _bucket(pipe.hgetall(key))
                    allowed, new_state = allow(now, state, rate.per_second, rate.burst)
                    pipe.multi()
                    pipe.hset(key, mapping={"tokens": new_state.tokens, "updated_at": new_state.updated_at})
                    pipe.expire(key, 3600)
                    pipe.execute()
                    if allowed:
                        return 0.0
                    return max(0.001, seconds_until_allowed(now, new_state, rate.per_second, rate.burst))
                except redis.WatchError:
                    continue

    def wait_for_token(self, channel: str, max_wait: float) -> float:
        """Block until a token of `channel` is taken (returns 0.0), or return the wait still needed once
        waiting longer than `max_wait` seconds would be needed (the caller then re-queues for later)."""
        waited = 0.0
        while True:
            wait = self.take(channel)
            if wait == 0.0:
                return 0.0
            if waited + wait > max_wait:
                return wait
            self.sleep(wait)
            waited += wait

    @staticmethod
    def _server_time(pipe) -> float:
        seconds, microseconds = pipe.time()
        return seconds + microseconds / 1_000_000


def _bucket(raw: dict) -> Bucket | None:
    if not raw:
        return None
    return Bucket(tokens=float(raw[b"tokens"]), updated_at=float(raw[b"updated_at"]))
