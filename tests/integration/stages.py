"""Stage changes as the system makes them, for the tests of what intake and notify do with them: a campaign of
the test's own (a copy of the real file under another id, dates moved to today as in a demo), review's
scheduler announcing what is due at a given moment, and review's relay taking the events to the real Kafka."""
from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from shared.campaign import Campaign, demo_copy, load_campaign
from shared.config import Settings
from shared.messaging.outbox import pending_rows
from shared.messaging.producer import make_producer
from shared.messaging.relay import run_relay
from tests.stack import REPO, wait_until


def campaign_of_its_own(folder: Path, anchor: datetime) -> tuple[Path, Campaign]:
    """A campaign file whose id no other test uses, and its demo copy anchored at `anchor`."""
    source = (REPO / "campaigns" / "2022-zuimei-houqin.yaml").read_text(encoding="utf-8")
    path = folder / "campaign.yaml"
    path.write_text(source.replace("id: 2022-zuimei-houqin", f"id: stages-{uuid.uuid4().hex[:8]}", 1), encoding="utf-8")
    return path, demo_copy(load_campaign(path), anchor)


@contextmanager
def review_scheduler(stack: dict, campaign: Campaign):
    """Review's container for `campaign`, whose `announce(now)` publishes what is due at `now` to Kafka."""
    from services.review.bootstrap import bootstrap
    from services.review.service_layer.stages import announce_due_stages

    review = bootstrap(Settings.from_env("review", stack), campaign=campaign)

    def announce(now: datetime) -> list[str]:
        announced = announce_due_stages(review, now)
        relay_review_outbox(review)
        return announced

    review.announce = announce
    try:
        yield review
    finally:
        review.engine.dispose()


def relay_review_outbox(review) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=run_relay, args=(review.engine, make_producer(review.settings.kafka_bootstrap), stop),
                              daemon=True)
    thread.start()
    try:
        wait_until(lambda: not pending_rows(review.engine, 1), 30, what="review's relay to publish the stage changes")
    finally:
        stop.set()
        thread.join(15)
