"""The archive's view of a nomination follows a flagged file the applicant replaced after submission
(nomination.file_replaced, read from the real Kafka): the new file stands in the old one's place among the
nomination's files (the domain's ZIP and the dossier take them from there), the old one stays in the events."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from services.archive.adapters.orm import nominations
from services.archive.entrypoints.consumer import TOPICS, handlers
from shared.events import new_event
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.producer import make_producer
from tests.integration.archive.events import submitted
from tests.integration.notify.harness import start_group_at_end
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture()
def consumer(archive):
    group = f"archive-replaced-{uuid.uuid4().hex[:6]}"
    start_group_at_end(archive.settings.kafka_bootstrap, group, TOPICS)
    runner = ConsumerRunner(group=group, topics=TOPICS, handlers=handlers(archive), sessions=archive.sessions,
                            bootstrap=archive.settings.kafka_bootstrap)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    yield runner
    runner.stop.set()
    thread.join(15)


def files_of(archive, nomination_id: str) -> list[str] | None:
    with archive.engine.connect() as conn:
        files = conn.execute(sa.select(nominations.c.files).where(nominations.c.nomination_id == nomination_id)).scalar()
    return None if files is None else [f"{f['file_id']}:{f.get('filename')}" for f in files]


def test_a_replaced_file_takes_the_flagged_ones_place_in_the_archives_view(archive, consumer):
    nomination = submitted()
    nomination_id = nomination.key
    old = nomination.payload["files"][0]
    replaced = new_event("nomination.file_replaced", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": nomination.payload["campaign_id"], "replaced_file_id": old["file_id"],
        "file": {**old, "file_id": f"new-{nomination_id}", "filename": "重新盖章.pdf", "sha256": "2" * 64}}, producer="intake")
    producer = make_producer(archive.settings.kafka_bootstrap)
    for event in (nomination, replaced):
        producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0

    wait_until(lambda: files_of(archive, nomination_id) == [f"new-{nomination_id}:重新盖章.pdf"], 60,
               what="the archive's view to hold the new file")
