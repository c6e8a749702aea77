"""What notify remembers of nominations and the people to tell, in its own database: the Directory
that routing reads, the updates that submissions and withdrawals make to it, the review queue the
nomination events open and close, the reviewers the secretariat registered, and the invited
organisations and unsubmitted drafts the reminders go to."""
from __future__ import annotations

from typing import Mapping

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.notify.adapters.orm import drafts, nominations, organisations, recipients, reviewers
from services.notify.domain.model import NominationInfo, Recipient
from services.notify.domain.preferences import Preferences, email_address
from services.notify.domain.recipients import (
    draft_contact, invited_organisation, recipients_from_submission, with_known_preferences,
)
from services.notify.domain.reviewers import Reviewer, reviewers_of


class DatabaseDirectory:
    """The routing Directory over notify's tables, read in the consumer's transaction."""

    def __init__(self, session: Session):
        self.session = session
        self._people: dict[str, list[Recipient]] = {}  # read once per nomination while it is not changed

    def nomination(self, nomination_id: str) -> NominationInfo | None:
        row = self.session.execute(sa.select(nominations).where(nominations.c.nomination_id == nomination_id)).first()
        if row is None:
            return None
        return NominationInfo(row.nomination_id, row.campaign_id, row.campaign_name, row.is_demo,
                              row.nominee_name, row.domain, row.status_url, row.reference)

    def contacts_for(self, nomination_id: str) -> list[Recipient]:
        return [person for person in self.people(nomination_id) if person.kind in ("contact", "nominee")]

    def recommender_for(self, nomination_id: str) -> Recipient | None:
        return next((person for person in self.people(nomination_id) if person.kind == "recommender"), None)

    def reviewers_for(self, domain: str) -> list[Recipient]:
        """The active reviewers the secretariat registered for `domain` (or for every domain)."""
        return reviewers_of(domain, registered_reviewers(self.session))

    def people(self, nomination_id: str) -> list[Recipient]:
        if nomination_id not in self._people:
            rows = self.session.execute(sa.select(recipients).where(recipients.c.nomination_id == nomination_id)
                                        .order_by(recipients.c.kind)).all()
            self._people[nomination_id] = [recipient_from_row(row) for row in rows]
        return list(self._people[nomination_id])

    def forget(self, nomination_id: str) -> None:
        """Its people changed: read them again when asked."""
        self._people.pop(nomination_id, None)


def recipient_from_row(row) -> Recipient:
    return Recipient(kind=row.kind, name=row.name, email=row.email, phone=row.phone, lang=row.lang,
                     nomination_id=row.nomination_id, org_id=row.org_id, prefs=Preferences.from_dict(row.prefs))


def registered_reviewers(session: Session, active_only: bool = True) -> list[Reviewer]:
    query = sa.select(reviewers).order_by(reviewers.c.id)
    if active_only:
        query = query.where(reviewers.c.active.is_(True))
    return [reviewer_from_row(row) for row in session.execute(query).all()]


def reviewer_from_row(row) -> Reviewer:
    return Reviewer(row.name, row.email, row.phone, row.role, tuple(row.domains or ()), reminders=row.reminders,
                    sms=row.sms, lang=row.lang, active=row.active)


def remember_submission(session: Session, payload: Mapping, resubmitted: bool = False,
                        directory: DatabaseDirectory | None = None) -> bool:
    """Store the nomination and its people from a submission snapshot (a newer version replaces an older
    one; an older one arriving late changes nothing), and put it in the review queue. Returns whether the
    snapshot was stored. `directory`: the event's own, when it has read the people already."""
    if not _store_nomination(session, payload, resubmitted):
        return False
    nomination_id = payload["nomination_id"]
    directory = directory or DatabaseDirectory(session)
    known = directory.people(nomination_id)
    people = [with_known_preferences(person, known) for person in recipients_from_submission(payload)]
    session.execute(sa.delete(recipients).where(recipients.c.nomination_id == nomination_id))
    if people:
        session.execute(sa.insert(recipients), [_recipient_row(person, payload["campaign_id"]) for person in people])
    directory.forget(nomination_id)
    return True


def remember_withdrawal(session: Session, nomination_id: str) -> None:
    session.execute(sa.update(nominations).where(nominations.c.nomination_id == nomination_id)
                    .values(withdrawn=True, updated_at=sa.func.now()))


def open_work_by_domain(session: Session, campaign_id: str) -> dict[str, int]:
    """How many nominations of `campaign_id` are open for review, by business domain."""
    rows = session.execute(
        sa.select(nominations.c.domain, sa.func.count())
        .where(nominations.c.campaign_id == campaign_id, nominations.c.in_review_queue.is_(True))
        .group_by(nominations.c.domain)
    ).all()
    return dict(rows)


def leave_review_queue(session: Session, nomination_id: str) -> None:
    """The nomination was decided (returned, advanced, disqualified) or withdrawn: no longer open work."""
    session.execute(sa.update(nominations).where(nominations.c.nomination_id == nomination_id,
                                                 nominations.c.in_review_queue.is_(True))
                    .values(in_review_queue=False, updated_at=sa.func.now()))


def remember_draft(session: Session, payload: Mapping) -> bool:
    """Keep (or update) an unsubmitted draft and its contact for the draft reminders. A draft whose
    nomination notify already knows as submitted or withdrawn (a late event), or whose contact cannot be
    reached, is not kept. Returns whether it was kept."""
    nomination_id = payload["nomination_id"]
    contact = draft_contact(payload)
    known = session.execute(sa.select(nominations.c.nomination_id)
                            .where(nominations.c.nomination_id == nomination_id)).first()
    if contact is None or known is not None:
        forget_draft(session, nomination_id)
        return False
    prefs, lang = known_preferences(session, contact.email)
    row = dict(nomination_id=nomination_id, campaign_id=payload["campaign_id"],
               campaign_name=payload["campaign_name"], is_demo=bool(payload.get("is_demo", False)),
               nominee_name=payload.get("nominee_name") or "", reference=payload.get("reference") or "",
               contact_name=contact.name, email=contact.email,
               phone=contact.phone, edit_url=payload["edit_url"], lang=lang, prefs=prefs.as_dict())
    _upsert(session, drafts, drafts.c.nomination_id, row)
    return True


def forget_draft(session: Session, nomination_id: str) -> None:
    """The draft was submitted or withdrawn: no more draft reminders for it."""
    session.execute(sa.delete(drafts).where(drafts.c.nomination_id == nomination_id))


def remember_organisation(session: Session, payload: Mapping) -> None:
    """Keep an invited recommending organisation (an invitation sent again updates it) for the reminders
    about unused quota."""
    organisation = invited_organisation(payload)
    prefs, lang = known_preferences(session, organisation.email)
    row = dict(organisation_id=payload["organisation_id"], campaign_id=payload["campaign_id"],
               campaign_name=payload["campaign_name"], is_demo=bool(payload.get("is_demo", False)),
               name=payload["name"], type=payload["type"], email=payload["email"],
               contact_name=payload.get("contact_name") or "", quota=int(payload["quota"]), lang=lang,
               prefs=prefs.as_dict())
    _upsert(session, organisations, organisations.c.organisation_id, row)


def known_preferences(session: Session, email: str | None) -> tuple[Preferences, str]:
    """The preferences and language stored for the person at `email` (a person is known by address, and
    the secretariat sets them for every row of that address at once); the defaults for a stranger."""
    address = email_address(email)
    if address is not None:
        for table in (recipients, drafts, organisations):
            row = session.execute(sa.select(table.c.prefs, table.c.lang)
                                  .where(sa.func.lower(sa.func.trim(table.c.email)) == address).limit(1)).first()
            if row is not None:
                return Preferences.from_dict(row.prefs), row.lang
    return Preferences(), "zh"


def _upsert(session: Session, table: sa.Table, key: sa.Column, row: dict) -> None:
    statement = pg_insert(table).values(**row)
    session.execute(statement.on_conflict_do_update(
        index_elements=[key],
        set_={**{name: statement.excluded[name] for name in row if name != key.name}, "updated_at": sa.func.now()},
    ))


def campaigns_of(session: Session, nomination_ids: set[str]) -> dict[str, str]:
    if not nomination_ids:
        return {}
    rows = session.execute(sa.select(nominations.c.nomination_id, nominations.c.campaign_id)
                           .where(nominations.c.nomination_id.in_(nomination_ids)))
    return dict(rows.all())


def _store_nomination(session: Session, payload: Mapping, resubmitted: bool) -> bool:
    row = dict(
        nomination_id=payload["nomination_id"], campaign_id=payload["campaign_id"],
        campaign_name=payload["campaign_name"], is_demo=bool(payload.get("is_demo", False)),
        nominee_name=payload["nominee_name"], reference=payload.get("reference") or "",
        domain=payload["domain"], channel=payload["channel"],
        status_url=payload["status_url"], org_id=(payload.get("recommender") or {}).get("org_id"),
        version=int(payload["version"]), withdrawn=False,
        in_review_queue=True, queued_at=sa.func.now(), queued_after_correction=resubmitted,
    )
    statement = pg_insert(nominations).values(**row)
    stored = session.execute(statement.on_conflict_do_update(
        index_elements=[nominations.c.nomination_id],
        set_={**{name: statement.excluded[name] for name in row if name != "nomination_id"},
              "updated_at": sa.func.now()},
        where=nominations.c.version <= statement.excluded.version,
    ).returning(nominations.c.nomination_id)).first()
    return stored is not None


def _recipient_row(person: Recipient, campaign_id: str) -> dict:
    return dict(nomination_id=person.nomination_id, campaign_id=campaign_id, kind=person.kind, name=person.name,
                email=person.email, phone=person.phone, lang=person.language, org_id=person.org_id,
                prefs=person.prefs.as_dict())
