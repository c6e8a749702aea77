"""Recording planned messages before anything is sent: one row per dedup key, rendered, then queued.

A message that can never be sent (no usable address, a template that fails for it) is recorded `failed`
with its reason at once, with its `message.failed` event; the others of the same event go on."""
from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import FAILED, HELD, PENDING, messages
from services.notify.domain.failures import ADDRESS, TEMPLATE
from services.notify.domain.model import PlannedMessage
from services.notify.domain.preferences import MAX_ADDRESS, address_problem
from services.notify.domain.ratelimit import needs_hold
from services.notify.service_layer.delivery import add_failed_event
from services.notify.service_layer.directory import campaigns_of
from shared.db import on_commit
from shared.logs import log_fields

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

log = logging.getLogger(__name__)


def record_messages(session: Session, notify: "Notify", planned: list[PlannedMessage],
                    campaign_id: str | None = None) -> list[str]:
    """Insert each planned message with its rendered subject and body (a dedup key already recorded is
    skipped: a redelivered event or a second reminder run sends nothing new). A send larger than the
    hold threshold is stored `held` for the secretariat's release; otherwise each new message's delivery
    task is queued once the transaction commits. One that cannot be sent is stored `failed` (see the
    module). Returns the ids of the rows inserted."""
    if not planned:
        return []
    state = HELD if needs_hold(len(planned), notify.options.hold_threshold) else PENDING
    campaigns = {} if campaign_id else campaigns_of(
        session, {m.recipient.nomination_id for m in planned if m.recipient.nomination_id})
    now = datetime.now(timezone.utc)
    rows = [_row(notify, message, state, now, campaign_id or campaigns.get(message.recipient.nomination_id or ""))
            for message in planned]
    inserted = set(session.execute(
        pg_insert(messages).on_conflict_do_nothing(index_elements=[messages.c.dedup_key]).returning(messages.c.id),
        rows,
    ).scalars().all())
    for row in rows:
        if row["id"] in inserted and row["state"] == FAILED:
            _tell_failed(session, row)
    to_send = [row["id"] for row in rows if row["id"] in inserted and row["state"] == PENDING]
    if to_send:
        on_commit(session, lambda: notify.queue_delivery(to_send))
    return [row["id"] for row in rows if row["id"] in inserted]


def _row(notify: "Notify", message: PlannedMessage, state: str, now: datetime, campaign_id: str | None) -> dict:
    recipient = message.recipient
    is_reminder = message.event_id is None
    address = recipient.address(message.channel) or ""
    row = dict(
        id=str(uuid.uuid4()),
        dedup_key=_fitting(message.dedup_key, 300),
        cause_event_id=message.event_id,
        cause_event_type=message.event_type,
        nomination_id=None if is_reminder else recipient.nomination_id,
        campaign_id=campaign_id,
        recipient_kind=recipient.kind,
        recipient_name=(recipient.name or "")[:200],
        address=address[:MAX_ADDRESS],
        channel=message.channel,
        template=message.template,
        reference=message.context.get("reference") or None,
        lang=message.lang,
        context=message.context,
        subject="",
        body="",
        state=state,
        next_attempt_at=now if state == PENDING else None,
        last_error=None,
        failure=None,
    )
    problem = address_problem(message.channel, address)
    if problem:
        return _failed(row, ADDRESS, problem)
    try:
        rendered = notify.templates.render(message.template, message.lang, message.channel, message.context)
    # A template (possibly the secretariat's edit) can fail in many ways for one message's values: that
    # message fails, with the reason kept; the other messages of the event are recorded and sent.
    except Exception as error:  # noqa: BLE001
        return _failed(row, TEMPLATE, f"模板无法生成 / template failed: {type(error).__name__}: {error}"[:1000])
    return {**row, "subject": rendered.subject, "body": rendered.body}


def _fitting(key: str, limit: int) -> str:
    """The dedup key as it fits its column: a longer one (an absurdly long address) ends in its hash."""
    if len(key) <= limit:
        return key
    return f"{key[:limit - 65]}#{hashlib.sha256(key.encode()).hexdigest()}"


def _failed(row: dict, failure: str, reason: str) -> dict:
    return {**row, "state": FAILED, "next_attempt_at": None, "last_error": reason, "failure": failure}


def _tell_failed(session: Session, row: dict) -> None:
    """The `message.failed` event of a message that failed as it was recorded (the archive keeps it)."""
    add_failed_event(session, SimpleNamespace(**row), 0, row["last_error"])
    log.warning("message failed as recorded", extra=log_fields(
        message_id=row["id"], template=row["template"], failure=row["failure"], error=row["last_error"]))
