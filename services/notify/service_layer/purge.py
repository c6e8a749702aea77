"""PIPL purge of one campaign in notify (`campaign.purge_requested`): addresses and phones go from the
recipients, the invited organisations, the drafts' contacts and every message of the campaign (its
address, its context, and the address inside its dedup key); what was sent, when and from which event
remains. Confirmed with `campaign.purged`."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notify.adapters.orm import drafts, messages, organisations, outbox, recipients
from shared.events import Event
from shared.purge import PURGED, blank_columns, confirm, outbox_of_campaign, redact_json_column

CONTACT_FIELDS = ("email", "phone")
PURGED_KEY = "purged:"


def campaign_purge_requested(session: Session, event: Event) -> None:
    campaign_id, fields = event.payload["campaign_id"], event.payload["fields"]
    contact = [name for name in fields if name in CONTACT_FIELDS]
    ids = session.execute(sa.select(recipients.c.nomination_id)
                          .where(recipients.c.campaign_id == campaign_id)).scalars().all()
    purged = {
        "recipients": blank_columns(session, recipients, contact, recipients.c.campaign_id == campaign_id),
        "organisations": blank_columns(session, organisations, contact, organisations.c.campaign_id == campaign_id),
        "drafts": blank_columns(session, drafts, contact, drafts.c.campaign_id == campaign_id),
        "messages": _purge_messages(session, campaign_id, fields),
        "outbox": redact_json_column(session, outbox, "envelope", outbox_of_campaign(outbox, campaign_id, ids), fields),
    }
    confirm(session, "notify", event, purged)


def _purge_messages(session: Session, campaign_id: str, fields: list[str]) -> int:
    of_campaign = messages.c.campaign_id == campaign_id
    redact_json_column(session, messages, "context", of_campaign, fields)
    return session.execute(sa.update(messages).where(of_campaign, ~messages.c.dedup_key.startswith(PURGED_KEY)).values(
        address=PURGED,
        dedup_key=PURGED_KEY + sa.func.encode(sa.func.sha256(sa.func.convert_to(messages.c.dedup_key, "UTF8")), "hex"),
    )).rowcount
