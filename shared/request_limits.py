"""How often one client address may call a page (sign-in forms, anonymous drafts, uploads): Flask-Limiter
counting in the Redis every process already reaches (its own database, TUIJU_REDIS_URL/8), shared by the
services' web apps. When Redis is away the counts fall back to the process's memory."""
from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from shared.config import Settings
from shared.unavailable import keep_own_retry_after

SIGN_IN = "10 per minute;50 per hour"


def make_limiter(app: Flask, settings: Settings) -> Limiter:
    keep_own_retry_after(app)
    return Limiter(get_remote_address, app=app, storage_uri=settings.rate_limit_redis_url(),
                   strategy="fixed-window", key_prefix=f"tuiju-{settings.service}", headers_enabled=True,
                   swallow_errors=True, in_memory_fallback_enabled=True)


def limit_endpoints(app: Flask, limiter: Limiter, limits: dict[str, str], methods: tuple[str, ...] = ("POST",)) -> None:
    """Puts `limits` ({endpoint: "10 per minute"}) on endpoints already registered (blueprints are
    built before the limiter that counts for them)."""
    for endpoint, limit in limits.items():
        app.view_functions[endpoint] = limiter.limit(limit, methods=list(methods))(app.view_functions[endpoint])
