"""Metrics of every process type on the real servers: a consumer counts what it applied, repeated and
dead-lettered, times each event and reports its lag; a relay's /metrics shows the outbox; a Celery
worker's main process serves its queues' lengths; notify's and intake's web processes their own figures."""
from __future__ import annotations

import urllib.request
import uuid

import pytest
from prometheus_client import REGISTRY

from bench.worker_process import ScanWorker
from shared.messaging.producer import make_producer
from shared.metrics import serve_metrics
from shared.web import OutboxCollector
from tests.e2e.browser import free_port
from tests.integration import messaging_harness as harness
from tests.integration.messaging_harness import counted_event, fresh_topic, in_thread, scratch, write_outbox  # noqa: F401
from tests.stack import wait_until

pytestmark = pytest.mark.integration


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(port: int) -> str:
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()


def test_consumer_counts_outcomes_times_events_and_reports_its_lag(scratch):
    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap, partitions=1)
    key = f"k-{uuid.uuid4().hex[:6]}"
    good = counted_event(key, 1)
    producer = make_producer(bootstrap)
    for value in (good.to_json(), good.to_json(), counted_event(key, 2, poison=True).to_json(), b"{not json"):
        producer.produce(topic, key=key, value=value)
    producer.flush(10)
    group = f"g-{key}"
    consumer = harness.runner(group, url, bootstrap, topics=(topic,), extra_config={"statistics.interval.ms": 1000})
    in_thread(consumer.run)
    try:
        wait_until(lambda: sample("tuiju_consumer_messages_total", group=group, topic=topic, outcome="dead_lettered") == 2,
                   60, what="both bad messages")
        wait_until(lambda: REGISTRY.get_sample_value("tuiju_consumer_lag", {"group": group, "topic": topic,
                                                                             "partition": "0"}) == 0, 30, what="the lag")
    finally:
        consumer.stop.set()
    assert sample("tuiju_consumer_messages_total", group=group, topic=topic, outcome="applied") == 1
    assert sample("tuiju_consumer_messages_total", group=group, topic=topic, outcome="repeated") == 1
    assert sample("tuiju_consumer_handling_seconds_count", group=group, event_type="test.counted") == 3


def test_relay_process_serves_its_outbox_on_its_metrics_port(scratch):
    url, engine, bootstrap = scratch
    write_outbox(engine, counted_event("k", 1), counted_event("k", 2))
    port = free_port()
    assert serve_metrics("scratch", "relay", [OutboxCollector(engine)], env={"TUIJU_METRICS_PORT": str(port)}) == port
    text = scrape(port)
    assert "tuiju_outbox_pending 2.0" in text
    assert 'tuiju_process_info{process="relay",service="scratch"} 1.0' in text


def test_celery_worker_main_process_serves_the_length_of_its_queues(stack, tmp_path):
    port = free_port()
    worker = ScanWorker({**stack, "TUIJU_ENV": "test", "TUIJU_METRICS_PORT": str(port)}, tmp_path, name="metrics")
    worker.start()
    try:
        text = scrape(port)
    finally:
        worker.stop()
    assert 'tuiju_celery_queue_length{queue="scans"}' in text and 'tuiju_celery_queue_length{queue="celery"}' in text
    assert 'tuiju_process_info{process="worker",service="intake"} 1.0' in text


@pytest.mark.parametrize("service, figure", [("notify", "tuiju_notify_messages"), ("intake", "intake_scan_seconds")])
def test_web_metrics_carry_the_services_own_figures(stack, service, figure):
    module = __import__(f"services.{service}.entrypoints.web", fromlist=["create_app"])
    text = module.create_app({**stack, "TUIJU_ENV": "test"}).test_client().get("/metrics").text
    assert f"# TYPE {figure} gauge" in text
    assert "tuiju_outbox_oldest_pending_seconds" in text


def test_relay_process_counts_what_it_published_beside_the_outbox_figures(scratch):
    from shared.messaging.relay import Relay

    url, engine, bootstrap = scratch
    topic = fresh_topic(bootstrap)
    write_outbox(engine, counted_event("k", 1), topic=topic)
    before = sample("tuiju_relay_published_total", service="counted")
    assert Relay(engine, lambda: make_producer(bootstrap), service="counted").step().delivered
    assert sample("tuiju_relay_published_total", service="counted") == before + 1
