"""What the notify consumer does with each event it reads (in the consumer's transaction, with the
inbox row that makes a redelivered event a no-op)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from sqlalchemy.orm import Session

from services.notify.domain.contacts import plan_contact_verification, plan_links_after_verification, plan_links_requested
from services.notify.domain.early_events import WAITS_FOR_SUBMISSION
from services.notify.domain.invitations import plan_invitation
from services.notify.domain.reviewers import CLOSING_EVENTS
from services.notify.domain.routing import ROUTED_EVENT_TYPES, plan_messages
from services.notify.domain.scoring_reminders import plan_scoring_reminders
from services.notify.service_layer.directory import (
    DatabaseDirectory, forget_draft, leave_review_queue, remember_draft, remember_organisation, remember_submission,
    remember_withdrawal,
)
from services.notify.service_layer.early_events import keep_until_submitted, take_kept
from services.notify.service_layer.recording import record_messages
from services.notify.service_layer.reviewers import apply_staff_update
from services.notify.service_layer.stages import stage_changed
from shared.events import Event

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

SUBMISSIONS = ("nomination.submitted", "nomination.resubmitted")
CONTACT_MAILS = {
    "nomination.contact_verification_requested": plan_contact_verification,
    "nomination.contact_verified": plan_links_after_verification,
    "nomination.links_requested": plan_links_requested,
}


def notify_of_event(notify: "Notify", session: Session, event: Event) -> list[str]:
    """Tell everyone an event concerns:
    0. a review decision read before the nomination's submission is kept until the submission comes, and
       then handled after it (domain/early_events.py);
    1. plan its messages with what notify knows of the people (their stored preferences kept);
    2. remember what the event changes: a submission's nomination and people, a withdrawal (either ends
       the nomination's draft reminders); a submission opens the nomination in the reviewers' queue, a
       decision or a withdrawal closes it;
    3. record every planned message (rendered, deduplicated, held when the send is large);
    4. after commit, queue the delivery of each new pending message.
    Returns the ids of the messages recorded."""
    notify.refresh_templates()
    directory = DatabaseDirectory(session)
    nomination_id = event.payload.get("nomination_id")
    if event.type in WAITS_FOR_SUBMISSION and directory.nomination(nomination_id) is None:
        keep_until_submitted(session, event)
        return []
    planned = plan_messages(event, directory)
    campaign_id = None
    if event.type in SUBMISSIONS:
        remember_submission(session, event.payload, resubmitted=event.type == "nomination.resubmitted",
                            directory=directory)
        forget_draft(session, event.payload["nomination_id"])
        campaign_id = event.payload["campaign_id"]  # every message of a submission is of its nomination
    elif event.type == "nomination.withdrawn":
        remember_withdrawal(session, event.payload["nomination_id"])
        forget_draft(session, event.payload["nomination_id"])
    if event.type in CLOSING_EVENTS:
        leave_review_queue(session, event.payload["nomination_id"])
    recorded = record_messages(session, notify, planned, campaign_id=campaign_id)
    if event.type in SUBMISSIONS:
        for early in take_kept(session, nomination_id):  # review's decisions read before this submission
            recorded += notify_of_event(notify, session, early)
    return recorded


def invite_organisation(notify: "Notify", session: Session, event: Event) -> list[str]:
    """The secretariat imported a recommending organisation: send it its sign-up link, and remember it
    for the reminders about unused quota."""
    notify.refresh_templates()
    planned = plan_invitation(event.as_dict())
    remember_organisation(session, event.payload)
    return record_messages(session, notify, planned, campaign_id=event.payload["campaign_id"])


def keep_draft(session: Session, event: Event) -> None:
    """An applicant saved a draft: remember it for the draft reminders while its contact is verified,
    forget it when not (nothing is sent now)."""
    if event.payload.get("contact_verified"):
        remember_draft(session, event.payload)
    else:
        forget_draft(session, event.payload["nomination_id"])


def mail_contact(notify: "Notify", session: Session, event: Event, plan) -> list[str]:
    """A mail intake asked for at a draft's contact e-mail (verification link, private links); a newly
    verified contact is also remembered for the draft reminders."""
    notify.refresh_templates()
    if event.type == "nomination.contact_verified":
        remember_draft(session, event.payload)
    return record_messages(session, notify, plan(event.as_dict()), campaign_id=event.payload["campaign_id"])


def remind_committee(notify: "Notify", session: Session, event: Event) -> list[str]:
    """The secretariat asked (in review) to remind the committee members with nominations still to score."""
    notify.refresh_templates()
    return record_messages(session, notify, plan_scoring_reminders(event.as_dict()),
                           campaign_id=event.payload["campaign_id"])


def keep_reviewer(notify: "Notify", session: Session, event: Event) -> None:
    """Review added or changed a staff member: the reviewers' directory follows (nothing is sent)."""
    apply_staff_update(notify, session, event.payload)


def make_handlers(notify: "Notify") -> dict[str, Callable[[Session, Event], None]]:
    """The consumer's handlers, one per event type that concerns notify."""
    def handle(session: Session, event: Event) -> None:
        notify_of_event(notify, session, event)

    handlers = {event_type: handle for event_type in sorted(ROUTED_EVENT_TYPES)}
    handlers["organisation.invited"] = lambda session, event: invite_organisation(notify, session, event)
    handlers["nomination.draft_saved"] = keep_draft
    for event_type, plan in CONTACT_MAILS.items():
        handlers[event_type] = lambda session, event, plan=plan: mail_contact(notify, session, event, plan)
    handlers["staff.updated"] = lambda session, event: keep_reviewer(notify, session, event)
    handlers["scoring.reminder_requested"] = lambda session, event: remind_committee(notify, session, event)
    for event_type in ("campaign.stage_opened", "campaign.stage_closed"):
        handlers[event_type] = lambda session, event: stage_changed(notify, session, event)
    return handlers
