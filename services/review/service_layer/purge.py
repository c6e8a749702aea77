"""PIPL purge of one campaign in review (`campaign.purge_requested`): the personal fields go from the read
model (every snapshot and version), the outbox and the objections (who filed them and how to reach them),
and stay out of what arrives later (a rebuild from offset 0); decisions, scores, the objections' texts and
outcomes and the audit trail remain. Confirmed with `campaign.purged`."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import nomination_versions, nominations, objections, outbox, purged_campaigns
from shared.events import Event
from shared.purge import confirm, outbox_of_campaign, redact_json_column, remember_purge


def campaign_purge_requested(session: Session, event: Event) -> None:
    campaign_id, fields = event.payload["campaign_id"], event.payload["fields"]
    remember_purge(session, purged_campaigns, campaign_id, fields)
    ids = session.execute(sa.select(nominations.c.nomination_id)
                          .where(nominations.c.campaign_id == campaign_id)).scalars().all()
    purged = {
        "nominations": redact_json_column(session, nominations, "snapshot", nominations.c.campaign_id == campaign_id,
                                          fields),
        "nomination_versions": redact_json_column(session, nomination_versions, "snapshot",
                                                  nomination_versions.c.nomination_id.in_(ids), fields),
        "outbox": redact_json_column(session, outbox, "envelope", outbox_of_campaign(outbox, campaign_id, ids), fields),
        "objections": session.execute(sa.update(objections).where(objections.c.campaign_id == campaign_id).values(
            objector_name="", objector_contact="", objector_email=None, client="")).rowcount,
    }
    confirm(session, "review", event, purged)
