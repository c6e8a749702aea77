"""Recommending organisations: imported by the secretariat, invited by e-mail, signed in by password."""
from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.intake.adapters.orm import nominations, organisations
from services.intake.bootstrap import Intake
from services.intake.domain.deadlines import format_local
from services.intake.domain.errors import IntakeRefusal
from services.intake.adapters.links import BadLink, invitation_from_token, password_fingerprint
from services.intake.domain.limits import EMAIL_MAX_CHARS, PASSWORD_MAX_CHARS, fits
from shared.db import reading
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

_hasher = PasswordHasher()
MIN_PASSWORD = 8
INVITATION_VALID = timedelta(days=14)


class InvitationUsed(IntakeRefusal):
    def __init__(self):
        super().__init__("intake.invitation_used")


def create_organisation(intake: Intake, *, name: str, type: str, email: str, contact_name: str = "",
                        phone: str = "", member_units: tuple[str, ...] = ()) -> tuple[str, bool]:
    """Creates the account (or updates it, matched by e-mail); returns (id, created)."""
    quota = intake.campaign.quota(type)
    if quota is None:
        raise IntakeRefusal("intake.organisation_type_unknown", type=type)
    new_id = str(uuid.uuid4())
    values = dict(name=name, type=type, contact_name=contact_name, phone=phone,
                  member_units=list(member_units), quota=quota)
    with intake.sessions.begin() as session:
        statement = pg_insert(organisations).values(id=new_id, campaign_id=intake.campaign.id,
                                                    email=email.lower(), **values)
        row = session.execute(statement.on_conflict_do_update(
            constraint="one_account_per_email", set_={**values, "updated_at": sa.func.now()},
        ).returning(organisations.c.id)).first()
        created = row.id == new_id
        if created:
            add_to_outbox(session, _invitation_event(intake, row.id, name, email, contact_name, type))
    return row.id, created


def resend_invitation(intake: Intake, organisation_id: str) -> str:
    """Invites the organisation again (an invitation lost, expired, or a password forgotten): a fresh link,
    valid for INVITATION_VALID and until a password is set, so it also resets a password already set.
    Returns the address it goes to."""
    with intake.sessions.begin() as session:
        row = session.execute(sa.select(organisations).where(organisations.c.id == organisation_id,
                                                             organisations.c.campaign_id == intake.campaign.id)
                              .with_for_update()).first()
        if row is None:
            raise IntakeRefusal("intake.organisation_unknown")
        add_to_outbox(session, _invitation_event(intake, row.id, row.name, row.email, row.contact_name, row.type,
                                                 password_hash=row.password_hash, resent=True))
    return row.email


def _invitation_event(intake: Intake, organisation_id: str, name: str, email: str, contact_name: str, type: str,
                      password_hash: str | None = None, resent: bool = False):
    from services.intake.adapters.links import invitation_token

    token = invitation_token(intake.settings.secret_key, organisation_id, password_hash)
    link = f"{intake.settings.intake_url}/org/invite/{token}"
    return new_event("organisation.invited", organisation_id, {
        "organisation_id": organisation_id, "campaign_id": intake.campaign.id, "campaign_name": intake.campaign.name,
        "is_demo": intake.campaign.is_demo, "name": name, "type": type, "email": email,
        "contact_name": contact_name, "quota": intake.campaign.quota(type), "invitation_url": link,
        "deadline_local": format_local(intake.campaign.submission.closes_at, intake.campaign.time_zone),
        "resent": resent, "has_password": bool(password_hash),
    }, producer="intake")


def invited_organisation(intake: Intake, token: str):
    """The organisation an invitation link is for, while the link is valid: not expired
    (INVITATION_VALID), and not used (no password set since it was sent). BadLink otherwise."""
    organisation_id, fingerprint = invitation_from_token(intake.settings.secret_key, token, intake.clock(),
                                                         INVITATION_VALID)
    row = organisation(intake, organisation_id)
    if row is None:
        raise BadLink("intake.invitation_invalid")
    if password_fingerprint(row.password_hash) != fingerprint:
        raise InvitationUsed()
    return row


def set_password_by_invitation(intake: Intake, token: str, password: str) -> str:
    """Sets the password of the organisation invited by `token`, once; returns the organisation's id."""
    _check_password(password)
    organisation_id, fingerprint = invitation_from_token(intake.settings.secret_key, token, intake.clock(),
                                                         INVITATION_VALID)
    with intake.sessions.begin() as session:
        row = session.execute(sa.select(organisations).where(organisations.c.id == organisation_id)
                              .with_for_update()).first()
        if row is None:
            raise BadLink("intake.invitation_invalid")
        if password_fingerprint(row.password_hash) != fingerprint:
            raise InvitationUsed()
        session.execute(sa.update(organisations).where(organisations.c.id == organisation_id)
                        .values(password_hash=_hasher.hash(password), updated_at=sa.func.now()))
    return organisation_id


def set_password(intake: Intake, organisation_id: str, password: str) -> None:
    """Sets a password without an invitation (the demo's seeded accounts)."""
    _check_password(password)
    with intake.sessions.begin() as session:
        session.execute(sa.update(organisations).where(organisations.c.id == organisation_id)
                        .values(password_hash=_hasher.hash(password), updated_at=sa.func.now()))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise IntakeRefusal("intake.password_too_short", min=MIN_PASSWORD)
    if len(password) > PASSWORD_MAX_CHARS:
        raise IntakeRefusal("intake.password_too_long", max=PASSWORD_MAX_CHARS)


def authenticate(intake: Intake, email: str, password: str) -> str:
    if not (fits(email, EMAIL_MAX_CHARS) and fits(password, PASSWORD_MAX_CHARS)):
        raise IntakeRefusal("intake.sign_in_failed")
    with reading(intake.sessions) as session:
        row = session.execute(sa.select(organisations).where(
            organisations.c.campaign_id == intake.campaign.id, organisations.c.email == email.strip().lower())).first()
    try:
        if row is None or not row.password_hash:
            raise VerificationError()
        _hasher.verify(row.password_hash, password)
    except VerificationError:
        raise IntakeRefusal("intake.sign_in_failed") from None
    return row.id


def organisation(intake: Intake, organisation_id: str):
    with reading(intake.sessions) as session:
        return session.execute(sa.select(organisations).where(organisations.c.id == organisation_id)).first()


def nominations_of(intake: Intake, organisation_id: str) -> list:
    with reading(intake.sessions) as session:
        return session.execute(sa.select(nominations).where(nominations.c.organisation_id == organisation_id)
                               .order_by(nominations.c.created_at.desc())).all()
