"""The invitation a recommending organisation receives when the secretariat imports it."""
from __future__ import annotations

from typing import Any, Mapping

from services.notify.domain.model import CampaignInfo, PlannedMessage, common_context, messages_to
from services.notify.domain.recipients import invited_organisation

ORGANISATION_TYPES = {"local_association": "地方教育后勤社团组织", "council_unit": "理事单位",
                      "member_unit": "会员单位", "branch": "分支机构"}


def plan_invitation(envelope: Mapping[str, Any]) -> list[PlannedMessage]:
    """One e-mail to the organisation's address with its sign-up link (never by SMS: it holds a credential)."""
    payload = envelope["payload"]
    recipient = invited_organisation(payload)
    campaign = CampaignInfo(campaign_id=payload["campaign_id"], name=payload["campaign_name"],
                            is_demo=payload.get("is_demo", False))
    context = {
        **common_context(campaign, recipient),
        "organisation_name": payload["name"],
        "organisation_type": ORGANISATION_TYPES.get(payload["type"], payload["type"]),
        "quota": payload["quota"],
        "invitation_url": payload["invitation_url"],
        "deadline_local": payload.get("deadline_local", ""),
        "resent": bool(payload.get("resent", False)),
        "has_password": bool(payload.get("has_password", False)),
    }
    return messages_to(recipient, "organisation_invited", context, occasion_id=envelope["event_id"],
                       event_id=envelope["event_id"], event_type=envelope["type"], sms_available=False)
