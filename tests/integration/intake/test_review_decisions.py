"""Review's decisions reach the applicant's status page (nomination.advanced): approved, shortlisted, not
shortlisted; once review has decided, no file is replaced any more (tester's findings I-12 and I-11)."""
from __future__ import annotations

import html
import io

import pytest
import sqlalchemy as sa

from services.intake.adapters.links import nomination_token
from services.intake.adapters.orm import nominations
from services.intake.entrypoints.consumer import handlers as consumer_handlers
from services.intake.domain.upload_rules import UploadRefused
from services.intake.service_layer import nominations as use_cases, submission
from services.intake.service_layer.incoming import HANDLERS
from services.intake.service_layer.uploads import add_upload
from shared.events import new_event
from tests.builders import complete_self_nomination
from tests.fixtures import scanfiles

pytestmark = pytest.mark.integration


def advanced(intake, nomination_id: str, to_stage: str, from_stage: str = "material_check"):
    return new_event("nomination.advanced", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "from_stage": from_stage,
        "to_stage": to_stage, "decided_by": "review-group-1"}, producer="review")


def apply(intake, event) -> None:
    with intake.sessions.begin() as session:
        HANDLERS[event.type](session, event)


def review_stage(intake, nomination_id: str) -> str | None:
    with intake.engine.connect() as conn:
        return conn.execute(sa.select(nominations.c.review_stage).where(nominations.c.id == nomination_id)).scalar()


def status_page(client, intake, nomination_id: str) -> str:
    answer = client.get(f"/n/{nomination_token(intake.settings.secret_key, nomination_id)}")
    assert answer.status_code == 200
    return html.unescape(answer.get_data(as_text=True))


def submitted(intake) -> str:
    nomination_id = complete_self_nomination(intake)  # its sealed form's QR names another nomination: flagged
    submission.send(intake, nomination_id, "k1")
    return nomination_id


def test_reviews_decisions_reach_the_status_page_through_the_consumers_handlers(intake, client):
    nomination_id = submitted(intake)
    handle = consumer_handlers(intake)["nomination.advanced"]
    for event in (advanced(intake, nomination_id, "approved"),
                  advanced(intake, nomination_id, "shortlisted", from_stage="approved")):
        with intake.sessions.begin() as session:
            handle(session, event)
    assert review_stage(intake, nomination_id) == "shortlisted"
    page = status_page(client, intake, nomination_id)
    assert '<h2>已入围</h2>' in page
    assert 'aria-current="step">\n    <strong>推举入围与确定候选人</strong>' in page
    assert "更换材料" not in page


def test_a_nomination_not_shortlisted_says_so_and_its_way_ends(intake, client):
    nomination_id = submitted(intake)
    apply(intake, advanced(intake, nomination_id, "approved"))
    apply(intake, advanced(intake, nomination_id, "not_shortlisted", from_stage="approved"))
    page = status_page(client, intake, nomination_id)
    assert '<h2>未入围</h2>' in page and "此申报未入围，不再进入后续环节" in page


def test_no_file_is_replaced_once_review_has_decided(intake, client):
    nomination_id = submitted(intake)
    assert "更换材料" in status_page(client, intake, nomination_id)  # its flagged form could be replaced
    apply(intake, advanced(intake, nomination_id, "approved"))
    with pytest.raises(UploadRefused, match="评审已作出决定（材料审核通过），已提交的材料不能再更换"):
        add_upload(intake, nomination_id, "sealed_form", io.BytesIO(scanfiles.sealed_form_pdf(nomination_id)),
                   filename="new-form.pdf", content_type="application/pdf")
    assert "更换材料" not in status_page(client, intake, nomination_id)
    status = client.get(f"/api/v1/nominations/{nomination_token(intake.settings.secret_key, nomination_id)}").json
    assert status["replaceable_kinds"] == [] and status["review_stage"] == "approved"
    assert status["review_stage_name"] == "材料审核通过"


def test_a_decision_about_a_withdrawn_nomination_changes_nothing(intake):
    nomination_id = submitted(intake)
    use_cases.withdraw(intake, nomination_id, by="applicant", reason="")
    apply(intake, advanced(intake, nomination_id, "approved"))
    assert review_stage(intake, nomination_id) is None


def test_a_decision_about_a_nomination_intake_does_not_hold_is_passed_over(intake):
    apply(intake, advanced(intake, "00000000-0000-0000-0000-000000000000", "approved"))
