"""What notify keeps from a submission: the people to tell and the nomination they are about.

Later events carry only the nomination id, so notify stores these when `nomination.submitted` (or
`nomination.resubmitted`, whose snapshot may change them) arrives.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from services.notify.domain.model import CampaignInfo, NominationInfo, Recipient


def recipients_from_submission(payload: Mapping) -> list[Recipient]:
    """The contact, the nominee (the person, or a team's leader) and the recommending organisation,
    each kept only when an e-mail or a mobile number reaches them."""
    nomination_id = payload["nomination_id"]
    found = [_contact(payload, nomination_id), _nominee(payload, nomination_id), _recommender(payload, nomination_id)]
    return [recipient for recipient in found if recipient is not None and _reachable(recipient)]


def draft_contact(payload: Mapping) -> Recipient | None:
    """The contact of a saved draft (`nomination.draft_saved`), when an e-mail or a mobile reaches them."""
    contact = _contact(payload, payload["nomination_id"])
    return contact if contact is not None and _reachable(contact) else None


def invited_organisation(payload: Mapping) -> Recipient:
    """A recommending organisation the secretariat invited (`organisation.invited`): its contact, or its
    name when no contact is named, at the organisation's e-mail."""
    return Recipient(kind="recommender", name=payload.get("contact_name") or payload["name"],
                     email=payload["email"], org_id=payload["organisation_id"])


def nomination_from_submission(payload: Mapping) -> NominationInfo:
    return NominationInfo(
        nomination_id=payload["nomination_id"],
        campaign_id=payload["campaign_id"],
        campaign_name=payload["campaign_name"],
        is_demo=bool(payload.get("is_demo", False)),
        nominee_name=payload["nominee_name"],
        domain=payload["domain"],
        status_url=payload["status_url"],
        reference=payload.get("reference") or "",
    )


def campaign_from_submission(payload: Mapping) -> CampaignInfo:
    return CampaignInfo(payload["campaign_id"], payload["campaign_name"], bool(payload.get("is_demo", False)))


def with_known_preferences(fresh: Recipient, known: list[Recipient]) -> Recipient:
    """`fresh` with the preferences and language stored for the same person (same kind and address)."""
    for stored in known:
        if stored.kind == fresh.kind and _same_address(stored, fresh):
            return replace(fresh, prefs=stored.prefs, lang=stored.lang)
    return fresh


def _contact(payload: Mapping, nomination_id: str) -> Recipient | None:
    contact = payload.get("contact")
    if not contact:
        return None
    return Recipient("contact", contact.get("name") or "", contact.get("email"), contact.get("phone"),
                     nomination_id=nomination_id)


def _nominee(payload: Mapping, nomination_id: str) -> Recipient | None:
    person, team = payload.get("person"), payload.get("team")
    if payload.get("nominee_kind") == "team" and team:
        person = team.get("leader")
    if not person:
        return None
    return Recipient("nominee", person.get("name") or "", person.get("email"), person.get("phone"),
                     nomination_id=nomination_id)


def _recommender(payload: Mapping, nomination_id: str) -> Recipient | None:
    organisation = payload.get("recommender")
    if not organisation:
        return None
    return Recipient("recommender", organisation.get("name") or "", organisation.get("email"), None,
                     nomination_id=nomination_id, org_id=organisation.get("org_id"))


def _reachable(recipient: Recipient) -> bool:
    return bool(recipient.address("email") or recipient.address("sms"))


def _same_address(one: Recipient, other: Recipient) -> bool:
    return any(
        one.address(channel) is not None and one.address(channel) == other.address(channel)
        for channel in ("email", "sms")
    )
