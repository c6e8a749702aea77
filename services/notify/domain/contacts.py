"""Mails to a draft's contact e-mail that intake asks for: the verification link (the only mail sent to
an address before its owner confirmed it, on the applicant's request), and the private links of one's
nominations (once the address was verified, and again when asked). E-mail only, never SMS: they carry
links that act as credentials."""
from __future__ import annotations

from typing import Any, Mapping

from services.notify.domain.model import CampaignInfo, PlannedMessage, Recipient, common_context, messages_to


def plan_contact_verification(envelope: Mapping[str, Any]) -> list[PlannedMessage]:
    payload = envelope["payload"]
    recipient = _contact(payload)
    context = {**common_context(_campaign(payload), recipient), "nominee_name": payload.get("nominee_name") or "",
               "verify_url": payload["verify_url"], "valid_days": payload["valid_days"]}
    return _mail(recipient, "contact_verification", context, envelope)


def plan_links_after_verification(envelope: Mapping[str, Any]) -> list[PlannedMessage]:
    """The contact just verified the address: the draft's private link, for coming back to it."""
    payload = envelope["payload"]
    recipient = _contact(payload)
    links = [{"nominee_name": payload.get("nominee_name") or "", "state_name": "草稿", "edit_url": payload["edit_url"]}]
    return _mail(recipient, "nomination_links", {**common_context(_campaign(payload), recipient), "nominations": links},
                 envelope)


def plan_links_requested(envelope: Mapping[str, Any]) -> list[PlannedMessage]:
    payload = envelope["payload"]
    recipient = Recipient(kind="contact", name="", email=payload["email"])
    links = [{"nominee_name": n.get("nominee_name") or "", "state_name": n.get("state_name") or "",
              "edit_url": n["edit_url"]} for n in payload["nominations"]]
    return _mail(recipient, "nomination_links", {**common_context(_campaign(payload), recipient), "nominations": links},
                 envelope)


def _contact(payload: Mapping) -> Recipient:
    contact = payload["contact"]
    return Recipient(kind="contact", name=contact.get("name") or "", email=contact["email"],
                     nomination_id=payload.get("nomination_id"))


def _campaign(payload: Mapping) -> CampaignInfo:
    return CampaignInfo(campaign_id=payload["campaign_id"], name=payload["campaign_name"],
                        is_demo=bool(payload.get("is_demo", False)))


def _mail(recipient: Recipient, template: str, context: dict, envelope: Mapping) -> list[PlannedMessage]:
    return messages_to(recipient, template, context, occasion_id=str(envelope["event_id"]),
                       event_id=str(envelope["event_id"]), event_type=envelope["type"], sms_available=False)
