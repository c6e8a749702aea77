"""What the notify integration tests drive: real events on the real Kafka, notify's consumer (in a thread
or as a process), its Celery worker as a process, and its rows; Mailpit read back: mailboxes.py."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from confluent_kafka import Consumer, TopicPartition

from services.notify.adapters.orm import messages
from services.notify.entrypoints.consumer import TOPICS
from shared.events import Event, new_event
from shared.messaging.producer import make_producer
from tests.stack import REPO, wait_until
from tests.unit.notify import builders


# ---- events ------------------------------------------------------------------------------------------

class People:
    """Unique addresses for one test, all under one mail domain, so Mailpit can be read by recipient."""

    def __init__(self, tag: str | None = None):
        self.tag = tag or uuid.uuid4().hex[:10]
        self.domain = f"{self.tag}.notify.test"

    def email(self, who: str) -> str:
        return f"{who}@{self.domain}"

    def mobile(self) -> str:
        """A mainland mobile number of this test's own."""
        return f"139{int(self.tag[:8], 16) % 10 ** 8:08d}"

    def nomination_id(self, n: int | str = 0) -> str:
        return f"N-{self.tag}-{n}"


def submission(people: People, n: int | str = 0, *, nominee_email: bool = True, recommender: bool = True,
               **changes) -> dict:
    """A person's nomination recommended by a local association: contact, nominee and recommender reachable."""
    base = builders.submission()
    person = {**base["person"], "email": people.email(f"nominee-{n}") if nominee_email else None}
    payload = builders.submission(
        nomination_id=people.nomination_id(n),
        status_url=f"https://tuiju.example.cn/status/{people.tag}-{n}",
        contact={"name": "李红梅", "email": people.email(f"contact-{n}"), "phone": people.mobile()},
        person=person,
    )
    if recommender:
        payload["recommender"] = {**base["recommender"], "org_id": f"ORG-{people.tag}", "email": people.email("org")}
    else:
        payload.update(channel="self", recommender=None)
    payload.update(changes)
    return payload


def event(event_type: str, payload: dict, producer: str = "intake") -> Event:
    key = payload.get("nomination_id") or payload["campaign_id"]
    return new_event(event_type, key, payload, producer=producer)


class Publisher:
    def __init__(self, bootstrap: str):
        self.producer = make_producer(bootstrap, client_id="notify-tests")

    def publish(self, *events: Event) -> None:
        for item in events:
            self.producer.produce(item.topic, key=item.key.encode(), value=item.to_json())
        assert self.producer.flush(30) == 0, "Kafka did not confirm the test's events"


def start_group_at_end(bootstrap: str, group: str, topics: list[str] = TOPICS) -> None:
    """Commit a new consumer group's offsets at the end of each topic, so it reads only what comes next
    (not the events other tests published on the shared broker before)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        metadata = consumer.list_topics(timeout=10)
        ends = []
        for topic in topics:
            for partition in metadata.topics[topic].partitions:
                _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
                ends.append(TopicPartition(topic, partition, high))
        consumer.commit(offsets=ends, asynchronous=False)
    finally:
        consumer.close()


# ---- processes ---------------------------------------------------------------------------------------

class Process:
    """A notify process started in its own process group, so kill -9 takes it and all its children."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path):
        self.name = name
        self.args = args
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.log_path = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self, ready_line: str | None = None, timeout: float = 60) -> "Process":
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(self.args, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        log.close()
        if ready_line:
            offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            wait_until(lambda: self._logged_since(offset, ready_line) or self._died(), timeout, 0.2,
                       f"{self.name} to be ready")
            assert not self._died(), f"{self.name} exited early:\n{self.tail()}"
        return self

    def kill(self) -> None:
        """SIGKILL to the whole process group: no clean-up, like a machine that loses power."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def _died(self) -> bool:
        return self.popen.poll() is not None

    def _logged_since(self, offset: int, line: str) -> bool:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return line.encode() in log.read()


def worker_process(env: dict[str, str], log_dir: Path, name: str = "worker") -> Process:
    hostname = f"{name}-{uuid.uuid4().hex[:6]}@%h"
    return Process(name, [sys.executable, "-m", "celery", "-A", "services.notify.entrypoints.worker", "worker",
                          "-l", "info", "-c", "2", "-B", "-n", hostname, "--without-mingle"], env, log_dir)


def start_worker(env: dict[str, str], log_dir: Path, name: str = "worker") -> Process:
    return worker_process(env, log_dir, name).start(ready_line=" ready.")


def consumer_process(env: dict[str, str], log_dir: Path, name: str = "consumer") -> Process:
    return Process(name, [sys.executable, "-m", "services.notify.entrypoints.consumer"], env, log_dir)


def consumer_thread(notify, group: str) -> tuple[threading.Thread, threading.Event]:
    """Notify's consumer in this process (a real ConsumerRunner on the real broker, group `group`)."""
    from services.notify.service_layer.handlers import make_handlers
    from shared.messaging.consumer import ConsumerRunner

    start_group_at_end(notify.settings.kafka_bootstrap, group)
    runner = ConsumerRunner(group=group, topics=TOPICS, handlers=make_handlers(notify), sessions=notify.sessions,
                            bootstrap=notify.settings.kafka_bootstrap)
    thread = threading.Thread(target=runner.run, daemon=True, name=f"consumer-{group}")
    thread.start()
    return thread, runner.stop


def message_rows(engine: sa.Engine, *conditions) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(messages).where(*conditions).order_by(messages.c.created_at)).all()


def wait_for_rows(engine: sa.Engine, count: int, *conditions, timeout: float = 30, what: str = "messages") -> list:
    wait_until(lambda: len(message_rows(engine, *conditions)) >= count, timeout, 0.2, what)
    return message_rows(engine, *conditions)


def elapsed(since: float) -> float:
    return time.monotonic() - since


def notify_with_own_campaign(notify_env: dict, people, folder: Path):
    """Notify reading a campaign file of the test's own (the real one under another id), so its reminders
    and digests concern only that test's organisations, drafts and nominations."""
    from services.notify.bootstrap import bootstrap

    campaign_file = folder / "campaign.yaml"
    source = (REPO / "campaigns" / "2022-zuimei-houqin.yaml").read_text(encoding="utf-8")
    campaign_file.write_text(source.replace("id: 2022-zuimei-houqin", f"id: test-{people.tag}", 1), encoding="utf-8")
    container = bootstrap({**notify_env, "TUIJU_CAMPAIGN_FILE": str(campaign_file)})
    container.campaign_id = f"test-{people.tag}"
    return container


def consumer_running(notify):
    """A generator for a fixture: notify's consumer in a thread under a group of its own, stopped at the end."""
    thread, stop = consumer_thread(notify, f"notify-test-{uuid.uuid4().hex[:8]}")
    yield
    stop.set()
    thread.join(15)
