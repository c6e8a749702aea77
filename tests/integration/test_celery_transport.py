"""The project's kombu Redis transport (shared/celery_redis.py) against the real Redis: a channel publishes
through one client for all its messages, and a new connection pool gets a client of its own."""
from __future__ import annotations

import uuid

from shared.celery_app import make_celery
from shared.config import Settings


def test_a_channel_publishes_every_message_through_one_client_and_they_all_arrive(stack):
    app = make_celery(Settings.from_env("intake", stack), include=[])
    queue = f"transport-test-{uuid.uuid4().hex[:8]}"
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        first = channel._create_client()
        with connection.SimpleQueue(queue, channel=channel) as messages:
            for number in range(3):
                messages.put({"number": number})
            assert channel._create_client() is first
            received = [messages.get(timeout=5) for _ in range(3)]
            assert sorted(message.payload["number"] for message in received) == [0, 1, 2]
            for message in received:
                message.ack()
            messages.queue.delete()


def test_a_new_connection_pool_gets_a_new_client(stack):
    app = make_celery(Settings.from_env("intake", stack), include=[])
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        before = channel._create_client()
        channel._disconnect_pools()  # what kombu does when the connection is lost
        after = channel._create_client()
        assert after is not before and after.connection_pool is channel.pool
        assert after.ping()
