"""Intake acting on the campaign's stage changes as review's scheduler announces them through the real Kafka:
at the close of submissions the drafts left unsent are locked as lapsed and a flagged file (its verdict long
past) can no longer be replaced, even on a host whose clock is still a little before the close; an announcement of a close not yet
due by intake's clock, or of another campaign, changes nothing."""
from __future__ import annotations

import io
import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import campaign_stages, nominations
from services.intake.bootstrap import bootstrap, utc_now
from services.intake.domain.upload_rules import UploadRefused
from services.intake.entrypoints.consumer import TOPICS, handlers
from services.intake.service_layer import nominations as use_cases
from services.intake.service_layer import submission
from services.intake.service_layer.errors import IntakeRefusal
from services.intake.service_layer.uploads import add_upload
from services.intake.service_layer.views import nomination_view
from shared.config import Settings
from shared.messaging.consumer import ConsumerRunner
from tests.builders import complete_self_nomination, form_data
from tests.fixtures import scanfiles
from tests.integration.notify.harness import start_group_at_end
from tests.integration.stages import campaign_of_its_own, review_scheduler
from tests.stack import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture()
def campaign(tmp_path):
    return campaign_of_its_own(tmp_path, utc_now())[1]


@pytest.fixture()
def intake(stack, campaign):
    """Intake of the test's campaign, its clock two minutes before the close of submissions."""
    container = bootstrap(Settings.from_env("intake", stack), queue_scan=[].append, campaign=campaign)
    container.clock = lambda: campaign.submission.ends_before - timedelta(minutes=2)
    yield container
    container.engine.dispose()


@pytest.fixture()
def consumer(intake):
    group = f"intake-stages-{uuid.uuid4().hex[:6]}"
    start_group_at_end(intake.settings.kafka_bootstrap, group, TOPICS)
    runner = ConsumerRunner(group=group, topics=TOPICS, handlers=handlers(intake), sessions=intake.sessions,
                            bootstrap=intake.settings.kafka_bootstrap)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    yield runner
    runner.stop.set()
    thread.join(15)


def state_of(intake, nomination_id: str) -> str:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(nominations.c.state).where(nominations.c.id == nomination_id)).scalar()


def recorded(intake, campaign_id: str):
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(campaign_stages).where(campaign_stages.c.campaign_id == campaign_id,
                                                             campaign_stages.c.stage == "submission")).first()


def test_the_close_of_submissions_lapses_the_drafts_and_ends_the_replacement_of_flagged_files(
        stack, intake, campaign, consumer):
    intake.clock = lambda: campaign.submission.ends_before - timedelta(days=3)  # scanned in good time
    draft = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    use_cases.save_draft(intake, draft, form_data())
    flagged = complete_self_nomination(intake)  # its sealed form's QR names another nomination: flagged
    submission.send(intake, flagged, "k1")
    assert nomination_view(intake, flagged).replaceable_kinds == ["sealed_form"]
    intake.clock = lambda: campaign.submission.ends_before - timedelta(minutes=2)

    with review_scheduler(stack, campaign) as review:
        assert "submission:closed" in review.announce(campaign.submission.ends_before)
    wait_until(lambda: state_of(intake, draft) == "lapsed", 30, what="the draft to lapse")

    assert state_of(intake, flagged) == "submitted"
    assert nomination_view(intake, flagged).replaceable_kinds == []
    with pytest.raises(UploadRefused, match="材料审核已开始"):
        add_upload(intake, flagged, "sealed_form", io.BytesIO(scanfiles.sealed_form_pdf(flagged)),
                   filename="again.pdf", content_type="application/pdf")
    for refused in (lambda: use_cases.save_draft(intake, draft, {"deeds": "补充"}),
                    lambda: submission.send(intake, draft, "late")):
        with pytest.raises(IntakeRefusal):
            refused()
    assert state_of(intake, draft) == "lapsed"


def test_a_close_not_yet_due_by_intakes_clock_is_recorded_and_changes_nothing(stack, intake, campaign, consumer):
    intake.clock = lambda: campaign.submission.ends_before - timedelta(hours=1)
    draft = use_cases.start_nomination(intake, channel="self", nominee_kind="person")
    with review_scheduler(stack, campaign) as review:
        review.announce(campaign.submission.ends_before)
    wait_until(lambda: recorded(intake, campaign.id) is not None and recorded(intake, campaign.id).closed_at, 30,
               what="the close to be recorded")
    assert state_of(intake, draft) == "draft"
    use_cases.save_draft(intake, draft, {"deeds": "仍可填写"})
