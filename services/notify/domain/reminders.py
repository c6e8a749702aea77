"""Reminders before a deadline: pure functions a scheduled (Celery beat) task calls with what it found.

A reminder goes out once in each window before the deadline (by default 7, 3 and 1 days before). The
task may run as often as it likes: a reminder's dedup key names its deadline and window, and the message
store sends each key once. No reminder after the deadline, and none to someone who opted out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping

from services.notify.domain.catalogue import SMS_MESSAGES
from services.notify.domain.labels import as_utc, beijing_time
from services.notify.domain.model import CampaignInfo, PlannedMessage, Recipient, common_context, messages_to
from services.notify.domain.preferences import wants_reminders

DEFAULT_WINDOWS: tuple[int, ...] = (7, 3, 1)


@dataclass(frozen=True)
class Draft:
    """A nomination saved but not submitted, and who started it."""

    recipient: Recipient
    nominee_name: str
    edit_url: str
    reference: str = ""


@dataclass(frozen=True)
class OrganisationQuota:
    recipient: Recipient
    used: int
    quota: int
    intake_url: str


@dataclass(frozen=True)
class ReviewerWork:
    recipient: Recipient
    open_count: int
    review_url: str


def reminder_window(deadline: datetime | str, now: datetime | str, windows: Iterable[int] = DEFAULT_WINDOWS) -> int | None:
    """The window (in days) `now` is in: the narrowest one whose start has passed; None before the widest
    window opens and from the deadline on."""
    left = as_utc(deadline) - as_utc(now)
    if left <= timedelta(0):
        return None
    opened = [days for days in windows if left <= timedelta(days=days)]
    return min(opened) if opened else None


def days_left(deadline: datetime | str, now: datetime | str) -> int:
    """Whole days to the deadline, a part day counting as one."""
    return max(1, math.ceil((as_utc(deadline) - as_utc(now)) / timedelta(days=1)))


def invited_organisation_quotas(invited: Iterable[tuple[Recipient, int]], used: Mapping[str, int],
                                intake_url: str) -> list[OrganisationQuota]:
    """Each invited organisation (its recipient, with `org_id`, and its quota) with the places its
    nominations hold: none before its first submission."""
    return [OrganisationQuota(recipient, used.get(recipient.org_id or "", 0), quota, intake_url)
            for recipient, quota in invited]


def draft_reminders(campaign: CampaignInfo, deadline: datetime | str, now: datetime | str,
                    drafts: Iterable[Draft], windows: Iterable[int] = DEFAULT_WINDOWS) -> list[PlannedMessage]:
    """One reminder per person with unsubmitted drafts, listing them all."""
    drafts_by_person: dict[str, tuple[Recipient, list[Draft]]] = {}
    for draft in drafts:
        person = _person_key(draft.recipient)
        if person is not None:
            drafts_by_person.setdefault(person, (draft.recipient, []))[1].append(draft)
    listed = [
        (recipient, {"drafts": [{"nominee_name": d.nominee_name or "", "reference": d.reference,
                                "edit_url": d.edit_url} for d in own]})
        for recipient, own in drafts_by_person.values()
    ]
    return _reminders("reminder_draft_unsubmitted", campaign, deadline, now, windows, listed)


def quota_reminders(campaign: CampaignInfo, deadline: datetime | str, now: datetime | str,
                    organisations: Iterable[OrganisationQuota],
                    windows: Iterable[int] = DEFAULT_WINDOWS) -> list[PlannedMessage]:
    """A reminder to each recommending organisation that has not used all its places."""
    listed = [
        (org.recipient, {"used": org.used, "quota": org.quota, "remaining": org.quota - org.used,
                         "intake_url": org.intake_url})
        for org in organisations
        if org.used < org.quota
    ]
    return _reminders("reminder_unused_quota", campaign, deadline, now, windows, listed)


def reviewer_reminders(campaign: CampaignInfo, stage_label: str, closes_at: datetime | str, now: datetime | str,
                       reviewers: Iterable[ReviewerWork],
                       windows: Iterable[int] = DEFAULT_WINDOWS) -> list[PlannedMessage]:
    """A reminder to each reviewer with open work before the stage (named `stage_label`) closes."""
    listed = [
        (work.recipient, {"open_count": work.open_count, "stage_label": stage_label, "review_url": work.review_url})
        for work in reviewers
        if work.open_count > 0
    ]
    return _reminders("reminder_reviewer_open_work", campaign, closes_at, now, windows, listed)


def _reminders(template: str, campaign: CampaignInfo, deadline: datetime | str, now: datetime | str,
               windows: Iterable[int], listed: list[tuple[Recipient, dict[str, Any]]]) -> list[PlannedMessage]:
    window = reminder_window(deadline, now, windows)
    if window is None:
        return []
    occasion_id = f"reminder:{campaign.campaign_id}:{template}:{as_utc(deadline):%Y%m%dT%H%M%SZ}:{window}d"
    planned = []
    for recipient, details in listed:
        if not wants_reminders(recipient):
            continue
        context = {
            **common_context(campaign, recipient),
            **details,
            "days_left": days_left(deadline, now),
            "deadline_local": beijing_time(deadline, recipient.language),
        }
        planned += messages_to(recipient, template, context, occasion_id=occasion_id, event_id=None,
                               event_type="reminder", sms_available=template in SMS_MESSAGES)
    return planned


def _person_key(recipient: Recipient) -> str | None:
    return recipient.address("email") or recipient.address("sms")
