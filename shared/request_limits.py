"""How often one client address may call a page (sign-in forms, anonymous drafts, uploads): Flask-Limiter
counting in the Redis every process already reaches (its own database, TUIJU_REDIS_URL/8), shared by the
services' web apps. When Redis is away the counts fall back to the process's memory.

A request's count and its window's headers take one Redis round trip (FixedWindowInOneTrip): Flask-Limiter's
fixed window took three, the count and then the count and the expiry again for the X-RateLimit headers.
"""
from __future__ import annotations

import threading
import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem
from limits.storage import RedisStorage, Storage
from limits.strategies import STRATEGIES, FixedWindowRateLimiter
from limits.util import WindowStats

from shared.config import Settings
from shared.unavailable import keep_own_retry_after

SIGN_IN = "10 per minute;50 per hour"
ONE_TRIP = "fixed-window-one-trip"
# The count and the seconds left in its window, in one call; the window starts with its first hit.
INCR_WITH_TTL = """
local count = redis.call("incrby", KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call("expire", KEYS[1], ARGV[1]) end
return {count, redis.call("ttl", KEYS[1])}
"""
# The window a hit saw answers the headers of the same request (same thread, a moment later).
FRESH_SECONDS = 1.0


class FixedWindowInOneTrip(FixedWindowRateLimiter):
    """Flask-Limiter's fixed window, counted as it counts, with the window a hit saw kept for the headers."""

    def __init__(self, storage: Storage):
        super().__init__(storage)
        self._seen = threading.local()
        self._count = (storage.get_connection().register_script(INCR_WITH_TTL)
                       if isinstance(storage, RedisStorage) else None)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        if self._count is None:  # the in-memory fallback
            return super().hit(item, *identifiers, cost=cost)
        key = item.key_for(*identifiers)
        count, ttl = self._count([self.storage.prefixed_key(key)], [item.get_expiry(), cost])
        self._windows()[key] = (time.monotonic(), time.time() + max(int(ttl), 0), int(count))
        return int(count) <= item.amount

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        seen = self._windows().pop(item.key_for(*identifiers), None)
        if seen and time.monotonic() - seen[0] < FRESH_SECONDS:
            return WindowStats(seen[1], max(0, item.amount - seen[2]))
        return super().get_window_stats(item, *identifiers)

    def _windows(self) -> dict:
        windows = getattr(self._seen, "windows", None)
        if windows is None or len(windows) > 16:
            windows = self._seen.windows = {}
        return windows


STRATEGIES.setdefault(ONE_TRIP, FixedWindowInOneTrip)


def make_limiter(app: Flask, settings: Settings) -> Limiter:
    keep_own_retry_after(app)
    return Limiter(get_remote_address, app=app, storage_uri=settings.rate_limit_redis_url(),
                   strategy=ONE_TRIP, key_prefix=f"tuiju-{settings.service}", headers_enabled=True,
                   swallow_errors=True, in_memory_fallback_enabled=True)


def limit_endpoints(app: Flask, limiter: Limiter, limits: dict[str, str], methods: tuple[str, ...] = ("POST",)) -> None:
    """Puts `limits` ({endpoint: "10 per minute"}) on endpoints already registered (blueprints are
    built before the limiter that counts for them)."""
    for endpoint, limit in limits.items():
        app.view_functions[endpoint] = limiter.limit(limit, methods=list(methods))(app.view_functions[endpoint])
