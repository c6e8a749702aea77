"""The reviewers' side of notify: the directory kept from review's `staff.updated` events, the open work in
each business domain, and the daily digest of what entered the review queue."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import nominations, reviewers
from services.notify.domain.digest import QueueItem, plan_reviewer_digests
from services.notify.domain.model import CampaignInfo
from services.notify.domain.reviewers import DigestPeriod, digest_period, reviewer_from_staff
from services.notify.service_layer.directory import DatabaseDirectory
from services.notify.service_layer.recording import record_messages
from services.notify.service_layer.reminders import current_campaign

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

DIGEST_HOUR = 8  # local time of the campaign: the digest at 08:00 covers the 24 hours before


def send_reviewer_digests(notify: "Notify", now: datetime | None = None) -> list[str]:
    """Record (and queue) one digest per reviewer of the nominations that entered the review queue in the
    last period and are still open; nothing when nothing is new. Its dedup key names the period, so the
    task may run again in the same period without sending twice. Returns the new messages' ids."""
    now = now or datetime.now(timezone.utc)
    campaign = current_campaign(notify, now)
    info = CampaignInfo(campaign.id, campaign.name, campaign.is_demo)
    period = digest_period(now, campaign.zone, DIGEST_HOUR)
    notify.refresh_templates()
    with notify.sessions.begin() as session:
        items = new_in_queue(session, campaign.id, period)
        planned = plan_reviewer_digests(info, items, DatabaseDirectory(session), period.name,
                                        f"{notify.settings.review_url}/")
        return record_messages(session, notify, planned, campaign_id=campaign.id)


def new_in_queue(session: Session, campaign_id: str, period: DigestPeriod) -> list[QueueItem]:
    """The nominations of `campaign_id` that entered the queue during `period` and are still open."""
    rows = session.execute(
        sa.select(nominations.c.nomination_id, nominations.c.nominee_name, nominations.c.domain,
                  nominations.c.queued_after_correction, nominations.c.reference)
        .where(nominations.c.campaign_id == campaign_id, nominations.c.in_review_queue.is_(True),
               nominations.c.queued_at >= period.starts, nominations.c.queued_at < period.ends)
        .order_by(nominations.c.queued_at, nominations.c.nomination_id)
    ).all()
    return [QueueItem(row.nomination_id, row.nominee_name, row.domain, row.queued_after_correction, row.reference)
            for row in rows]


def all_reviewers(session: Session) -> list:
    """Every registered reviewer's row, the active ones first."""
    return session.execute(sa.select(reviewers).order_by(reviewers.c.active.desc(), reviewers.c.id)).all()


def apply_staff_update(notify: "Notify", session: Session, payload: dict) -> None:
    """Review added or changed a staff member: keep them in the directory under their subject (a person
    registered by hand earlier with the same e-mail is taken over), or deactivate them when they are no
    longer someone notify writes to (an auditor, no e-mail). Notify's own preferences (reminders, SMS,
    language) stay as they are."""
    campaign = current_campaign(notify, datetime.now(timezone.utc))
    reviewer = reviewer_from_staff(payload, campaign.domains)
    subject = payload["subject"]
    mine = session.execute(sa.select(reviewers.c.id).where(reviewers.c.subject == subject)).scalar()
    if reviewer is None:
        if mine is not None:
            session.execute(sa.update(reviewers).where(reviewers.c.id == mine).values(active=False, updated_by="review"))
        return
    values = dict(name=reviewer.name, email=reviewer.email, role=reviewer.role, domains=list(reviewer.domains),
                  active=reviewer.active, subject=subject, updated_by="review", updated_at=sa.func.now())
    holder = session.execute(sa.select(reviewers.c.id, reviewers.c.subject).where(reviewers.c.email == reviewer.email)).first()
    if holder is not None and holder.id != mine and holder.subject not in (None, subject):
        values.pop("email")  # two accounts share an e-mail: the first keeps it
    target = mine if mine is not None else (holder.id if holder is not None and holder.subject is None else None)
    if target is None and "email" in values:
        session.execute(pg_insert(reviewers).values(**values))
    elif target is not None:
        session.execute(sa.update(reviewers).where(reviewers.c.id == target).values(**values))
