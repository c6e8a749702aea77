"""PIPL retention: once a campaign's retention period is over, the archive asks every service to purge its
personal data (`campaign.purge_requested`), purges its own copies, and collects each `campaign.purged`.

The archive's own purge: (1) the campaign's data key is destroyed, so the sealed copies in the locked
segments can never be read again (crypto-shredding: the segments stay as written, their hashes and the
chain intact); (2) the personal fields are blanked in the event log (the events not yet sealed, and the
database copy of all); (3) it confirms like every service. The honouree records stay (R9 needs them)."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import event_log, honourees, outbox, purges
from services.archive.bootstrap import Archive
from services.archive.service_layer.keys import destroy_key
from services.archive.service_layer.purged import record_purged
from shared.events import Event, new_event
from shared.messaging.outbox import add_to_outbox
from shared.purge import confirm, outbox_of_campaign, redact_json_column

SERVICES = ("intake", "review", "notify", "archive")


def purge_due_at(archive: Archive) -> datetime:
    last_close = max(stage.closes_at for stage in archive.campaign.stages)
    return archive.campaign.retention.purge_due_at(last_close)


def request_due_purge(archive: Archive, now: datetime) -> bool:
    """The deployment's campaign, once its retention period is over; asked once. True when asked now."""
    if now < purge_due_at(archive):
        return False
    return request_purge(archive, archive.campaign.id)


def request_purge(archive: Archive, campaign_id: str) -> bool:
    """Publish `campaign.purge_requested` (once per campaign); False if it was asked before."""
    retention = archive.campaign.retention
    with archive.sessions.begin() as session:
        keep = session.execute(sa.select(honourees.c.nomination_id).where(
            honourees.c.campaign_id == campaign_id, honourees.c.nomination_id.is_not(None))).scalars().all()
        event = new_event("campaign.purge_requested", campaign_id, {
            "campaign_id": campaign_id, "fields": list(retention.personal_fields), "keep_photos_of": sorted(keep),
            "retention_rule": f"个人信息在活动最后阶段结束后保留 {retention.personal_data_days} 天 / "
                              f"personal data kept {retention.personal_data_days} days after the last stage",
            "due_at": purge_due_at(archive).isoformat() if campaign_id == archive.campaign.id else
            datetime.now().astimezone().isoformat()}, producer="archive")
        asked = session.execute(pg_insert(purges).values(
            campaign_id=campaign_id, request_event_id=event.event_id, fields=event.payload["fields"],
        ).on_conflict_do_nothing().returning(purges.c.campaign_id)).first()
        if asked is None:
            return False
        add_to_outbox(session, event)
        return True


def campaign_purge_requested(archive: Archive, session: Session, event: Event) -> None:
    campaign_id, fields = event.payload["campaign_id"], event.payload["fields"]
    record_purged(session, campaign_id, event.event_id, fields, datetime.now(timezone.utc))
    key_destroyed = destroy_key(session, campaign_id)
    purged = {
        "event_log": redact_json_column(session, event_log, "envelope", event_log.c.campaign_id == campaign_id, fields),
        "outbox": redact_json_column(session, outbox, "envelope", outbox_of_campaign(outbox, campaign_id), fields),
        "data_keys_destroyed": int(key_destroyed),
    }
    confirm(session, "archive", event, purged)


def campaign_purged(session: Session, event: Event) -> None:
    """A service's confirmation, kept beside the request."""
    p = event.payload
    entry = {p["service"]: {"at": event.occurred_at, "purged": p.get("purged", {}), "event_id": event.event_id}}
    session.execute(sa.update(purges).where(purges.c.campaign_id == p["campaign_id"])
                    .values(confirmations=purges.c.confirmations.op("||")(sa.cast(entry, purges.c.confirmations.type))))


def purge_status(archive: Archive, campaign_id: str) -> dict | None:
    with archive.engine.connect() as conn:
        row = conn.execute(sa.select(purges).where(purges.c.campaign_id == campaign_id)).first()
    if row is None:
        return None
    return {"requested_at": row.requested_at, "confirmed": sorted(row.confirmations),
            "waiting_for": [s for s in SERVICES if s not in row.confirmations], "details": row.confirmations}
