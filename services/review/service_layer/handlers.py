"""How the review service keeps its read model of nominations from intake's events."""
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.review.adapters.orm import nominations, scan_findings
from shared.events import Event


def nomination_submitted(session: Session, event: Event) -> None:
    """A submission or a resubmission: the newest snapshot wins, an older one arriving late does not."""
    snapshot = event.payload
    status = "resubmitted" if event.type == "nomination.resubmitted" else "submitted"
    row = dict(
        nomination_id=snapshot["nomination_id"], campaign_id=snapshot["campaign_id"],
        nominee_name=snapshot["nominee_name"], domain=snapshot["domain"], channel=snapshot["channel"],
        status=status, version=snapshot["version"], media_priority=snapshot["media_priority"], snapshot=snapshot,
    )
    statement = pg_insert(nominations).values(**row)
    session.execute(statement.on_conflict_do_update(
        index_elements=[nominations.c.nomination_id],
        set_={**{k: statement.excluded[k] for k in row if k != "nomination_id"}, "updated_at": sa.func.now()},
        where=nominations.c.version < statement.excluded.version,
    ))


def nomination_withdrawn(session: Session, event: Event) -> None:
    session.execute(sa.update(nominations)
                    .where(nominations.c.nomination_id == event.payload["nomination_id"])
                    .values(status="withdrawn", updated_at=sa.func.now()))


def upload_scanned(session: Session, event: Event) -> None:
    p = event.payload
    row = dict(file_id=p["file_id"], nomination_id=p["nomination_id"], kind=p["kind"], verdict=p["verdict"],
               reasons=p.get("reasons", []), findings=p["findings"], duplicates=p.get("duplicates", []))
    statement = pg_insert(scan_findings).values(**row)
    session.execute(statement.on_conflict_do_update(
        index_elements=[scan_findings.c.file_id],
        set_={k: statement.excluded[k] for k in row if k != "file_id"},
    ))


HANDLERS = {
    "nomination.submitted": nomination_submitted,
    "nomination.resubmitted": nomination_submitted,
    "nomination.withdrawn": nomination_withdrawn,
    "upload.scanned": upload_scanned,
}
