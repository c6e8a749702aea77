"""The mail about a stage change (`stage_announcement`): to the audiences the campaign file names for it,
once per change (the dedup key names the campaign, stage and change), and only while the change is news: an
announcement read long after the moment (a consumer group replaying the topic, a scheduler started late on
an old campaign) is recorded by the handler but mails no one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from services.notify.domain.labels import as_utc, beijing_time
from services.notify.domain.model import CampaignInfo, PlannedMessage, Recipient, common_context, messages_to

TEMPLATE = "stage_announcement"
NEWS_FOR = timedelta(days=1)


@dataclass(frozen=True)
class StageNews:
    """One announced change of one stage, with what the mail says around it."""

    stage: str
    kind: str  # opened | closed
    stage_label: str
    at: datetime
    event_id: str
    next_label: str = ""
    next_opens_at: datetime | None = None

    def is_news_at(self, now: datetime) -> bool:
        return as_utc(now) - as_utc(self.at) <= NEWS_FOR


@dataclass(frozen=True)
class Listener:
    """Someone of an audience, with what the mail tells them in particular (an organisation's places)."""

    recipient: Recipient
    audience: str  # organisations | reviewers
    url: str
    used: int | None = None
    quota: int | None = None


def plan_stage_mail(campaign: CampaignInfo, news: StageNews, listeners: Iterable[Listener],
                    now: datetime) -> list[PlannedMessage]:
    """One e-mail to each listener (never SMS); nothing when the change is no longer news."""
    if not news.is_news_at(now):
        return []
    occasion_id = f"stage:{campaign.campaign_id}:{news.stage}:{news.kind}"
    planned = []
    for listener in listeners:
        lang = listener.recipient.language
        context = {
            **common_context(campaign, listener.recipient),
            "stage": news.stage, "stage_label": news.stage_label, "change": news.kind, "at_local": beijing_time(news.at, lang),
            "audience": listener.audience, "url": listener.url, "used": listener.used, "quota": listener.quota,
            "next_label": news.next_label,
            "next_opens_local": beijing_time(news.next_opens_at, lang) if news.next_opens_at else "",
        }
        planned += messages_to(listener.recipient, TEMPLATE, context, occasion_id=occasion_id,
                               event_id=news.event_id, event_type=f"campaign.stage_{news.kind}", sms_available=False)
    return planned
