"""A nomination's way through review on the real servers: intake submits it, review assigns it, a
working-group reviewer returns one field, the return reaches intake (the applicant can correct it) and
notify (a mail in Mailpit); the resubmission comes back to the reviewer with what changed; the approval
and the branch's shortlisting are published; every step is in the verified audit trail."""
from __future__ import annotations

import threading
import uuid

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import nominations as intake_nominations
from services.intake.service_layer import nominations as intake_cases, submission
from services.intake.service_layer.incoming import HANDLERS as INTAKE_HANDLERS
from services.review.adapters.orm import decisions, nomination_versions, outbox, reviews
from services.review.domain.states import Action, State
from services.review.domain.transitions import Request
from services.review.service_layer.assignments import reassign
from services.review.service_layer.audit import verify_trail
from services.review.service_layer.decisions import decide_nomination
from shared.campaign import Refusal
from shared.events.topics import ARCHIVE, REVIEWS
from shared.messaging.consumer import ConsumerRunner
from shared.messaging.relay import run_relay
from shared.messaging.producer import make_producer
from tests.builders import complete_self_nomination, open_intake, random_name
from tests.integration.notify import harness
from tests.integration.notify.harness import start_group_at_end
from tests.integration.notify.mailboxes import Mailpit
from tests.outboxes import set_aside_unsent
from tests.stack import wait_until

MAIL_WAIT = 240

pytestmark = pytest.mark.integration


@pytest.fixture()
def intake(stack):
    container = open_intake(stack)
    yield container
    container.engine.dispose()


def _thread(target, *args) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=target, args=(*args, stop), daemon=True).start()
    return stop


@pytest.fixture()
def wiring(stack, intake, review, consumer, tmp_path):
    """The relays of intake and review, intake's consumer, and notify (consumer and a Celery worker)."""
    set_aside_unsent(intake.engine), set_aside_unsent(review.engine)
    stops = [_thread(run_relay, intake.engine, make_producer(stack["TUIJU_KAFKA_BOOTSTRAP"])),
             _thread(run_relay, review.engine, make_producer(stack["TUIJU_KAFKA_BOOTSTRAP"]))]
    group = f"intake-test-{uuid.uuid4().hex[:6]}"
    start_group_at_end(stack["TUIJU_KAFKA_BOOTSTRAP"], group, [REVIEWS, ARCHIVE])
    intake_consumer = ConsumerRunner(group=group, topics=[REVIEWS, ARCHIVE], handlers=INTAKE_HANDLERS,
                                     sessions=intake.sessions, bootstrap=stack["TUIJU_KAFKA_BOOTSTRAP"])
    threading.Thread(target=intake_consumer.run, daemon=True).start()
    notify_env = {**stack, "TUIJU_NOTIFY_QUEUE": f"notify-review-{uuid.uuid4().hex[:8]}",
                  "TUIJU_NOTIFY_BEAT_SCHEDULE": str(tmp_path / "beat"), "TUIJU_SMS_SINK": str(tmp_path / "sms")}
    from services.notify.bootstrap import bootstrap as notify_bootstrap

    notify = notify_bootstrap(notify_env)
    worker = harness.start_worker(notify_env, tmp_path, name="review-notify-worker")
    thread, notify_stop = harness.consumer_thread(notify, f"notify-test-{uuid.uuid4().hex[:8]}")
    yield
    for stop in (*stops, notify_stop, intake_consumer.stop):
        stop.set()
    worker.stop()
    notify.engine.dispose()


def review_row(review, nomination_id: str):
    with review.engine.connect() as conn:
        return conn.execute(sa.select(reviews).where(reviews.c.nomination_id == nomination_id)).first()


def intake_row(intake, nomination_id: str):
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(intake_nominations).where(intake_nominations.c.id == nomination_id)).first()


def published(review, nomination_id: str) -> list[str]:
    with review.engine.connect() as conn:
        return list(conn.execute(sa.select(outbox.c.event_type).where(outbox.c.key == nomination_id)
                                 .order_by(outbox.c.id)).scalars())


def test_return_reaches_intake_and_notify_and_the_resubmission_comes_back_with_its_diff(
        stack, intake, review, staff, wiring):
    mail_domain = f"{uuid.uuid4().hex[:10]}.review.test"
    contact = f"contact@{mail_domain}"
    nomination_id = complete_self_nomination(intake, name=random_name("周"), email=contact)
    submission.send(intake, nomination_id, "k1")
    wait_until(lambda: review_row(review, nomination_id) is not None, 60, what="review to receive the submission")
    mailpit = Mailpit(stack["TUIJU_MAILPIT_API"])
    # Notify knows the contact from the submission: its receipt comes before the return, as on a real campaign
    # (the two topics are not ordered between them, and notify's consumer may join the group after both).
    wait_until(lambda: mailpit.to(contact), MAIL_WAIT, 1, "the receipt mail")

    worker, secretariat, branch = staff["worker"], staff["secretariat"], staff["branch"]
    assert reassign(review, [nomination_id], by=secretariat, to=worker.subject) == {nomination_id: worker.subject}
    decide_nomination(review, nomination_id, worker, Request(Action.RETURN, reason="联系电话位数不对，请核实",
                                                             fields=("person.phone",)))

    wait_until(lambda: intake_row(intake, nomination_id).state == "returned", 60, what="intake to reopen it")
    assert intake_row(intake, nomination_id).open_fields == ["person.phone"]
    # Long: notify's worker may first send what its sweeper finds unsent of earlier tests.
    wait_until(lambda: any("需要补正" in m["Subject"] for m in mailpit.to(contact)), MAIL_WAIT, 1, "the return mail")
    assert "联系电话位数不对" in mailpit.text(next(m for m in mailpit.to(contact) if "需要补正" in m["Subject"])["ID"])

    intake_cases.save_draft(intake, nomination_id, {"person": {"phone": "13712345678"}})
    submission.send(intake, nomination_id, "k2")
    wait_until(lambda: review_row(review, nomination_id).state == State.MATERIAL_CHECK, 60, what="the resubmission")
    assert review_row(review, nomination_id).assigned_to == worker.subject
    with review.engine.connect() as conn:
        changed = conn.execute(sa.select(nomination_versions.c.changed_fields).where(
            nomination_versions.c.nomination_id == nomination_id, nomination_versions.c.version == 2)).scalar()
    assert changed == ["person.phone"]

    decide_nomination(review, nomination_id, worker, Request(Action.APPROVE))
    with pytest.raises(Refusal, match="不能推举入围"):
        decide_nomination(review, nomination_id, worker, Request(Action.SHORTLIST))
    decide_nomination(review, nomination_id, branch, Request(Action.SHORTLIST))

    assert review_row(review, nomination_id).state == State.SHORTLISTED
    assert published(review, nomination_id) == ["nomination.returned", "nomination.advanced", "nomination.advanced"]
    with review.engine.connect() as conn:
        made = conn.execute(sa.select(decisions.c.action, decisions.c.by).where(
            decisions.c.nomination_id == nomination_id).order_by(decisions.c.id)).all()
    assert [tuple(d) for d in made] == [("return", worker.subject), ("approve", worker.subject),
                                        ("shortlist", branch.subject)]
    wait_until(lambda: any("已入围" in m["Subject"] for m in mailpit.to(contact)), MAIL_WAIT, 1, "the shortlisted mail")
    assert verify_trail(review.engine).ok
