"""Prometheus metrics of the processes that are not web processes (consumers, relays, Celery workers,
the archive's sealer): each serves /metrics on TUIJU_METRICS_PORT when it is set, on 127.0.0.1 unless
TUIJU_METRICS_ADDR says otherwise (the Procfile gives each process type TUIJU_METRICS_BASE + n, 9201…; compose
and Kubernetes give each container 9100 on 0.0.0.0). Web processes serve theirs on their own port
(shared/web.py)."""
from __future__ import annotations

import json
import logging
import os
from typing import Iterable

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, Info, start_http_server
from prometheus_client.core import GaugeMetricFamily

from shared.logs import log_fields

log = logging.getLogger(__name__)

PROCESS = Info("tuiju_process", "Which service and process type this is")
CONSUMED = Counter("tuiju_consumer_messages_total", "Messages a consumer finished with, by outcome",
                   ["group", "topic", "outcome"])  # applied, repeated, ignored, dead_lettered
HANDLING = Histogram("tuiju_consumer_handling_seconds", "Time to apply one event (retries included)",
                     ["group", "event_type"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
LAG = Gauge("tuiju_consumer_lag", "Messages of a partition not yet consumed by this member",
            ["group", "topic", "partition"])


def serve_metrics(service: str, process: str, collectors: Iterable = (), env: dict | None = None) -> int | None:
    """Serve this process's metrics when TUIJU_METRICS_PORT is set; returns the port, or None. A port already
    taken (a second replica on one machine) is said in the log, never fatal."""
    env = os.environ if env is None else env
    PROCESS.info({"service": service, "process": process})
    for collector in collectors:
        try:
            REGISTRY.register(collector)
        except ValueError as error:  # a name already served: said, never fatal
            log.warning("metrics collector not registered", extra=log_fields(error=str(error)))
    port = int(env.get("TUIJU_METRICS_PORT") or 0)
    if not port:
        return None
    try:
        start_http_server(port, addr=env.get("TUIJU_METRICS_ADDR", "127.0.0.1"))
    except OSError as error:
        log.warning("metrics not served", extra=log_fields(port=port, error=str(error)))
        return None
    log.info("metrics served", extra=log_fields(port=port))
    return port


def record_lag(group: str, stats_json: str) -> None:
    """librdkafka's statistics (statistics.interval.ms): each assigned partition's consumer lag."""
    stats = json.loads(stats_json)
    for topic, about in stats.get("topics", {}).items():
        for partition, figures in about.get("partitions", {}).items():
            lag = figures.get("consumer_lag", -1)
            if partition != "-1" and lag >= 0:
                LAG.labels(group, topic, partition).set(lag)


class QueueLengthCollector:
    """The length of Celery's queues in Redis, read at scrape time."""

    def __init__(self, broker_url: str, queues: Iterable[str]):
        self.broker_url, self.queues = broker_url, tuple(queues)

    def describe(self):
        return [GaugeMetricFamily("tuiju_celery_queue_length", "Tasks waiting in a Celery queue", labels=["queue"])]

    def collect(self):
        import redis

        family = GaugeMetricFamily("tuiju_celery_queue_length", "Tasks waiting in a Celery queue", labels=["queue"])
        try:
            client = redis.Redis.from_url(self.broker_url, socket_timeout=2, socket_connect_timeout=2)
            for queue in self.queues:
                family.add_metric([queue], client.llen(queue))
        except Exception as error:  # noqa: BLE001 - Redis away leaves the figure out; /metrics still answers
            log.warning("queue lengths unavailable", extra=log_fields(error=str(error)))
            return
        yield family
