"""Intake reacting to other services' events published to the real Kafka (review's returns, the
archive's honouree records), corrections and resubmission, and the relay restarted."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from confluent_kafka import Consumer

from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import nomination_versions, nominations, outbox
from services.intake.domain.nomination import FieldLocked
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.errors import Ineligible
from services.intake.service_layer.incoming import HANDLERS
from shared.events import new_event
from shared.events.topics import ARCHIVE, NOMINATIONS, REVIEWS
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.outbox import pending_rows
from shared.messaging.relay import run_relay
from shared.messaging.producer import make_producer
from tests.builders import complete_self_nomination, random_name
from tests.stack import wait_until

pytestmark = pytest.mark.integration




@pytest.fixture()
def intake_consumer(intake):
    runner = ConsumerRunner(group=f"intake-test-{uuid.uuid4().hex[:6]}", topics=[REVIEWS, ARCHIVE], handlers=HANDLERS,
                            sessions=intake.sessions, bootstrap=intake.settings.kafka_bootstrap)
    threading.Thread(target=runner.run, daemon=True).start()
    yield runner
    runner.stop.set()


def publish_to_kafka(bootstrap: str, event) -> None:
    producer = make_producer(bootstrap)
    producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0


def state_of(intake, nomination_id: str) -> str:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(nominations.c.state).where(nominations.c.id == nomination_id)).scalar()


def test_a_return_from_review_opens_the_named_fields_and_the_resubmission_keeps_every_version(intake, intake_consumer):
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "first")
    deadline = datetime.now(timezone.utc) + timedelta(days=3)
    publish_to_kafka(intake.settings.kafka_bootstrap, new_event("nomination.returned", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "fields": ["deeds"], "files": ["photo"],
        "reason": "事迹材料过于笼统，请补充具体事例", "correction_deadline": deadline.isoformat(), "returned_by": "review-group-1",
    }, producer="review"))
    wait_until(lambda: state_of(intake, nomination_id) == "returned", 30, what="the return to be applied")

    with pytest.raises(FieldLocked):
        use_cases.save_draft(intake, nomination_id, {"domain": "学生公寓"})
    use_cases.save_draft(intake, nomination_id, {"deeds": "补充：" + "她二十年如一日守护师生餐桌安全，创新推出营养配餐。" * 14})
    assert submission.send(intake, nomination_id, "second") == "resubmitted"

    with intake.engine.connect() as conn:
        versions = conn.execute(sa.select(nomination_versions.c.version, nomination_versions.c.snapshot)
                                .where(nomination_versions.c.nomination_id == nomination_id)
                                .order_by(nomination_versions.c.version)).all()
        events = conn.execute(sa.select(outbox.c.event_type, outbox.c.envelope).where(outbox.c.key == nomination_id)
                              .order_by(outbox.c.id)).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].snapshot["deeds"] != versions[1].snapshot["deeds"]
    assert [e.event_type for e in events if e.event_type in ("nomination.submitted", "nomination.resubmitted")] == [
        "nomination.submitted", "nomination.resubmitted"]
    resubmitted = events[-1].envelope["payload"] if events[-1].event_type == "nomination.resubmitted" else next(
        e.envelope["payload"] for e in events if e.event_type == "nomination.resubmitted")
    assert resubmitted["version"] == 2 and resubmitted["changed_fields"] == ["deeds"]


def test_an_honouree_recorded_by_the_archive_is_refused_at_submission(intake, intake_consumer):
    name = random_name("何")
    publish_to_kafka(intake.settings.kafka_bootstrap, new_event("honouree.recorded", f"person:{name}", {
        "person_key": f"{name}@新疆大学", "kind": "person", "name": name, "unit": "新疆大学", "campaign_year": 2021,
        "campaign_name": "2021年度最美后勤人", "domain": "伙食管理", "source": "import",
    }, producer="archive", version=2))
    wait_until(lambda: honouree_known(intake, name), 30, what="the honouree record to reach intake")
    nomination_id = complete_self_nomination(intake, name=name)
    with pytest.raises(Ineligible) as refused:
        submission.send(intake, nomination_id, "k")
    assert "2021年度最美后勤人" in refused.value.message
    assert state_of(intake, nomination_id) == "draft"


def honouree_known(intake, name: str) -> bool:
    from services.intake.adapters.orm import honourees

    with intake.engine.connect() as conn:
        return conn.execute(sa.select(honourees.c.id).where(honourees.c.name == name)).first() is not None

def test_a_submission_reaches_kafka_once_when_the_relay_is_restarted(intake):
    nomination_ids = [complete_self_nomination(intake, name=random_name("林")) for _ in range(3)]
    first_relay = threading.Event()
    thread = threading.Thread(target=run_relay, args=(intake.engine, make_producer(intake.settings.kafka_bootstrap), first_relay),
                              daemon=True)
    submission.send(intake, nomination_ids[0], "a")
    thread.start()
    wait_until(lambda: not pending_rows(intake.engine, 1000), 30, what="the first relay to publish")
    first_relay.set()
    thread.join(15)
    submission.send(intake, nomination_ids[1], "b")
    submission.send(intake, nomination_ids[2], "c")
    second_relay = threading.Event()
    threading.Thread(target=run_relay, args=(intake.engine, make_producer(intake.settings.kafka_bootstrap), second_relay),
                     daemon=True).start()
    try:
        wait_until(lambda: not pending_rows(intake.engine, 1000), 30, what="the restarted relay to publish")
    finally:
        second_relay.set()
    seen = submitted_events_in_kafka(intake.settings.kafka_bootstrap, set(nomination_ids))
    assert sorted(seen) == sorted(nomination_ids)


def submitted_events_in_kafka(bootstrap: str, keys: set[str]) -> list[str]:
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"reader-{uuid.uuid4().hex}",
                       "auto.offset.reset": "earliest", "enable.auto.commit": False})
    reader.subscribe([NOMINATIONS])
    found, idle = [], 0
    while idle < 6:
        message = reader.poll(0.5)
        if message is None or message.error():
            idle += 1
            continue
        idle = 0
        key = message.key().decode() if message.key() else None
        if key in keys and dict(message.headers() or [])["event_type"] == b"nomination.submitted":
            found.append(key)
    reader.close()
    return found


def test_a_returned_part_posted_whole_saves_when_only_the_opened_field_differs(intake, client):
    """A page (or client) posting back every field of the part: the age as text and 中共党员 as the form
    names them are the submitted answers, not changes; a locked field really changed is still refused."""
    nomination_id = complete_self_nomination(intake)
    submission.send(intake, nomination_id, "first")
    deadline = datetime.now(timezone.utc) + timedelta(days=3)
    with intake.sessions.begin() as session:
        HANDLERS["nomination.returned"](session, new_event("nomination.returned", nomination_id, {
            "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "fields": ["person.phone"], "files": [],
            "reason": "联系电话有误", "correction_deadline": deadline.isoformat(), "returned_by": "review"}, producer="review"))
    with intake.engine.connect() as conn:
        stored = conn.execute(sa.select(nominations.c.data).where(nominations.c.id == nomination_id)).scalar()
    posted = {f"person.{key}": str(value) for key, value in stored["person"].items()}
    posted.update({"person.political_status": "中共党员", "person.phone": "13987654321", "domain": stored["domain"],
                   **{f"contact.{key}": value for key, value in stored["contact"].items()}})
    path = f"/n/{nomination_token(intake.settings.secret_key, nomination_id)}/basic"

    saved = client.post(path, data=posted)
    refused = client.post(path, data={**posted, "person.age": "50"}, follow_redirects=True)

    assert saved.status_code == 302 and "/basic" not in saved.headers["Location"]
    with intake.engine.connect() as conn:
        person = conn.execute(sa.select(nominations.c.data).where(nominations.c.id == nomination_id)).scalar()["person"]
    assert person["phone"] == "13987654321" and person["age"] == stored["person"]["age"]
    assert "年龄" in refused.get_data(as_text=True) and "不能修改" in refused.get_data(as_text=True)
