"""A flagged or refused file replaced after submission (until the material check, or later for a verdict
that came late): the old one is kept on record as replaced, and review, notify and the archive hear of the
new file (nomination.file_replaced); its scan follows as for any upload. A sent nomination holding a file
its scan refused carries the secretariat's flag file_refused_after_submission until it is replaced."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.intake.adapters.orm import flags, uploads
from services.intake.bootstrap import Intake
from services.intake.domain.flags import FILE_REFUSED_AFTER_SUBMISSION
from services.intake.domain.flagged_files import NEEDS_REPLACING
from services.intake.service_layer import snapshots
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox


def replace_flagged(session: Session, intake: Intake, nomination, kind: str, new_file: dict) -> None:
    """In the upload's transaction: the oldest flagged or refused file of `kind` is replaced by `new_file`."""
    replaced = session.execute(sa.select(uploads).where(
        uploads.c.nomination_id == nomination.id, uploads.c.kind == kind, uploads.c.replaced.is_(False),
        uploads.c.verdict.in_(NEEDS_REPLACING), uploads.c.id != new_file["id"])
        .order_by(uploads.c.created_at).limit(1)).first()
    session.execute(sa.update(uploads).where(uploads.c.id == replaced.id).values(replaced=True))
    add_to_outbox(session, new_event("nomination.file_replaced", nomination.id, {
        "nomination_id": nomination.id, "reference": snapshots.reference_of(intake.campaign, nomination),
        "campaign_id": nomination.campaign_id, "replaced_file_id": replaced.id,
        "file": {"file_id": new_file["id"], "kind": kind, "object_key": new_file["object_key"],
                 "sha256": new_file["sha256"], "size": new_file["size"], "content_type": new_file["content_type"],
                 "filename": new_file["filename"]},
    }, producer="intake"))
    if replaced.verdict == "refused":
        refresh_refused_flag(session, nomination.id)


def refresh_refused_flag(session: Session, nomination_id: str) -> None:
    """The flag names every current file of the nomination its scan refused, or is gone when none is left."""
    refused = session.execute(sa.select(uploads.c.id, uploads.c.kind, uploads.c.filename).where(
        uploads.c.nomination_id == nomination_id, uploads.c.replaced.is_(False), uploads.c.verdict == "refused")
        .order_by(uploads.c.created_at)).all()
    session.execute(sa.delete(flags).where(flags.c.nomination_id == nomination_id,
                                           flags.c.kind == FILE_REFUSED_AFTER_SUBMISSION))
    if refused:
        detail = {"files": [{"file_id": f.id, "kind": f.kind, "filename": f.filename} for f in refused],
                  "reason": "、".join(f.filename for f in refused)}
        session.execute(pg_insert(flags).values(nomination_id=nomination_id, kind=FILE_REFUSED_AFTER_SUBMISSION,
                                                detail=detail).on_conflict_do_nothing())
