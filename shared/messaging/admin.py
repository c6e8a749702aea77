"""Creating the project's topics with their partition counts (never by auto-creation)."""
from __future__ import annotations

from confluent_kafka.admin import AdminClient, NewTopic

from shared.events.topics import PARTITIONS


def ensure_topics(bootstrap: str, partitions: dict[str, int] | None = None, timeout: float = 30) -> list[str]:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    wanted = partitions or PARTITIONS
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = [NewTopic(name, num_partitions=n, replication_factor=1)
               for name, n in wanted.items() if name not in existing]
    if not missing:
        return []
    for name, future in admin.create_topics(missing, operation_timeout=timeout).items():
        try:
            future.result()
        except Exception as error:  # created meanwhile by another process
            if "TOPIC_ALREADY_EXISTS" not in str(error):
                raise
    return [topic.topic for topic in missing]


def kafka_answers(bootstrap: str, timeout: float = 3) -> bool:
    admin = AdminClient({"bootstrap.servers": bootstrap, "socket.connection.setup.timeout.ms": int(timeout * 1000)})
    admin.list_topics(timeout=timeout)
    return True
