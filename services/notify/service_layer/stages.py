"""What notify does when review's scheduler announces a stage's opening or close."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.notify.adapters.orm import campaign_stages, drafts
from services.notify.domain.model import CampaignInfo
from services.notify.domain.stage_mail import Listener, StageNews, plan_stage_mail
from services.notify.service_layer.directory import registered_reviewers
from services.notify.service_layer.recording import record_messages
from services.notify.service_layer.reminders import current_campaign, invited_organisations, organisations_with_places
from shared.campaign.model import Campaign
from shared.campaign.codes import SUBMISSION_STAGE
from shared.campaign.stage_mail import ORGANISATIONS, REVIEWERS
from shared.campaign_stages import CLOSED, StageChange, record_stage_change
from shared.events import Event

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify


def stage_changed(notify: "Notify", session: Session, event: Event) -> list[str]:
    """A stage opened or closed, as review's scheduler announced it (a moment still to come by notify's clock
    is recorded and nothing more):
    1. record the change (the reminders ask for it: no draft or quota reminder once submissions are announced
       closed; reviewers are reminded only while the review stage is announced open and not closed);
    2. at the close of submissions, forget the campaign's drafts: their contacts are reminded no more;
    3. mail, once, the audiences the campaign file's `stage_mail` names for this change, while it is news.
    Returns the ids of the messages recorded."""
    now = notify.clock()
    change = record_stage_change(session, campaign_stages, event)
    if not change.is_due(now):
        return []
    if change.is_(SUBMISSION_STAGE, CLOSED):
        session.execute(sa.delete(drafts).where(drafts.c.campaign_id == change.campaign_id))
    campaign = current_campaign(notify, now)
    if campaign.id != change.campaign_id:
        return []
    audiences = campaign.stage_mail_audiences(change.stage, change.kind)
    if not audiences:
        return []
    notify.refresh_templates()
    listeners = [listener for audience in audiences for listener in _listeners(notify, session, campaign, audience)]
    planned = plan_stage_mail(CampaignInfo(campaign.id, campaign.name, campaign.is_demo),
                              _news(campaign, change, event.event_id), listeners, now)
    return record_messages(session, notify, planned, campaign_id=campaign.id)


def _news(campaign: Campaign, change: StageChange, event_id: str) -> StageNews:
    codes = [stage.code for stage in campaign.stages]
    label = campaign.stage(change.stage).name if change.stage in codes else change.stage
    following = None
    if change.kind == CLOSED and change.stage in codes and codes.index(change.stage) + 1 < len(codes):
        following = campaign.stages[codes.index(change.stage) + 1]
    return StageNews(change.stage, change.kind, label, change.at, event_id,
                     next_label=following.name if following else "",
                     next_opens_at=following.opens_at if following else None)


def _listeners(notify: "Notify", session: Session, campaign: Campaign, audience: str) -> list[Listener]:
    if audience == REVIEWERS:
        url = f"{notify.settings.review_url}/"
        return [Listener(reviewer.as_recipient(), REVIEWERS, url) for reviewer in registered_reviewers(session)]
    if audience == ORGANISATIONS:
        url = f"{notify.settings.intake_url}/org/"
        invited = invited_organisations(session, campaign.id, url)
        others = organisations_with_places(session, campaign, url, skip={org.recipient.org_id for org in invited})
        return [Listener(org.recipient, ORGANISATIONS, url, org.used, org.quota) for org in invited + others]
    return []
