"""Delivering one recorded message, at most once per row: lock it, send it, mark it sent.

The row is locked (FOR UPDATE SKIP LOCKED: a second task for the same message leaves it to the first)
and the change to `sent` is written with its `message.delivered` event before the provider is called;
the transaction commits the moment the provider accepts, and rolls back if it does not. So the only
way to send a message twice is to lose the worker between the provider's acceptance and that commit.
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import redis
import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notify.adapters.errors import PermanentDeliveryError, TransientDeliveryError
from services.notify.adapters.orm import FAILED, PENDING, SENT, messages
from services.notify.domain.failures import ADDRESS, ERROR, TRIES
from services.notify.domain.preferences import address_problem
from shared.db import reading
from shared.events import new_event
from shared.events.envelope import InvalidEvent
from shared.logs import log_fields
from shared.messaging.outbox import add_to_outbox

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

log = logging.getLogger(__name__)

# Waiting for the rate limit in the worker up to this long; longer, the task is queued again for later.
MAX_RATE_WAIT = 5.0
SWEEP_BATCH = 1000
# The database or Redis away: the task tries again later without counting a delivery attempt.
INFRASTRUCTURE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, redis.RedisError)


@dataclass(frozen=True)
class Outcome:
    """What a delivery attempt came to: sent, failed, skipped (nothing to do), or retry after `countdown`."""

    result: str
    countdown: float = 0.0
    detail: str = ""


def deliver_message(notify: "Notify", message_id: str) -> Outcome:
    """Send message `message_id` if it is still pending; see the module's docstring for the guarantee."""
    message = _load(notify, message_id)
    if message is None or message.state != PENDING:
        return Outcome("skipped", detail=message.state if message else "unknown message")
    problem = address_problem(message.channel, message.address)
    if problem:  # before the rate limit: it takes no token, and an unknown channel has no bucket
        _mark_failed(notify, message_id, problem, ADDRESS)
        return Outcome("failed", detail=problem)
    wait = notify.limiter.wait_for_token(message.channel, MAX_RATE_WAIT)
    if wait:
        _postpone(notify, message_id, wait)
        return Outcome("retry", wait, "rate limit")
    try:
        answer = _send_locked(notify, message_id)
    except TransientDeliveryError as error:
        return _after_transient_failure(notify, message_id, str(error))
    except PermanentDeliveryError as error:
        _mark_failed(notify, message_id, str(error), error.failure)
        return Outcome("failed", detail=str(error))
    except INFRASTRUCTURE_ERRORS:
        raise
    except Exception as error:  # noqa: BLE001 - one row notify's own code cannot handle fails alone
        log.exception("delivery failed unexpectedly", extra=log_fields(message_id=message_id))
        reason = f"发送时出错 / unexpected error: {type(error).__name__}: {error}"[:1000]
        _mark_failed(notify, message_id, reason, ERROR)
        return Outcome("failed", detail=reason)
    if answer is None:
        return Outcome("skipped", detail="sent, failed or in hand elsewhere")
    _keep_provider_answer(notify, message_id, answer)
    log.info("message sent", extra=log_fields(message_id=message_id, channel=message.channel))
    return Outcome("sent", detail=answer)


def _send_locked(notify: "Notify", message_id: str) -> str | None:
    """Lock the pending row, write `sent` and its event, send, and commit the instant the provider
    accepts (before the SMTP goodbye). None when the row is not pending or another task holds it."""
    with notify.sessions() as session:
        with session.begin():
            message = _lock_pending(session, message_id)
            if message is None:
                return None
            _stage_sent(session, notify, message)
            # A DeliveryError leaves the block uncommitted: the transaction, `sent` and the event roll back.
            return notify.channels.send(message, on_accepted=session.commit)


def retry_ceiling(tries: int, base: float, maximum: float) -> float:
    """The longest wait after `tries` failed tries: base, 2 x base, 4 x base ... up to `maximum`."""
    return min(maximum, base * 2 ** max(0, tries - 1))


def retry_delay(tries: int, base: float, maximum: float) -> float:
    """The ceiling less up to half of it at random, so that messages failed together do not all come back
    together (and never less than half: a long outage is waited out by the same number of tries)."""
    return retry_ceiling(tries, base, maximum) * random.uniform(0.5, 1.0)


def requeue_lost(notify: "Notify") -> list[str]:
    """Queue again the pending messages whose task is overdue by `sweep_after` seconds: a task lost with
    a worker, or never queued (the broker was away at commit). A task queued twice sends once."""
    overdue = datetime.now(timezone.utc) - timedelta(seconds=notify.options.sweep_after)
    with notify.sessions.begin() as session:
        due = (sa.select(messages.c.id).where(messages.c.state == PENDING, messages.c.next_attempt_at < overdue)
               .order_by(messages.c.next_attempt_at).limit(SWEEP_BATCH).with_for_update(skip_locked=True))
        ids = session.execute(sa.update(messages).where(messages.c.id.in_(due.scalar_subquery()))
                              .values(next_attempt_at=sa.func.now()).returning(messages.c.id)).scalars().all()
    if ids:
        log.info("re-queued lost deliveries", extra=log_fields(count=len(ids)))
        notify.queue_delivery(list(ids))
    return list(ids)


def _load(notify: "Notify", message_id: str):
    with reading(notify.sessions) as session:
        return session.execute(sa.select(messages).where(messages.c.id == message_id)).first()


def _lock_pending(session: Session, message_id: str):
    return session.execute(sa.select(messages).where(messages.c.id == message_id, messages.c.state == PENDING)
                           .with_for_update(skip_locked=True)).first()


def _stage_sent(session: Session, notify: "Notify", message) -> None:
    reference = notify.channels.reference(message)
    session.execute(sa.update(messages).where(messages.c.id == message.id).values(
        state=SENT, attempts=message.attempts + 1, sent_at=sa.func.now(), provider_answer=reference,
        next_attempt_at=None))
    add_to_outbox(session, delivery_event("message.delivered", message, message.attempts + 1, reference))


def _keep_provider_answer(notify: "Notify", message_id: str, answer: str) -> None:
    """The provider's full answer, once the message is recorded as sent (losing it loses no message)."""
    try:
        with notify.sessions.begin() as session:
            session.execute(sa.update(messages).where(messages.c.id == message_id).values(provider_answer=answer))
    except sa.exc.OperationalError as error:
        log.warning("provider answer not kept", extra=log_fields(message_id=message_id, error=str(error)[:200]))


def _after_transient_failure(notify: "Notify", message_id: str, error: str) -> Outcome:
    """Count the try; the last allowed try fails the message, any other schedules the next one."""
    with notify.sessions.begin() as session:
        message = _lock_pending(session, message_id)
        if message is None:
            return Outcome("skipped", detail="no longer pending")
        tries = message.attempts + 1
        if tries >= notify.options.max_tries:
            _fail(session, message, tries, f"{tries} 次尝试均失败 / all {tries} tries failed; {error}", TRIES)
            return Outcome("failed", detail=error)
        countdown = retry_delay(tries, notify.options.retry_base, notify.options.retry_max)
        session.execute(sa.update(messages).where(messages.c.id == message_id).values(
            attempts=tries, last_error=error, next_attempt_at=sa.func.now() + timedelta(seconds=countdown)))
    log.info("delivery will be retried",
             extra=log_fields(message_id=message_id, tries=tries, countdown=countdown, error=error))
    return Outcome("retry", countdown, error)


def _mark_failed(notify: "Notify", message_id: str, error: str, failure: str) -> None:
    with notify.sessions.begin() as session:
        message = _lock_pending(session, message_id)
        if message is not None:
            _fail(session, message, message.attempts + 1, error, failure)


def _fail(session: Session, message, tries: int, error: str, failure: str) -> None:
    session.execute(sa.update(messages).where(messages.c.id == message.id).values(
        state=FAILED, attempts=tries, last_error=error, failure=failure, next_attempt_at=None))
    add_failed_event(session, message, tries, error)
    log.warning("message failed", extra=log_fields(message_id=message.id, failure=failure, error=error))


def add_failed_event(session: Session, message, attempt: int, error: str) -> None:
    """The `message.failed` event for the archive; a row too broken for the event's schema (a channel the
    catalogue does not know) is failed all the same, its event left out and said in the log."""
    try:
        event = delivery_event("message.failed", message, attempt, error)
    except InvalidEvent as invalid:
        log.warning("message.failed not published", extra=log_fields(message_id=message.id, error=str(invalid)))
        return
    add_to_outbox(session, event)


def _postpone(notify: "Notify", message_id: str, seconds: float) -> None:
    with notify.sessions.begin() as session:
        session.execute(sa.update(messages).where(messages.c.id == message_id, messages.c.state == PENDING)
                        .values(next_attempt_at=sa.func.now() + timedelta(seconds=seconds)))


def delivery_event(event_type: str, message, attempt: int, provider_answer: str):
    """`message.delivered` or `message.failed`, keyed by the nomination (or the campaign) for the archive."""
    payload = {
        "message_id": message.id,
        "cause_event_id": message.cause_event_id or "",
        "cause_event_type": message.cause_event_type,
        "recipient": message.address,
        "channel": message.channel,
        "template": message.template,
        "attempt": attempt,
        "provider_answer": (provider_answer or "")[:1000],
    }
    key = message.nomination_id or message.campaign_id or "notify"
    return new_event(event_type, key, payload, producer="notify", correlation_id=message.cause_event_id or message.id)
