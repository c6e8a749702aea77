"""The reviewers' side of notify: the directory the secretariat keeps, the open work in each business
domain, and the daily digest of what entered the review queue."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import nominations, reviewers
from services.notify.domain.digest import QueueItem, plan_reviewer_digests
from services.notify.domain.model import CampaignInfo
from services.notify.domain.reviewers import DigestPeriod, Reviewer, digest_period
from services.notify.service_layer.directory import DatabaseDirectory
from services.notify.service_layer.recording import record_messages
from services.notify.service_layer.reminders import current_campaign

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

DIGEST_HOUR = 8  # local time of the campaign: the digest at 08:00 covers the 24 hours before


class EmailTaken(ValueError):
    """Another reviewer is registered with this e-mail."""


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
                  nominations.c.queued_after_correction)
        .where(nominations.c.campaign_id == campaign_id, nominations.c.in_review_queue.is_(True),
               nominations.c.queued_at >= period.starts, nominations.c.queued_at < period.ends)
        .order_by(nominations.c.queued_at, nominations.c.nomination_id)
    ).all()
    return [QueueItem(row.nomination_id, row.nominee_name, row.domain, row.queued_after_correction) for row in rows]


def all_reviewers(session: Session) -> list:
    """Every registered reviewer's row, the active ones first."""
    return session.execute(sa.select(reviewers).order_by(reviewers.c.active.desc(), reviewers.c.id)).all()


def reviewer_row(session: Session, reviewer_id: int):
    return session.execute(sa.select(reviewers).where(reviewers.c.id == reviewer_id)).first()


def save_reviewer(session: Session, reviewer: Reviewer, updated_by: str, reviewer_id: int | None = None) -> int:
    """Add a reviewer (no id) or change one; returns its id. Raises EmailTaken when another reviewer has
    the e-mail."""
    values = dict(name=reviewer.name, email=reviewer.email, phone=reviewer.phone, role=reviewer.role,
                  domains=list(reviewer.domains), reminders=reviewer.reminders, sms=reviewer.sms,
                  lang=reviewer.lang, updated_by=updated_by)
    taken = session.execute(sa.select(reviewers.c.id).where(reviewers.c.email == reviewer.email,
                                                            reviewers.c.id != (reviewer_id or -1))).first()
    if taken is not None:
        raise EmailTaken(reviewer.email)
    if reviewer_id is None:
        return session.execute(pg_insert(reviewers).values(**values).returning(reviewers.c.id)).scalar_one()
    session.execute(sa.update(reviewers).where(reviewers.c.id == reviewer_id)
                    .values(**values, updated_at=sa.func.now()))
    return reviewer_id


def set_reviewer_active(session: Session, reviewer_id: int, active: bool, updated_by: str) -> bool:
    """Deactivate a reviewer (no more digests or reminders) or bring one back; False when there is none."""
    changed = session.execute(sa.update(reviewers).where(reviewers.c.id == reviewer_id)
                              .values(active=active, updated_by=updated_by, updated_at=sa.func.now())
                              .returning(reviewers.c.id)).first()
    return changed is not None
