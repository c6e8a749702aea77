"""A flagged file replaced after submission (until the material check): the flagged one is kept on
record as replaced, and review, notify and the archive hear of the new file (nomination.file_replaced);
its scan follows as for any upload."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.intake.adapters.orm import uploads
from services.intake.bootstrap import Intake
from services.intake.service_layer import snapshots
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox


def replace_flagged(session: Session, intake: Intake, nomination, kind: str, new_file: dict) -> None:
    """In the upload's transaction: the oldest flagged file of `kind` is replaced by `new_file`."""
    replaced = session.execute(sa.select(uploads).where(
        uploads.c.nomination_id == nomination.id, uploads.c.kind == kind, uploads.c.replaced.is_(False),
        uploads.c.verdict == "flagged", uploads.c.id != new_file["id"]).order_by(uploads.c.created_at).limit(1)).first()
    session.execute(sa.update(uploads).where(uploads.c.id == replaced.id).values(replaced=True))
    add_to_outbox(session, new_event("nomination.file_replaced", nomination.id, {
        "nomination_id": nomination.id, "reference": snapshots.reference_of(intake.campaign, nomination),
        "campaign_id": nomination.campaign_id, "replaced_file_id": replaced.id,
        "file": {"file_id": new_file["id"], "kind": kind, "object_key": new_file["object_key"],
                 "sha256": new_file["sha256"], "size": new_file["size"], "content_type": new_file["content_type"],
                 "filename": new_file["filename"]},
    }, producer="intake"))
