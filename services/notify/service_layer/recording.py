"""Recording planned messages before anything is sent: one row per dedup key, rendered, then queued."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import HELD, PENDING, messages
from services.notify.domain.model import PlannedMessage
from services.notify.domain.ratelimit import needs_hold
from services.notify.service_layer.directory import campaigns_of
from shared.db import on_commit

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify


def record_messages(session: Session, notify: "Notify", planned: list[PlannedMessage],
                    campaign_id: str | None = None) -> list[str]:
    """Insert each planned message with its rendered subject and body (a dedup key already recorded is
    skipped: a redelivered event or a second reminder run sends nothing new). A send larger than the
    hold threshold is stored `held` for the secretariat's release; otherwise each new message's delivery
    task is queued once the transaction commits. Returns the ids of the rows inserted."""
    if not planned:
        return []
    state = HELD if needs_hold(len(planned), notify.options.hold_threshold) else PENDING
    campaigns = campaigns_of(session, {m.recipient.nomination_id for m in planned if m.recipient.nomination_id})
    now = datetime.now(timezone.utc)
    rows = [_row(notify, message, state, now, campaign_id or campaigns.get(message.recipient.nomination_id or ""))
            for message in planned]
    inserted = session.execute(
        pg_insert(messages).on_conflict_do_nothing(index_elements=[messages.c.dedup_key]).returning(messages.c.id),
        rows,
    ).scalars().all()
    if state == PENDING and inserted:
        on_commit(session, lambda: notify.queue_delivery(list(inserted)))
    return list(inserted)


def _row(notify: "Notify", message: PlannedMessage, state: str, now: datetime, campaign_id: str | None) -> dict:
    rendered = notify.templates.render(message.template, message.lang, message.channel, message.context)
    recipient = message.recipient
    is_reminder = message.event_id is None
    return dict(
        id=str(uuid.uuid4()),
        dedup_key=message.dedup_key,
        cause_event_id=message.event_id,
        cause_event_type=message.event_type,
        nomination_id=None if is_reminder else recipient.nomination_id,
        campaign_id=campaign_id,
        recipient_kind=recipient.kind,
        recipient_name=recipient.name or "",
        address=recipient.address(message.channel),
        channel=message.channel,
        template=message.template,
        reference=message.context.get("reference") or None,
        lang=message.lang,
        context=message.context,
        subject=rendered.subject,
        body=rendered.body,
        state=state,
        next_attempt_at=now if state == PENDING else None,
    )
