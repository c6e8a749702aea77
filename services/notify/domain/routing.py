"""Who hears of which event, and with which message: the routing table, and plan_messages() that applies it.

Audiences:
  applicant    the contact who filled the form and holds the status link (the nominee when no contact
               can be reached)
  concerned    the contact and the nominee (a person, or a team's leader): outcomes concern them both
  recommender  the recommending organisation: a recommender_update on what happened to its nominee
  objector     who filed an objection (by the e-mail they gave, when they gave one)

Events not in the table (an upload scanned `ok`, advances to other stages) send nothing here (a stage's
opening or close is service_layer/stages.py's, with the audiences of the campaign file): a candidate hears at candidates.published and an honouree at
honourees.confirmed, not at the advance that precedes them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol

from services.notify.domain.catalogue import SMS_MESSAGES
from services.notify.domain.contexts import CONTEXT_BUILDERS, Occasion, file_needs_action
from services.notify.domain.model import NominationInfo, PlannedMessage, Recipient, messages_to, without_repeats
from services.notify.domain.recipients import (
    nomination_from_submission,
    recipients_from_submission,
    with_known_preferences,
)

__all__ = [
    "Recipient", "PlannedMessage", "NominationInfo", "Directory", "Route", "ROUTES", "ROUTED_EVENT_TYPES",
    "plan_messages", "recipients_from_submission",
]

APPLICANT, CONCERNED, RECOMMENDER, OBJECTOR = "applicant", "concerned", "recommender", "objector"


class Directory(Protocol):
    """What notify has stored of nominations and people (the lead backs it with notify's database)."""

    def nomination(self, nomination_id: str) -> NominationInfo | None: ...

    def contacts_for(self, nomination_id: str) -> list[Recipient]:
        """The contact and the nominee of a nomination (kinds `contact` and `nominee`)."""

    def recommender_for(self, nomination_id: str) -> Recipient | None: ...

    def reviewers_for(self, domain: str) -> list[Recipient]:
        """The reviewers whose queue holds nominations of business domain `domain`."""


def always(payload: Mapping) -> bool:
    return True


def needs_action(payload: Mapping) -> bool:
    return payload.get("verdict") in ("flagged", "refused")


def files_need_action(payload: Mapping) -> bool:
    """A submission holding a file its scan flagged: the applicant is told at once (材料需要处理), since
    the scan's own event came while notify did not yet know the nomination; not for a form whose missing
    seal the applicant confirmed when submitting (contexts.file_needs_action)."""
    return any(file_needs_action(file) for file in payload.get("files") or [])


def advanced_to(*stages: str) -> Callable[[Mapping], bool]:
    return lambda payload: payload.get("to_stage") in stages


@dataclass(frozen=True)
class Route:
    event_type: str
    audience: str
    template: str
    when: Callable[[Mapping], bool] = always
    # A second message to the same people for one event needs an occasion of its own (dedup key).
    occasion: str = ""


ROUTES: tuple[Route, ...] = (
    #     event type                 audience     message                       only when
    Route("nomination.submitted",    APPLICANT,   "submission_received"),
    Route("nomination.submitted",    RECOMMENDER, "recommender_update"),
    Route("nomination.submitted",    APPLICANT,   "scan_needs_action",          files_need_action, "files"),
    Route("nomination.resubmitted",  APPLICANT,   "resubmission_received"),
    Route("nomination.resubmitted",  RECOMMENDER, "recommender_update"),
    Route("nomination.withdrawn",    APPLICANT,   "withdrawn"),
    Route("nomination.withdrawn",    RECOMMENDER, "recommender_update"),
    Route("upload.scanned",          APPLICANT,   "scan_needs_action",          needs_action),
    Route("nomination.returned",     APPLICANT,   "returned_for_correction"),
    Route("nomination.returned",     RECOMMENDER, "recommender_update"),
    Route("nomination.advanced",     CONCERNED,   "shortlisted",                advanced_to("shortlisted")),
    Route("nomination.advanced",     CONCERNED,   "not_shortlisted",            advanced_to("not_shortlisted")),
    Route("nomination.advanced",     RECOMMENDER, "recommender_update",         advanced_to("shortlisted", "not_shortlisted")),
    Route("nomination.disqualified", CONCERNED,   "disqualified"),
    Route("nomination.disqualified", RECOMMENDER, "recommender_update"),
    Route("candidates.published",    CONCERNED,   "selected_for_public_notice"),
    Route("candidates.published",    RECOMMENDER, "recommender_update"),
    Route("objection.filed",         OBJECTOR,    "objection_received"),
    Route("objection.resolved",      OBJECTOR,    "objection_outcome"),
    Route("objection.resolved",      CONCERNED,   "objection_outcome"),
    Route("honourees.confirmed",     CONCERNED,   "honouree_announced"),
    Route("honourees.confirmed",     RECOMMENDER, "recommender_update"),
)

ROUTED_EVENT_TYPES: frozenset[str] = frozenset(route.event_type for route in ROUTES)

# Campaign-keyed events that list nominations: each entry is routed as if it were its own event.
_LISTS = {"candidates.published": "candidates", "honourees.confirmed": "honourees"}
_SUBMISSIONS = {"nomination.submitted", "nomination.resubmitted"}


def plan_messages(envelope: Any, directory: Directory) -> list[PlannedMessage]:
    """Every message an event calls for: one per (event, address, channel), in the table's order.

    `envelope` is the event as a dict (or an object with `as_dict()`). For a submission the people are
    read from its snapshot (keeping preferences stored for them); for later events, from `directory`.
    """
    event = envelope.as_dict() if hasattr(envelope, "as_dict") else envelope
    event_type, payload, event_id = event["type"], event["payload"], str(event["event_id"])
    routes = [route for route in ROUTES if route.event_type == event_type and route.when(payload)]
    if not routes:
        return []
    book = _SubmissionBook(payload, directory) if event_type in _SUBMISSIONS else directory
    planned: list[PlannedMessage] = []
    for nomination, entry in _nominations_in(event_type, payload, book):
        for route in routes:
            for recipient in _audience(route.audience, nomination.nomination_id, payload, book):
                occasion = Occasion(event_type, payload, entry, nomination, recipient)
                context = CONTEXT_BUILDERS[route.template](occasion)
                planned += messages_to(
                    recipient, route.template, context,
                    occasion_id=_occasion_id(event_type, event_id, nomination) + (f":{route.occasion}" if route.occasion else ""),
                    event_id=event_id,
                    event_type=event_type, sms_available=route.template in SMS_MESSAGES,
                )
    return without_repeats(planned)


def _occasion_id(event_type: str, event_id: str, nomination: NominationInfo) -> str:
    """The event, and for a list event also the nomination: a recommending organisation (or a contact) with
    several nominations on one candidate list hears about each of them, not only the first."""
    return f"{event_id}:{nomination.nomination_id}" if event_type in _LISTS else event_id


def _nominations_in(event_type: str, payload: Mapping, book: Directory) -> list[tuple[NominationInfo, Mapping]]:
    entries = (payload.get(_LISTS[event_type]) or []) if event_type in _LISTS else [payload]
    found = []
    for entry in entries:
        nomination = book.nomination(entry["nomination_id"])
        if nomination is not None:
            found.append((nomination, entry))
    return found


def _audience(audience: str, nomination_id: str, payload: Mapping, book: Directory) -> list[Recipient]:
    if audience == APPLICANT:
        people = book.contacts_for(nomination_id)
        return [person for person in people if person.kind == "contact"] or people
    if audience == CONCERNED:
        return book.contacts_for(nomination_id)
    if audience == RECOMMENDER:
        organisation = book.recommender_for(nomination_id)
        return [organisation] if organisation else []
    if audience == OBJECTOR:
        return _objector(payload)
    raise ValueError(f"unknown audience {audience!r}")


def _objector(payload: Mapping) -> list[Recipient]:
    if not payload.get("objector_email"):
        return []
    return [Recipient("objector", "", payload["objector_email"], nomination_id=payload["nomination_id"])]


class _SubmissionBook:
    """A directory over one submission's snapshot, keeping the preferences stored for the same people."""

    def __init__(self, payload: Mapping, directory: Directory):
        nomination_id = payload["nomination_id"]
        known = list(directory.contacts_for(nomination_id))
        stored_recommender = directory.recommender_for(nomination_id)
        if stored_recommender is not None:
            known.append(stored_recommender)
        self._nomination = nomination_from_submission(payload)
        self._people = [with_known_preferences(person, known) for person in recipients_from_submission(payload)]

    def nomination(self, nomination_id: str) -> NominationInfo | None:
        return self._nomination if nomination_id == self._nomination.nomination_id else None

    def contacts_for(self, nomination_id: str) -> list[Recipient]:
        return [person for person in self._people if person.kind in ("contact", "nominee")]

    def recommender_for(self, nomination_id: str) -> Recipient | None:
        return next((person for person in self._people if person.kind == "recommender"), None)

    def reviewers_for(self, domain: str) -> list[Recipient]:
        return []
