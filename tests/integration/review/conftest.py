"""Review on the test servers: its container with the demo campaign (open now), its consumer in a thread,
staff of the test's own, and events published to the real Kafka."""
from __future__ import annotations

import threading
import uuid

import pytest

from services.review.bootstrap import bootstrap
from services.review.domain.people import Role, StaffMember
from services.review.entrypoints.consumer import TOPICS
from services.review.service_layer.handlers import make_handlers
from services.review.service_layer.staff import save_member
from shared.campaign import demo_copy, load_campaign
from shared.config import Settings
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.producer import make_producer
from tests.integration.notify.harness import start_group_at_end


@pytest.fixture()
def review(stack, request):
    """Review with the demo campaign; in a module marked `own_campaign(**changes)`, with a campaign of the
    test's own (its id, and those changes: no other test's nominations or staff in its lists)."""
    from tests.integration.review.committee import own_campaign_review

    marker = request.node.get_closest_marker("own_campaign")
    if marker is not None:
        container = own_campaign_review(stack, **marker.kwargs)
    else:
        settings = Settings.from_env("review", stack)
        container = bootstrap(settings, campaign=demo_copy(load_campaign(settings.campaign_file), _now()))
    yield container
    container.engine.dispose()


def _now():
    from services.review.bootstrap import utc_now

    return utc_now()


def run_consumer(review, *, from_start: bool) -> ConsumerRunner:
    group = f"review-test-{uuid.uuid4().hex[:6]}"
    if not from_start:
        start_group_at_end(review.settings.kafka_bootstrap, group, TOPICS)
    runner = ConsumerRunner(group=group, topics=TOPICS, handlers=make_handlers(review), sessions=review.sessions,
                            bootstrap=review.settings.kafka_bootstrap)
    threading.Thread(target=runner.run, daemon=True).start()
    return runner


@pytest.fixture()
def consumer(review):
    """Review's consumer reading only what is published from now on."""
    runner = run_consumer(review, from_start=False)
    yield runner
    runner.stop.set()


def publish(bootstrap: str, *events) -> None:
    producer = make_producer(bootstrap)
    for event in events:
        producer.produce(event.topic, key=event.key, value=event.to_json())
    assert producer.flush(10) == 0


@pytest.fixture()
def staff(review):
    """A secretariat member and a working-group reviewer of 伙食管理, with subjects of this test's own."""
    tag = uuid.uuid4().hex[:8]
    people = {
        "secretariat": StaffMember(f"sec-{tag}", "秘书处测试", Role.SECRETARIAT, unit="中国教育后勤协会"),
        "worker": StaffMember(f"wg-{tag}", "审核员测试", Role.WORKING_GROUP, domains=("伙食管理",), unit=f"测试单位{tag}"),
        "branch": StaffMember(f"br-{tag}", "伙食专委会测试", Role.BRANCH, domains=("伙食管理",), unit=f"专委会{tag}"),
    }
    with review.sessions.begin() as session:
        for member in people.values():
            save_member(session, member, by=None, at=review.clock())
    return people
