"""What every web process serves besides its pages: /healthz, /readyz, Prometheus /metrics and /favicon.ico.
(The refusal of text no database stores is not here: each service registers it after its own body limits,
shared/request_text.py.)"""
from __future__ import annotations

import smtplib
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask import Flask, Response, g, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from shared.messaging.outbox import outbox_state
from shared.tracing.hooks import trace_requests
from shared.unavailable import register_unavailable

Check = Callable[[], object]
FAVICON = Path(__file__).with_name("static") / "favicon.ico"
CHECK_TIMEOUT = 3.0


def register_ops(app: Flask, checks: dict[str, Check], outbox: sa.Engine | None = None) -> None:
    """`outbox`: the service's engine, to report its outbox (backlog, parked rows) in /readyz and /metrics."""
    registry = CollectorRegistry()
    if outbox is not None:
        checks = {**checks, "outbox": outbox_check(outbox)}
        registry.register(OutboxCollector(outbox))
    requests_total = Counter("http_requests_total", "HTTP requests", ["method", "endpoint", "status"], registry=registry)
    latency = Histogram("http_request_seconds", "HTTP request latency", ["endpoint"], registry=registry)
    app.extensions["metrics_registry"] = registry
    trace_requests(app)
    register_unavailable(app)

    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()

    @app.after_request
    def _count(response):
        endpoint = request.endpoint or "unknown"
        requests_total.labels(request.method, endpoint, response.status_code).inc()
        if hasattr(g, "_started"):
            latency.labels(endpoint).observe(time.perf_counter() - g._started)
        return response

    @app.get("/favicon.ico")
    def favicon():
        """The site's icon, which every browser asks for on every page."""
        return Response(FAVICON.read_bytes(), mimetype="image/x-icon",
                        headers={"Cache-Control": "public, max-age=604800"})

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", service=app.import_name.split(".")[1])

    @app.get("/readyz")
    def readyz():
        results = run_checks(checks)
        if not all(r["ok"] for r in results.values()):
            return jsonify(status="not ready", dependencies=results), 503
        degraded = any(r.get("degraded") for r in results.values())
        return jsonify(status="degraded" if degraded else "ready", dependencies=results), 200

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def run_checks(checks: dict[str, Check]) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=max(1, len(checks))) as pool:
        futures = {name: pool.submit(_timed, check) for name, check in checks.items()}
        return {name: future.result() for name, future in futures.items()}


def _timed(check: Check) -> dict:
    """A check answers when its dependency works; a dict it returns adds details (`degraded`: works, but
    something needs the operator)."""
    started = time.perf_counter()
    try:
        details = check()
        result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        return {**result, **details} if isinstance(details, dict) else result
    except Exception as error:  # noqa: BLE001 - readiness reports, it never raises
        return {"ok": False, "error": f"{type(error).__name__}: {str(error)[:200]}"}


def database_check(engine: sa.Engine) -> Check:
    def check():
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT 1"))
    return check


def kafka_check(bootstrap: str) -> Check:
    def check():
        from shared.messaging.admin import kafka_answers
        kafka_answers(bootstrap, timeout=CHECK_TIMEOUT)
    return check


def redis_check(url: str) -> Check:
    def check():
        import redis
        redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT).ping()
    return check


def s3_check(store) -> Check:
    return store.answers


def smtp_check(host: str, port: int) -> Check:
    def check():
        with smtplib.SMTP(host, port, timeout=CHECK_TIMEOUT) as smtp:
            smtp.noop()
    return check


def outbox_check(engine: sa.Engine) -> Check:
    def check() -> dict:
        state = outbox_state(engine)
        details = {"pending": state.pending, "oldest_pending_seconds": round(state.oldest_pending_seconds, 1),
                   "parked": state.parked, "degraded": state.parked > 0}
        if state.parked:
            details["hint"] = "python -m shared.messaging.parked SERVICE  (the broker refused these rows)"
        return details
    return check


OUTBOX_GAUGES = (("tuiju_outbox_pending", "Outbox rows waiting for the relay"),
                 ("tuiju_outbox_parked", "Outbox rows the broker refused for good"),
                 ("tuiju_outbox_oldest_pending_seconds", "Age of the oldest pending outbox row"))


class OutboxCollector(Collector):
    """The outbox read at scrape time, so that every web replica reports the same numbers."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def describe(self):
        return [GaugeMetricFamily(name, help_text) for name, help_text in OUTBOX_GAUGES]

    def collect(self):
        try:
            state = outbox_state(self.engine)
        except sa.exc.SQLAlchemyError:
            return
        values = (state.pending, state.parked, state.oldest_pending_seconds)
        for (name, help_text), value in zip(OUTBOX_GAUGES, values):
            yield GaugeMetricFamily(name, help_text, value=value)
