"""The nouns of the notify service: who hears, about which nomination, and what is planned to be sent."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.notify.domain.labels import short_campaign_name
from services.notify.domain.preferences import Preferences, channels_for, email_address, mobile_number

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
CHANNELS = ("email", "sms")
RECIPIENT_KINDS = ("contact", "nominee", "recommender", "objector", "reviewer")


@dataclass(frozen=True)
class Recipient:
    """Someone a message can reach. `kind` is one of RECIPIENT_KINDS:

    contact (who filled the form and holds the status link), nominee (the person, or a team's leader),
    recommender (the recommending organisation), objector, reviewer.
    """

    kind: str
    name: str
    email: str | None = None
    phone: str | None = None
    lang: str = DEFAULT_LANGUAGE
    nomination_id: str | None = None
    org_id: str | None = None
    prefs: Preferences = field(default_factory=Preferences)

    def address(self, channel: str) -> str | None:
        """The normalised address on `channel`: the lower-case e-mail, or the 11-digit mobile."""
        if channel == "email":
            return email_address(self.email)
        if channel == "sms":
            return mobile_number(self.phone)
        raise ValueError(f"unknown channel {channel!r}")

    @property
    def language(self) -> str:
        return self.lang if self.lang in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class CampaignInfo:
    campaign_id: str
    name: str
    is_demo: bool = False


@dataclass(frozen=True)
class NominationInfo:
    """What notify keeps of a nomination, from its latest submission snapshot."""

    nomination_id: str
    campaign_id: str
    campaign_name: str
    is_demo: bool
    nominee_name: str
    domain: str
    status_url: str
    reference: str = ""  # the short 申报编号 people quote; "" for events published before it existed

    @property
    def campaign(self) -> CampaignInfo:
        return CampaignInfo(self.campaign_id, self.campaign_name, self.is_demo)


@dataclass(frozen=True)
class PlannedMessage:
    """One message to one recipient on one channel, to be recorded (by dedup_key) before it is sent.

    `context` holds only JSON values, so it can be stored and rendered again for a resend.
    `event_id` and `event_type` say why it is sent (for a reminder or digest: no event id, and the
    type `reminder` or `digest`).
    """

    dedup_key: str
    recipient: Recipient
    channel: str
    template: str
    lang: str
    context: dict[str, Any]
    event_id: str | None
    event_type: str


def dedup_key(occasion_id: str, address: str, channel: str) -> str:
    return f"{occasion_id}:{address}:{channel}"


def common_context(campaign: CampaignInfo, recipient: Recipient) -> dict[str, Any]:
    """The placeholders every message has."""
    return {
        "campaign_name": campaign.name,
        "campaign_short_name": short_campaign_name(campaign.name),
        "is_demo": campaign.is_demo,
        "recipient_name": recipient.name or "",
    }


def messages_to(
    recipient: Recipient,
    template: str,
    context: dict[str, Any],
    *,
    occasion_id: str,
    event_id: str | None,
    event_type: str,
    sms_available: bool,
) -> list[PlannedMessage]:
    """One planned message per channel that reaches `recipient` (none when no channel does)."""
    return [
        PlannedMessage(
            dedup_key=dedup_key(occasion_id, recipient.address(channel), channel),
            recipient=recipient,
            channel=channel,
            template=template,
            lang=recipient.language,
            context=context,
            event_id=event_id,
            event_type=event_type,
        )
        for channel in channels_for(recipient, sms_available=sms_available)
    ]


def without_repeats(messages: list[PlannedMessage]) -> list[PlannedMessage]:
    """Keep the first message of each dedup key: one address hears once per occasion and channel."""
    seen: set[str] = set()
    kept = []
    for message in messages:
        if message.dedup_key not in seen:
            seen.add(message.dedup_key)
            kept.append(message)
    return kept
