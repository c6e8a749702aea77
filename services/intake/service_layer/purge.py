"""PIPL purge of one campaign in intake (`campaign.purge_requested`): the personal fields go from the forms,
every submitted version, the recommending organisations and the outbox; the photos of nominees who were
not honoured go from storage. What remains: names, units, deeds, decisions. Confirmed with `campaign.purged`."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.intake.adapters.orm import nomination_versions, nominations, organisations, outbox, uploads
from services.intake.bootstrap import Intake
from shared.events import Event
from shared.purge import blank_columns, confirm, outbox_of_campaign, redact_json_column

PHOTO = "photo"


def campaign_purge_requested(intake: Intake, session: Session, event: Event) -> None:
    campaign_id, fields = event.payload["campaign_id"], event.payload["fields"]
    ids = session.execute(sa.select(nominations.c.id).where(nominations.c.campaign_id == campaign_id)).scalars().all()
    purged = {
        "nominations": redact_json_column(session, nominations, "data", nominations.c.campaign_id == campaign_id, fields),
        "nomination_versions": redact_json_column(session, nomination_versions, "snapshot",
                                                  nomination_versions.c.nomination_id.in_(ids), fields),
        "organisations": blank_columns(session, organisations, [f for f in fields if f in ("email", "phone")],
                                       organisations.c.campaign_id == campaign_id),
        "outbox": redact_json_column(session, outbox, "envelope", outbox_of_campaign(outbox, campaign_id, ids), fields),
        "photos": _remove_photos(intake, session, set(ids) - set(event.payload.get("keep_photos_of") or [])),
    }
    confirm(session, "intake", event, purged)


def _remove_photos(intake: Intake, session: Session, nomination_ids: set[str]) -> int:
    """The photo and its previews leave storage; the row stays (its hash is part of the record)."""
    rows = session.execute(sa.select(uploads.c.id, uploads.c.object_key, uploads.c.derivatives).where(
        uploads.c.nomination_id.in_(list(nomination_ids)), uploads.c.kind == PHOTO,
        uploads.c.status != "purged")).all()
    for row in rows:
        for key in [row.object_key, *[v for v in (row.derivatives or {}).values() if isinstance(v, str)]]:
            intake.store.remove(key)
        session.execute(sa.update(uploads).where(uploads.c.id == row.id).values(status="purged", derivatives={}))
    return len(rows)
