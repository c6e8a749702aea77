"""Delivery through faults: the consumer and the worker killed with SIGKILL in the middle of a burst, and
the SMTP server refusing connections for a minute. Every message arrives once, none twice, none lost."""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa

from services.notify.adapters.orm import messages
from services.notify.bootstrap import bootstrap
from shared.messaging.producer import make_producer
from tests.integration.notify import harness
from tests.integration.notify.mailboxes import PrivateMailpit
from tests.integration.notify.harness import event, submission
from tests.stack import wait_until

pytestmark = pytest.mark.integration

BURST = 200
SMTP_OUTAGE = 60.0  # seconds, the figure


@pytest.fixture()
def notify(notify_env):
    container = bootstrap(notify_env)
    yield container
    container.engine.dispose()


def one_mail_each(people, count: int) -> list:
    """Submissions that each call for one e-mail: to the contact (self-nomination, nominee unreachable)."""
    return [event("nomination.submitted", submission(people, n, recommender=False, nominee_email=False))
            for n in range(count)]


def publish_steadily(bootstrap_servers: str, events: list, per_second: float) -> threading.Thread:
    """Publish in the background at a steady pace, so that kills land in the middle of the burst."""
    def run():
        producer = make_producer(bootstrap_servers, client_id="notify-tests-burst")
        for item in events:
            producer.produce(item.topic, key=item.key.encode(), value=item.to_json())
            producer.poll(0)
            time.sleep(1 / per_second)
        assert producer.flush(30) == 0

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def mails_by_recipient(mailpit, people) -> Counter:
    return Counter(to["Address"] for mail in mailpit.search(f"to:@{people.domain}") for to in mail["To"])


def of_this_test(people):
    return messages.c.nomination_id.like(f"N-{people.tag}-%")


def test_burst_with_consumer_and_worker_killed_midway_delivers_every_message_once(
        notify_env, notify, logs, mailpit, people):
    group = f"notify-test-{uuid.uuid4().hex[:8]}"
    harness.start_group_at_end(notify.settings.kafka_bootstrap, group)
    env = {**notify_env, "TUIJU_CONSUMER_GROUP": group}
    consumer = harness.consumer_process(env, logs).start()
    worker = harness.start_worker(env, logs)
    try:
        publishing = publish_steadily(notify.settings.kafka_bootstrap, one_mail_each(people, BURST), per_second=50)
        wait_until(lambda: len(harness.message_rows(notify.engine, of_this_test(people))) >= BURST // 3
                   and len(mailpit.search(f"to:@{people.domain}")) >= 10, 60, 0.05, "the burst to be under way")
        consumer.kill()
        worker.kill()
        rows_at_kill = harness.message_rows(notify.engine, of_this_test(people))
        recorded_at_kill = len(rows_at_kill)
        unconfirmed_at_kill = {f"{row.id}@tuiju.local" for row in rows_at_kill if row.state != "sent"}
        mailed_at_kill = len(mailpit.search(f"to:@{people.domain}"))
        assert recorded_at_kill < BURST and mailed_at_kill < BURST, "the kill came after the burst"
        publishing.join(30)

        consumer.start()
        worker = harness.start_worker(env, logs, "worker-again")
        wait_until(lambda: len(mailpit.search(f"to:@{people.domain}")) >= BURST, 120, 0.5, f"{BURST} mails")
        time.sleep(3)  # late duplicates, if any, would arrive now
    finally:
        consumer.stop()
        worker.stop()

    received = mails_by_recipient(mailpit, people)
    assert len(received) == BURST
    copies = Counter(mail["MessageID"] for mail in mailpit.search(f"to:@{people.domain}"))
    sent_again = {message_id for message_id, count in copies.items() if count > 1}
    # The documented window: the killed worker's SMTP server had accepted a message whose row had not yet
    # committed, so the next worker sends that same row (its own Message-ID) once more; at most one per
    # send running at the kill (-c 2). Any other copy is a defect.
    assert sent_again <= unconfirmed_at_kill and len(sent_again) <= 2, sent_again
    assert all(count <= 2 for count in copies.values())
    assert len(copies) == BURST
    rows = harness.message_rows(notify.engine, of_this_test(people))
    assert len(rows) == BURST
    assert Counter(row.state for row in rows) == Counter({"sent": BURST})


def test_smtp_server_refusing_connections_for_a_minute_delays_messages_and_loses_none(
        notify_env, logs, publisher, people, tmp_path):
    smtp = PrivateMailpit(tmp_path).start()
    env = {**notify_env, "TUIJU_SMTP_PORT": str(smtp.smtp_port)}
    notify = bootstrap(env)
    thread, stop = harness.consumer_thread(notify, f"notify-test-{uuid.uuid4().hex[:8]}")
    worker = harness.start_worker(env, logs, "worker-smtp")
    count = 20
    try:
        smtp.kill()
        down_since = time.monotonic()
        try:
            publisher.publish(*one_mail_each(people, count))
            harness.wait_for_rows(notify.engine, count, of_this_test(people), messages.c.attempts >= 1,
                                  timeout=30, what="every message tried once")
            time.sleep(max(0.0, SMTP_OUTAGE - harness.elapsed(down_since)))
            during = harness.message_rows(notify.engine, of_this_test(people))
        finally:
            smtp.start()
        assert {row.state for row in during} == {"pending"}
        assert min(row.attempts for row in during) >= 3
        assert all("ConnectionRefusedError" in row.last_error for row in during)

        wait_until(lambda: len(smtp.api.search(f"to:@{people.domain}")) >= count, 60, 0.5, f"{count} mails")
        time.sleep(2)
        received = mails_by_recipient(smtp.api, people)
    finally:
        worker.stop()
        stop.set()
        thread.join(15)
        smtp.kill()

    assert len(received) == count and set(received.values()) == {1}
    rows = harness.message_rows(notify.engine, of_this_test(people))
    assert {row.state for row in rows} == {"sent"}
    assert min(row.attempts for row in rows) >= 4
    assert all("ConnectionRefusedError" in row.last_error for row in rows)  # the history stays on the record
    notify.engine.dispose()


def test_recipient_refused_for_good_is_failed_at_once_recorded_and_resendable(notify_env, logs, publisher, people,
                                                                              tmp_path, admin):
    smtp = PrivateMailpit(tmp_path, "--smtp-allowed-recipients", "^contact-").start()
    env = {**notify_env, "TUIJU_SMTP_PORT": str(smtp.smtp_port)}
    notify = bootstrap(env)
    thread, stop = harness.consumer_thread(notify, f"notify-test-{uuid.uuid4().hex[:8]}")
    worker = harness.start_worker(env, logs, "worker-refusing")
    try:
        publisher.publish(event("nomination.submitted", submission(people, nominee_email=False)))
        rows = harness.wait_for_rows(notify.engine, 2, of_this_test(people), messages.c.state.in_(("sent", "failed")),
                                     what="both messages settled")
        assert len(smtp.api.search(f"to:@{people.domain}")) == 1
    finally:
        worker.stop()
        stop.set()
        thread.join(15)
        smtp.kill()

    by_kind = {row.recipient_kind: row for row in rows}
    assert (by_kind["contact"].state, by_kind["recommender"].state) == ("sent", "failed")
    refused = by_kind["recommender"]
    assert refused.attempts == 1 and refused.last_error.startswith("收件人被拒绝 / recipient refused")
    assert "550" in refused.last_error
    with notify.engine.connect() as conn:
        failed_event = conn.execute(sa.text(
            "SELECT envelope FROM outbox WHERE event_type = 'message.failed' "
            "AND envelope->'payload'->>'message_id' = :id"), {"id": refused.id}).scalar_one()
    assert failed_event["payload"]["attempt"] == 1 and "550" in failed_event["payload"]["provider_answer"]
    page = admin.get(f"/admin/messages/{refused.id}").get_data(as_text=True)
    assert "失败" in page and "550" in page and "重发这条消息" in page
    notify.engine.dispose()
