"""The scheduled reminders, over what notify knows.

Before the submission deadline (read from the campaign file), and while review's scheduler has not
announced the close of submissions:
- unused quota, to every recommending organisation invited (`organisation.invited`, with its quota),
  its places counted from the submissions that name it and freed by withdrawals, so an organisation that
  has submitted nothing hears too; an organisation that submitted without notify having heard of its
  invitation is reminded at the newest recommender address of its nominations, with its channel's quota;
- unsubmitted drafts, to the contact of each draft intake told of (`nomination.draft_saved`), until it is
  submitted or withdrawn.
Before the review stage closes, once the scheduler announced its opening and not yet its close: open work,
to each active reviewer of the directory who has nominations open for review in the business domains they
review.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shared.campaign.demo import configured_campaign
from shared.campaign.model import Campaign
from shared.campaign.errors import UnknownChannel
from shared.campaign.codes import REVIEW_STAGE, SUBMISSION_STAGE
from shared.campaign_stages import announced, closed_by_announcement
from services.notify.adapters.orm import campaign_stages, drafts, nominations, organisations, recipients
from services.notify.domain.reviewers import reviewer_workloads
from services.notify.domain.model import CampaignInfo, Recipient
from services.notify.domain.preferences import Preferences
from services.notify.domain.reminders import (
    Draft, OrganisationQuota, draft_reminders, invited_organisation_quotas, quota_reminders, reviewer_reminders,
)
from services.notify.service_layer.directory import open_work_by_domain, recipient_from_row, registered_reviewers
from services.notify.service_layer.recording import record_messages

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify



def current_campaign(notify: "Notify", now: datetime) -> Campaign:
    """The campaign of the campaign file (its demo copy, dates moved to today, in a demo)."""
    settings = notify.settings
    return configured_campaign(settings.campaign_file, demo=settings.demo, now_utc=now,
                               demo_anchor=settings.demo_anchor)


def send_reminders(notify: "Notify", now: datetime | None = None) -> list[str]:
    """Record (and queue) the reminders due now; a reminder already recorded for its window is not
    recorded again, so the task can run as often as it likes. Returns the new messages' ids."""
    now = now or datetime.now(timezone.utc)
    campaign = current_campaign(notify, now)
    info = CampaignInfo(campaign.id, campaign.name, campaign.is_demo)
    notify.refresh_templates()
    deadline = campaign.submission.closes_at
    with notify.sessions.begin() as session:
        intake_login = f"{notify.settings.intake_url}/org/"
        invited = invited_organisations(session, campaign.id, intake_login)
        uninvited = organisations_with_places(session, campaign, intake_login,
                                              skip={org.recipient.org_id for org in invited})
        planned = []
        if not closed_by_announcement(session, campaign_stages, campaign.id, SUBMISSION_STAGE, now):
            planned += (quota_reminders(info, deadline, now, invited + uninvited)
                        + draft_reminders(info, deadline, now, unsubmitted_drafts(session, campaign.id)))
        if announced(session, campaign_stages, campaign.id, REVIEW_STAGE, now) == (True, False):
            planned += open_work_reminders(session, notify, campaign, info, now)
        return record_messages(session, notify, planned, campaign_id=campaign.id)


def open_work_reminders(session: Session, notify: "Notify", campaign: Campaign, info: CampaignInfo,
                        now: datetime) -> list:
    """A reminder to each reviewer with nominations open in their domains, before the review stage closes."""
    review = next((stage for stage in campaign.stages if stage.code == REVIEW_STAGE), None)
    if review is None:  # a campaign without a review stage has nothing to remind reviewers of
        return []
    work = reviewer_workloads(registered_reviewers(session), open_work_by_domain(session, campaign.id),
                              f"{notify.settings.review_url}/")
    return reviewer_reminders(info, review.name, review.closes_at, now, work)


def invited_organisations(session: Session, campaign_id: str, intake_url: str) -> list[OrganisationQuota]:
    """Each organisation invited to `campaign_id`, with its quota and the places its nominations hold
    (withdrawn ones free theirs)."""
    rows = session.execute(sa.select(organisations).where(organisations.c.campaign_id == campaign_id)
                           .order_by(organisations.c.organisation_id)).all()
    used = dict(session.execute(
        sa.select(nominations.c.org_id, sa.func.count())
        .where(nominations.c.campaign_id == campaign_id, nominations.c.org_id.is_not(None),
               nominations.c.withdrawn.is_(False))
        .group_by(nominations.c.org_id)
    ).all())
    invited = [(Recipient("recommender", row.contact_name or row.name, row.email, lang=row.lang,
                          org_id=row.organisation_id, prefs=Preferences.from_dict(row.prefs)), row.quota)
               for row in rows]
    return invited_organisation_quotas(invited, used, intake_url)


def unsubmitted_drafts(session: Session, campaign_id: str) -> list[Draft]:
    rows = session.execute(sa.select(drafts).where(drafts.c.campaign_id == campaign_id)
                           .order_by(drafts.c.updated_at)).all()
    return [Draft(Recipient("contact", row.contact_name, row.email, row.phone, lang=row.lang,
                            nomination_id=row.nomination_id, prefs=Preferences.from_dict(row.prefs)),
                  row.nominee_name, row.edit_url, row.reference)
            for row in rows]


def organisations_with_places(session: Session, campaign: Campaign, intake_url: str,
                              skip: set[str] = frozenset()) -> list[OrganisationQuota]:
    """Each recommending organisation that nominated in `campaign` (but those in `skip`), with the places
    it used (withdrawn nominations free theirs) and its channel's quota; the newest stored contact of it
    receives."""
    used = sa.func.count().filter(nominations.c.withdrawn.is_(False))
    rows = session.execute(
        sa.select(recipients.c.org_id, nominations.c.channel, used.label("used"),
                  sa.func.max(recipients.c.id).label("newest"))
        .join(nominations, nominations.c.nomination_id == recipients.c.nomination_id)
        .where(recipients.c.kind == "recommender", recipients.c.org_id.is_not(None),
               recipients.c.org_id.not_in(skip), nominations.c.campaign_id == campaign.id)
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
