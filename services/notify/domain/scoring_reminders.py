"""The committee members' reminder of open scoring, at the secretariat's request in review
(`scoring.reminder_requested`): one e-mail to each member the event names, with how many nominations
they still have to score, the review stage's close and the link to their scoring list."""
from __future__ import annotations

from typing import Any, Mapping

from services.notify.domain.labels import beijing_time
from services.notify.domain.model import CampaignInfo, PlannedMessage, Recipient, common_context, messages_to

TEMPLATE = "reminder_committee_scoring"


def plan_scoring_reminders(envelope: Mapping[str, Any]) -> list[PlannedMessage]:
    payload = envelope["payload"]
    campaign = CampaignInfo(payload["campaign_id"], payload["campaign_name"], bool(payload.get("is_demo")))
    planned: list[PlannedMessage] = []
    for member in payload["members"]:
        recipient = Recipient("reviewer", member["name"], member["email"])
        context = {**common_context(campaign, recipient), "open_count": int(member["open_count"]),
                   "deadline_local": beijing_time(payload["closes_at"], recipient.language),
                   "scoring_url": payload["scoring_url"]}
        planned += messages_to(recipient, TEMPLATE, context, occasion_id=envelope["event_id"],
                               event_id=envelope["event_id"], event_type=envelope["type"], sms_available=False)
    return planned
