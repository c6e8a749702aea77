"""End to end: from a submission's commit in intake to the nomination being in review's read model, in
notify's records and in the archive, at a steady rate; beside it, in the same run, Kafka's own produce
to consume time on a topic of the bench's.

The nominations are prepared first (form filled, files recorded as scanned: the scans are measured
elsewhere), then sent one every 1/rate s through intake's own submission use case. The relay and the
three consumers run as the Procfile runs them. Each consumer records the event it handles in its
inbox (handled_at: the start of its handling transaction); the latency is that time less the moment
the submission's transaction had committed.

Beside the times, the CPU each consumer process and the PostgreSQL server (all its backends: intake's
submissions, the relay and the three consumers) used from the first send until every consumer had handled
the last, per submission: on a shared, loaded machine, steadier than the times.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from bench.cpu import CpuMeter
from bench.intake_load import ms, percentile
from bench.processes import System

CONSUMERS = ("review", "notify", "archive")
CPU_SHOWN = (*(f"{service}-consumer" for service in CONSUMERS), "intake-relay", "postgres")
RATE = 20
SECONDS = 30
SCANNED = {"codes": [], "reasons": [], "seal": {"found": True}}
FILES = (("photo", "image/jpeg"), ("sealed_form", "application/pdf"), ("certificate", "image/jpeg"),
         ("certificate", "image/jpeg"))


def prepare(intake, count: int) -> list[str]:
    """Nominations ready to send: the whole form, and the four files recorded as scanned and fine."""
    from services.intake.adapters.orm import uploads
    from services.intake.service_layer.nominations import save_draft, start_nomination
    from tests.builders import form_data, random_name

    prepared = []
    for _ in range(count):
        nomination_id = start_nomination(intake, channel="self", nominee_kind="person")
        save_draft(intake, nomination_id, form_data(name=random_name("赵")))
        with intake.engine.begin() as conn:
            conn.execute(sa.insert(uploads), [{
                "id": str(uuid.uuid4()), "nomination_id": nomination_id, "kind": kind, "filename": "bench",
                "object_key": f"bench-e2e/{uuid.uuid4()}", "content_type": content_type, "size": 1,
                "sha256": uuid.uuid4().hex * 2, "status": "scanned", "verdict": "ok", "findings": SCANNED,
            } for kind, content_type in FILES])
        prepared.append(nomination_id)
    return prepared


def send_steadily(intake, nomination_ids: list[str], rate: float) -> dict[str, float]:
    """Sends one nomination every 1/rate seconds; returns the wall-clock time each send had committed."""
    from services.intake.service_layer.submission import send

    committed = {}
    interval = 1 / rate
    start = time.monotonic()
    for number, nomination_id in enumerate(nomination_ids):
        pause = start + number * interval - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        send(intake, nomination_id, f"bench-{uuid.uuid4()}")
        committed[nomination_id] = time.time()
    return committed


def submitted_events(intake, nomination_ids: list[str]) -> dict[str, str]:
    """nomination id -> the event id of its nomination.submitted."""
    from services.intake.adapters.orm import outbox

    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(outbox.c.key, outbox.c.event_id).where(
            outbox.c.key.in_(nomination_ids), outbox.c.event_type == "nomination.submitted")).all()
    return {row.key: str(row.event_id) for row in rows}


def handled_times(service: str, event_ids: list[str]) -> dict[str, float]:
    from shared.config import Settings

    engine = sa.create_engine(Settings.from_env(service).database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT event_id::text, handled_at FROM inbox WHERE event_id::text = ANY(:ids)"),
                                {"ids": event_ids}).all()
    finally:
        engine.dispose()
    return {event_id: handled_at.timestamp() for event_id, handled_at in rows}


def wait_handled(event_ids: list[str], timeout: float = 120) -> dict[str, dict[str, float]]:
    deadline = time.monotonic() + timeout
    while True:
        seen = {service: handled_times(service, event_ids) for service in CONSUMERS}
        if all(len(times) == len(event_ids) for times in seen.values()) or time.monotonic() > deadline:
            return seen
        time.sleep(1)


def latencies(committed: dict[str, float], events: dict[str, str], seen: dict[str, dict[str, float]]) -> dict:
    figures = {}
    for service, times in seen.items():
        delays = [times[events[n]] - at for n, at in committed.items() if events.get(n) in times]
        figures[service] = {"arrived": len(delays), "of": len(committed), "p50_ms": ms(percentile(delays, 0.5)),
                            "p99_ms": ms(percentile(delays, 0.99)), "max_ms": ms(max(delays, default=float("nan")))}
    return figures


def raw_kafka(bootstrap: str, rate: float, seconds: float) -> dict:
    """Produce at `rate` per second to a topic of the bench's; a consumer in a thread notes arrivals."""
    from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    topic = "bench-latency"
    admin = AdminClient({"bootstrap.servers": bootstrap})  # kept: the futures need its handle alive
    for future in admin.create_topics([NewTopic(topic, 3, 1)]).values():
        try:
            future.result(15)
        except KafkaException as error:
            if error.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"bench-{uuid.uuid4().hex[:8]}",
                         "auto.offset.reset": "latest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    delays: list[float] = []
    done = threading.Event()

    def consume() -> None:
        while not done.is_set():
            message = consumer.poll(0.1)
            if message is not None and not message.error():
                delays.append(time.time() - json.loads(message.value())["sent"])

    reader = threading.Thread(target=consume, daemon=True)
    reader.start()
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 0})
    time.sleep(5)  # the consumer has joined its group and been given the partitions
    start = time.monotonic()
    for number in range(int(rate * seconds)):
        pause = start + number / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        producer.produce(topic, key=str(number), value=json.dumps({"sent": time.time()}))
        producer.poll(0)
    producer.flush(10)
    time.sleep(2)
    done.set()
    reader.join(5)
    consumer.close()
    return {"messages": int(rate * seconds), "arrived": len(delays), "p50_ms": ms(percentile(delays, 0.5)),
            "p99_ms": ms(percentile(delays, 0.99))}


def consumer_lag(bootstrap: str, groups: tuple[str, ...], topic: str = "nominations") -> dict[str, int]:
    """Messages of the topic each group has not committed yet."""
    from confluent_kafka import Consumer, TopicPartition

    lags = {}
    for group in groups:
        probe = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
        try:
            partitions = [TopicPartition(topic, p) for p in probe.list_topics(topic, timeout=10).topics[topic].partitions]
            lag = 0
            for committed in probe.committed(partitions, timeout=10):
                low, high = probe.get_watermark_offsets(committed, timeout=10)
                lag += high - (committed.offset if committed.offset >= 0 else low)
            lags[group] = lag
        finally:
            probe.close()
    return lags


def wait_caught_up(bootstrap: str, timeout: float = 600) -> dict[str, int]:
    """Until the consumers have handled what earlier runs left on the topic (lag within what the
    auto-commit interval holds back)."""
    deadline = time.monotonic() + timeout
    while True:
        lags = consumer_lag(bootstrap, CONSUMERS)
        if max(lags.values()) <= 10 or time.monotonic() > deadline:
            return lags
        print(f"end to end: consumers catching up {lags} ...", flush=True)
        time.sleep(5)


def measure(intake, env: dict, log_dir, rate: float = RATE, seconds: float = SECONDS) -> dict:
    from bench.scans import remove_bench_data

    count = int(rate * seconds)
    print(f"end to end: preparing {count} nominations ...", flush=True)
    nomination_ids = prepare(intake, count)
    system = System(env, log_dir)
    try:
        system.start("intake-relay", *(f"{service}-consumer" for service in CONSUMERS))
        time.sleep(10)  # the consumers have joined their groups
        wait_caught_up(intake.settings.kafka_bootstrap)
        time.sleep(6)  # past one auto-commit interval
        print(f"end to end: {count} submissions at {rate}/s ...", flush=True)
        meter = CpuMeter(system)
        before = meter.measure()
        committed = send_steadily(intake, nomination_ids, rate)
        events = submitted_events(intake, nomination_ids)
        seen = wait_handled(list(events.values()))
        used = meter.since(before)
        results = {"rate_per_s": rate, "submissions": count, "to": latencies(committed, events, seen),
                   "cpu_ms_per_submission": {name: round(1000 * used[name] / count, 1) for name in CPU_SHOWN if name in used}}
        print("end to end: raw Kafka ...", flush=True)
        results["raw_kafka"] = raw_kafka(intake.settings.kafka_bootstrap, rate, seconds)
        results["measured_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return results
    finally:
        system.stop()
        remove_bench_data(intake, nomination_ids)
        unsend_messages(nomination_ids)
        forget_in_review(nomination_ids)


def unsend_messages(nomination_ids: list[str]) -> None:
    """Notify's messages about the bench's nominations: no worker ran to send them, and a later worker's
    sweeper would send them all (to Mailpit) before anything else, slowing every test that waits for a mail."""
    from services.notify.adapters.orm import messages
    from shared.config import Settings

    engine = sa.create_engine(Settings.from_env("notify").database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(sa.delete(messages).where(messages.c.nomination_id.in_(nomination_ids)))
    finally:
        engine.dispose()


def forget_in_review(nomination_ids: list[str]) -> None:
    """Review's read model of the bench's nominations: no reviewer of their domains takes them, so they would
    wait in the demo campaign, and every later opening of its review stage would hand them out first."""
    from services.review.adapters.orm import nomination_versions, nominations, reviews, scan_findings
    from shared.config import Settings

    engine = sa.create_engine(Settings.from_env("review").database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            for table in (reviews, scan_findings, nomination_versions, nominations):
                conn.execute(sa.delete(table).where(table.c.nomination_id.in_(nomination_ids)))
    finally:
        engine.dispose()
