"""The scheduled reminders, over what notify knows.

Notify hears of nominations only when they are submitted, so of the reminders the campaign calls for it
can send the one about unused quota to the recommending organisations that have submitted at least one
nomination (its quota and deadline read from the campaign file). Drafts (intake publishes no event for
them), organisations that have submitted nothing yet, and reviewers' open work (review publishes no
reviewer contacts) are not known to notify, so those reminders have no one to go to yet.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.intake.domain.campaign import Campaign, demo_copy, load_campaign
from services.intake.domain.errors import UnknownChannel
from services.notify.adapters.orm import nominations, recipients
from services.notify.domain.model import CampaignInfo
from services.notify.domain.reminders import OrganisationQuota, quota_reminders
from services.notify.service_layer.directory import recipient_from_row
from services.notify.service_layer.recording import record_messages

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify


def current_campaign(notify: "Notify", now: datetime) -> Campaign:
    """The campaign of the campaign file (its demo copy, dates moved to today, in a demo)."""
    campaign = load_campaign(notify.settings.campaign_file)
    return demo_copy(campaign, now) if notify.settings.demo else campaign


def send_reminders(notify: "Notify", now: datetime | None = None) -> list[str]:
    """Record (and queue) the reminders due now; a reminder already recorded for its window is not
    recorded again, so the task can run as often as it likes. Returns the new messages' ids."""
    now = now or datetime.now(timezone.utc)
    campaign = current_campaign(notify, now)
    info = CampaignInfo(campaign.id, campaign.name, campaign.is_demo)
    notify.refresh_templates()
    with notify.sessions.begin() as session:
        organisations = organisations_with_places(session, campaign, f"{notify.settings.intake_url}/")
        planned = quota_reminders(info, campaign.submission.closes_at, now, organisations)
        return record_messages(session, notify, planned, campaign_id=campaign.id)


def organisations_with_places(session: Session, campaign: Campaign, intake_url: str) -> list[OrganisationQuota]:
    """Each recommending organisation that nominated in `campaign`, with the places it used (withdrawn
    nominations free theirs) and its channel's quota; the newest stored contact of it receives."""
    used = sa.func.count().filter(nominations.c.withdrawn.is_(False))
    rows = session.execute(
        sa.select(recipients.c.org_id, nominations.c.channel, used.label("used"),
                  sa.func.max(recipients.c.id).label("newest"))
        .join(nominations, nominations.c.nomination_id == recipients.c.nomination_id)
        .where(recipients.c.kind == "recommender", recipients.c.org_id.is_not(None),
               nominations.c.campaign_id == campaign.id)
        .group_by(recipients.c.org_id, nominations.c.channel)
    ).all()
    newest = {row.newest: row for row in rows}
    contacts = session.execute(sa.select(recipients).where(recipients.c.id.in_(newest))).all() if newest else []
    found = []
    for contact in contacts:
        row = newest[contact.id]
        quota = _quota(campaign, row.channel)
        if quota is not None:
            found.append(OrganisationQuota(recipient_from_row(contact), row.used, quota, intake_url))
    return found


def _quota(campaign: Campaign, channel: str) -> int | None:
    try:
        return campaign.quota(channel)
    except UnknownChannel:  # a channel the campaign file no longer lists has no quota to remind of
        return None
