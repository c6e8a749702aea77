"""A draft's contact e-mail: the verification link mailed to it on request, its confirmation (after which
notify may remind the contact and mails the draft's private link), and the links of one's drafts mailed
again to a verified address."""
from __future__ import annotations

import sqlalchemy as sa
from marshmallow import ValidationError

from services.intake.adapters.links import contact_from_token, contact_verification_token
from services.intake.adapters.orm import nominations
from services.intake.bootstrap import Intake
from services.intake.domain.contact import (VERIFICATION_VALID, VerificationRefused, check_may_request_verification,
                                            is_verified)
from services.intake.domain.nomination import STATE_NAMES, NominationState
from services.intake.service_layer import snapshots
from services.intake.service_layer.rows import locked
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

CLOSED = (NominationState.WITHDRAWN, NominationState.DISQUALIFIED, NominationState.LAPSED)


def contact_email(data: dict) -> str | None:
    """The draft's contact e-mail, lower-cased, when it is a valid address."""
    from services.intake.schemas.field_types import EmailAddress

    try:
        return EmailAddress("contact.email").deserialize((data.get("contact") or {}).get("email")).lower()
    except (ValidationError, AttributeError):
        return None


def request_verification(intake: Intake, nomination_id: str) -> str:
    """Mails a verification link to the draft's contact e-mail (a few times at most); returns the address."""
    with intake.sessions.begin() as session:
        row = locked(session, nomination_id)
        if row.state != NominationState.DRAFT:
            raise VerificationRefused("intake.contact_no_verification_after_submit")
        email = check_may_request_verification(contact_email(row.data), row.contact_verified_email,
                                               row.verification_requests)
        session.execute(sa.update(nominations).where(nominations.c.id == row.id)
                        .values(verification_requests=nominations.c.verification_requests + 1))
        token = contact_verification_token(intake.settings.secret_key, row.id, email)
        add_to_outbox(session, new_event("nomination.contact_verification_requested", row.id, {
            **_about(intake, row, row.data), "contact": {"name": _contact_name(row.data), "email": email},
            "verify_url": f"{intake.settings.intake_url}/verify/{token}",
            "valid_days": VERIFICATION_VALID.days,
        }, producer="intake"))
    return email


def verify(intake: Intake, token: str) -> str:
    """Confirms the contact e-mail the link was mailed to, while it is still the draft's; returns the
    nomination's id. The first confirmation of an address tells notify (nomination.contact_verified):
    it mails the draft's private link and may remind the contact from then on."""
    nomination_id, email = contact_from_token(intake.settings.secret_key, token, intake.clock(), VERIFICATION_VALID)
    with intake.sessions.begin() as session:
        row = locked(session, nomination_id)
        if contact_email(row.data) != email:
            raise VerificationRefused("intake.contact_changed")
        if row.contact_verified_email == email:
            return row.id
        session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(contact_verified_email=email))
        if row.state == NominationState.DRAFT:
            add_to_outbox(session, _draft_event(intake, "nomination.contact_verified", row, row.data, True))
    return row.id


def after_draft_saved(intake: Intake, row, data: dict) -> tuple[dict, list]:
    """What saving `data` over `row` changes of its contact: (column values, events). A verified contact
    whose e-mail changed is no longer verified (notify is told to stop reminding it); a verified contact's
    changed nominee name is passed on to notify (nomination.draft_saved)."""
    verified = row.contact_verified_email
    if verified is None or row.state != NominationState.DRAFT:
        return {}, []
    if not is_verified(contact_email(data), verified):
        return {"contact_verified_email": None}, [_draft_event(intake, "nomination.draft_saved", row, row.data, False)]
    if snapshots.nominee_name(data) != snapshots.nominee_name(row.data):
        return {}, [_draft_event(intake, "nomination.draft_saved", row, data, True)]
    return {}, []


def mail_draft_links(intake: Intake, email: str) -> None:
    """Mails the private links of the nominations whose verified contact is `email` (none: nothing is sent,
    and the page says the same either way)."""
    address = contact_email({"contact": {"email": email}})
    if address is None:
        raise VerificationRefused("intake.contact_email_invalid")
    with intake.sessions.begin() as session:
        rows = session.execute(sa.select(nominations.c.id, nominations.c.state, nominations.c.data,
                                         nominations.c.reference_number).where(
            nominations.c.campaign_id == intake.campaign.id, nominations.c.contact_verified_email == address,
            nominations.c.state.notin_(CLOSED)).order_by(nominations.c.created_at)).all()
        if not rows:
            return
        add_to_outbox(session, new_event("nomination.links_requested", intake.campaign.id, {
            "campaign_id": intake.campaign.id, "campaign_name": intake.campaign.name,
            "is_demo": intake.campaign.is_demo, "email": address,
            "nominations": [{"nomination_id": row.id, "reference": snapshots.reference_of(intake.campaign, row),
                             "nominee_name": snapshots.nominee_name(row.data) or "",
                             "state_name": STATE_NAMES[NominationState(row.state)], "edit_url": intake.status_url(row.id)}
                            for row in rows],
        }, producer="intake"))


def _about(intake: Intake, row, data: dict) -> dict:
    return {"nomination_id": row.id, "reference": snapshots.reference_of(intake.campaign, row),
            "campaign_id": intake.campaign.id, "campaign_name": intake.campaign.name,
            "is_demo": intake.campaign.is_demo, "nominee_name": str(snapshots.nominee_name(data) or "")}


def _contact_name(data: dict) -> str:
    return str((data.get("contact") or {}).get("name") or "")


def _draft_event(intake: Intake, event_type: str, row, data: dict, verified: bool):
    contact = data.get("contact") or {}
    return new_event(event_type, row.id, {
        **_about(intake, row, data), "contact_verified": verified,
        "contact": {"name": _contact_name(data), "email": contact_email(data) or "",
                    "phone": str(contact["phone"]) if contact.get("phone") else None},
        "edit_url": intake.status_url(row.id),
    }, producer="intake")
