"""Pacing large sends: a token bucket (the arithmetic only; the caller keeps the state, e.g. in Redis),
and the rule that holds a large send for the secretariat's release."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bucket:
    """Tokens left, and when (seconds, e.g. Unix time) they were counted."""

    tokens: float
    updated_at: float


def allow(now: float, state: Bucket | None, rate: float, burst: int) -> tuple[bool, Bucket]:
    """May one more message go now? The bucket refills `rate` tokens a second up to `burst`; a message
    takes one. No state yet means a full bucket. Returns the answer and the state to store."""
    tokens = _tokens_at(now, state, rate, burst)
    counted_at = now if state is None else max(now, state.updated_at)
    if tokens >= 1:
        return True, Bucket(tokens - 1, counted_at)
    return False, Bucket(tokens, counted_at)


def seconds_until_allowed(now: float, state: Bucket | None, rate: float, burst: int) -> float:
    """How long to wait before allow() says yes (0 when it would now): a retry countdown."""
    missing = 1 - _tokens_at(now, state, rate, burst)
    return max(0.0, missing / rate)


def needs_hold(planned_count: int, threshold: int | None) -> bool:
    """A send of more than `threshold` messages waits for the secretariat's release; no threshold, no hold."""
    return threshold is not None and planned_count > threshold


def _tokens_at(now: float, state: Bucket | None, rate: float, burst: int) -> float:
    if rate <= 0 or burst < 1:
        raise ValueError("rate must be positive and burst at least 1")
    if state is None:
        return float(burst)
    # A clock that went back (another worker's) refills nothing rather than draining the bucket.
    elapsed = max(0.0, now - state.updated_at)
    return min(float(burst), state.tokens + elapsed * rate)
