"""After submission, a file its scan flagged may be replaced until the material check starts: the flagged
file stays on record as replaced and the new one is published (nomination.file_replaced); files that
passed, deletions, and replacements after the close of submissions are refused."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from services.intake.adapters.orm import outbox, uploads
from services.intake.domain.upload_rules import UploadRefused
from services.intake.service_layer import submission
from services.intake.service_layer.uploads import add_upload, remove_upload
from tests.builders import complete_self_nomination
from tests.fixtures import scanfiles

pytestmark = pytest.mark.integration


def current(intake, nomination_id: str) -> dict[str, list[tuple[str, str]]]:
    with intake.engine.connect() as conn:
        rows = conn.execute(sa.select(uploads.c.kind, uploads.c.filename, uploads.c.verdict, uploads.c.replaced)
                            .where(uploads.c.nomination_id == nomination_id).order_by(uploads.c.created_at)).all()
    return {"current": [(r.kind, r.filename) for r in rows if not r.replaced],
            "replaced": [(r.kind, r.filename) for r in rows if r.replaced]}


def submitted_with_flagged_form(intake) -> str:
    nomination_id = complete_self_nomination(intake)  # its sealed form's QR names another nomination: flagged
    submission.send(intake, nomination_id, "k1")
    return nomination_id


def new_form(intake, nomination_id: str, kind: str = "sealed_form") -> str:
    return add_upload(intake, nomination_id, kind, io.BytesIO(scanfiles.sealed_form_pdf(nomination_id)),
                      filename="new-form.pdf", content_type="application/pdf")


def test_a_flagged_file_is_replaced_after_submission_and_the_new_one_published(intake):
    nomination_id = submitted_with_flagged_form(intake)
    upload_id = new_form(intake, nomination_id)
    files = current(intake, nomination_id)
    assert ("sealed_form", "new-form.pdf") in files["current"] and files["replaced"] == [("sealed_form", "form.pdf")]
    with intake.engine.connect() as conn:
        [event] = conn.execute(sa.select(outbox.c.envelope).where(
            outbox.c.key == nomination_id, outbox.c.event_type == "nomination.file_replaced")).scalars().all()
    assert event["payload"]["file"]["file_id"] == upload_id and event["payload"]["file"]["kind"] == "sealed_form"


def test_a_file_that_passed_cannot_be_replaced_nor_any_deleted_after_submission(intake):
    nomination_id = submitted_with_flagged_form(intake)
    with pytest.raises(UploadRefused, match="材料已锁定"):
        add_upload(intake, nomination_id, "certificate", io.BytesIO(scanfiles.certificate_jpeg(seed=5)),
                   filename="c.jpg", content_type="image/jpeg")
    with intake.engine.connect() as conn:
        form = conn.execute(sa.select(uploads.c.id).where(uploads.c.nomination_id == nomination_id,
                                                          uploads.c.kind == "sealed_form")).scalar_one()
    with pytest.raises(UploadRefused, match="不能删除"):
        remove_upload(intake, nomination_id, form)


def test_no_replacement_once_the_material_check_has_started(intake):
    nomination_id = submitted_with_flagged_form(intake)
    closes = intake.campaign.submission.closes_at
    intake.clock = lambda: closes + timedelta(seconds=1)
    with pytest.raises(UploadRefused, match="材料审核已开始"):
        new_form(intake, nomination_id)
