"""What intake does with the events of other services: review's decisions (returns for correction,
the stages a sent nomination reaches, disqualifications), the campaign's stage changes from review's scheduler, and the honouree records from the
archive (eligibility, R9)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.intake.adapters.orm import campaign_stages, honourees, nominations
from services.intake.domain.flagged_files import SENT_STATES
from services.intake.domain.nomination import REVIEW_STAGE_NAMES, Action, InvalidTransition, NominationState, transition
from shared.campaign.codes import SUBMISSION_STAGE
from shared.campaign_stages import CLOSED, record_stage_change
from shared.events import Event
from shared.messaging.consumer import PermanentFailure

if TYPE_CHECKING:
    from services.intake.bootstrap import Intake


def nomination_returned(session: Session, event: Event) -> None:
    """Opens the named fields and files for correction until the correction deadline."""
    p = event.payload
    row = _locked(session, p["nomination_id"])
    _transition(row.state, Action.RETURN)
    session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
        state=NominationState.RETURNED, open_fields=p.get("fields", []), open_files=p.get("files", []),
        correction_deadline=p["correction_deadline"], return_reason=p["reason"], submit_key=None,
        review_stage=None, review_stage_at=None, updated_at=sa.func.now(),
    ))


def nomination_advanced(session: Session, event: Event) -> None:
    """Records where review's decision took a sent nomination (approved, shortlisted, not shortlisted, …), for
    its status page; from then on its files can no longer be replaced. A stage intake does not know, or a
    nomination no longer sent (withdrawn meanwhile) or not intake's (the archive's imports), changes nothing:
    it informs, nothing is lost by passing it over."""
    p = event.payload
    row = session.execute(sa.select(nominations).where(nominations.c.id == p["nomination_id"]).with_for_update()).first()
    if row is None or row.state not in SENT_STATES or p["to_stage"] not in REVIEW_STAGE_NAMES:
        return
    session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
        review_stage=p["to_stage"], review_stage_at=datetime.fromisoformat(event.occurred_at), updated_at=sa.func.now()))


def nomination_disqualified(session: Session, event: Event) -> None:
    """R11: the place is not freed (a fraudulent nomination does not earn its organisation a new one)."""
    row = _locked(session, event.payload["nomination_id"])
    _transition(row.state, Action.DISQUALIFY)
    session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
        state=NominationState.DISQUALIFIED, return_reason=event.payload["reason"], updated_at=sa.func.now()))


def honouree_recorded(session: Session, event: Event) -> None:
    """R9: a past honouree from the archive's registry (v2: the phone as a keyed HMAC; v1 is ignored)."""
    if event.version < 2:
        return
    p = event.payload
    session.execute(pg_insert(honourees).values(
        person_key=p["person_key"], kind=p["kind"], name=p["name"], unit=p["unit"],
        phone_hash=p.get("phone_hmac"), campaign_year=p["campaign_year"], campaign_name=p["campaign_name"],
        domain=p.get("domain"), source="event",
    ).on_conflict_do_nothing())


def stage_changed(intake: "Intake", session: Session, event: Event) -> None:
    """Records the change. At the close of this campaign's submissions (once the moment has come by intake's
    own clock) every draft still unsent is locked as lapsed, in one statement: a draft being sent at that
    moment is either sent or lapsed. From then on a flagged file of a sent nomination can no longer be
    replaced either: the material check starts from what is there (uploads.py and views.py ask for the
    recorded close as well as the clock)."""
    change = record_stage_change(session, campaign_stages, event)
    if change.campaign_id != intake.campaign.id or not change.is_due(intake.clock()):
        return
    if change.is_(SUBMISSION_STAGE, CLOSED):
        session.execute(sa.update(nominations).where(
            nominations.c.campaign_id == change.campaign_id, nominations.c.state == NominationState.DRAFT,
        ).values(state=transition(NominationState.DRAFT, Action.LAPSE), updated_at=sa.func.now()))


STAGE_EVENTS = ("campaign.stage_opened", "campaign.stage_closed")


def _locked(session: Session, nomination_id: str):
    row = session.execute(sa.select(nominations).where(nominations.c.id == nomination_id).with_for_update()).first()
    if row is None:
        raise PermanentFailure(f"no nomination {nomination_id} in intake")
    return row


def _transition(state: str, action: Action) -> None:
    try:
        transition(state, action)
    except InvalidTransition as refusal:
        raise PermanentFailure(refusal.message) from None


HANDLERS = {
    "nomination.returned": nomination_returned,
    "nomination.advanced": nomination_advanced,
    "nomination.disqualified": nomination_disqualified,
    "honouree.recorded": honouree_recorded,
}
