"""What the notify integration tests drive: real events on the real Kafka, notify's consumer (in a thread
or as a process), its Celery worker as a process, and Mailpit read back through its REST API."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
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


class PrivateMailpit:
    """A Mailpit of one test's own (the devstack's build of it, a real SMTP server), for a test that stops
    its SMTP server: stopping the shared one would fail other sessions' tests, and their `devstack up`
    would start it again in the middle of the outage."""

    def __init__(self, folder: Path, *options: str):
        from devstack.provisioning import go_tool

        self.binary = go_tool("mailpit")
        self.smtp_port, self.http_port = _free_port(), _free_port()
        self.folder = folder
        self.options = list(options)
        self.popen: subprocess.Popen | None = None
        self.api = Mailpit(f"http://127.0.0.1:{self.http_port}")

    def start(self) -> "PrivateMailpit":
        log = (self.folder / "mailpit.log").open("ab")
        self.popen = subprocess.Popen([
            self.binary, "--smtp", f"127.0.0.1:{self.smtp_port}", "--listen", f"127.0.0.1:{self.http_port}",
            "--database", str(self.folder / "mailpit.db"), "--disable-version-check", *self.options,
        ], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        wait_until(self._answers, 30, 0.1, "the private Mailpit to answer")
        return self

    def kill(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(10)

    def _answers(self) -> bool:
        try:
            self.api.search("to:nobody")
        except OSError:
            return False
        try:
            socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1).close()
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- reading back ------------------------------------------------------------------------------------

class Mailpit:
    def __init__(self, api: str):
        self.api = api.rstrip("/")

    def search(self, query: str) -> list[dict]:
        """Every message matching a Mailpit search (e.g. `to:someone@x`), oldest first."""
        found, start = [], 0
        while True:
            page = self._get("/api/v1/search", query=query, start=start, limit=250)
            found += page["messages"]
            start += len(page["messages"])
            if not page["messages"] or start >= page["messages_count"]:
                return sorted(found, key=lambda m: m["Created"])

    def to(self, address: str) -> list[dict]:
        return [m for m in self.search(f"to:{address}") if any(t["Address"] == address for t in m["To"])]

    def text(self, mail_id: str) -> str:
        return self._get(f"/api/v1/message/{mail_id}")["Text"]

    def html(self, mail_id: str) -> str:
        return self._get(f"/api/v1/message/{mail_id}")["HTML"]

    def delete(self, query: str) -> None:
        ids = [m["ID"] for m in self.search(query)]
        if ids:
            request = urllib.request.Request(f"{self.api}/api/v1/messages", method="DELETE",
                                             data=json.dumps({"IDs": ids}).encode(),
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()

    def _get(self, path: str, **params) -> dict:
        url = f"{self.api}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        with urllib.request.urlopen(url, timeout=10) as answer:
            return json.load(answer)


def message_rows(engine: sa.Engine, *conditions) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(messages).where(*conditions).order_by(messages.c.created_at)).all()


def wait_for_rows(engine: sa.Engine, count: int, *conditions, timeout: float = 30, what: str = "messages") -> list:
    wait_until(lambda: len(message_rows(engine, *conditions)) >= count, timeout, 0.2, what)
    return message_rows(engine, *conditions)


def elapsed(since: float) -> float:
    return time.monotonic() - since


CAMPAIGN = "全国教育后勤系统“2022年度最美后勤人”推举活动"


def subjects(mailpit, address: str) -> Counter:
    """The subjects of the mail to `address`, without the campaign name they all start with."""
    return Counter(mail["Subject"].removeprefix(f"{CAMPAIGN}｜") for mail in mailpit.to(address))


def wait_for_mails(mailpit, people, count: int, timeout: float = 30) -> None:
    wait_until(lambda: len(mailpit.search(f"to:@{people.domain}")) >= count, timeout, 0.3, f"{count} mails")
    time.sleep(1)  # a duplicate would arrive right behind the last one


def body_of(mailpit, address: str, subject_part: str) -> str:
    mail = next(m for m in mailpit.to(address) if subject_part in m["Subject"])
    return mailpit.text(mail["ID"])


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

