"""The applicant's use cases before and after sending: start a nomination, save the draft, withdraw
(sending is service_layer/submission.py). Each runs in one database transaction with its events (outbox)."""
from __future__ import annotations

import uuid
from copy import deepcopy

import sqlalchemy as sa
from marshmallow import ValidationError

from services.intake.adapters.orm import nominations, organisations
from services.intake.bootstrap import Intake
from services.intake.domain import deadlines
from services.intake.form_changes import changed_form_fields, with_values_at
from services.intake.domain.printable import without_refused_values
from services.intake.domain.limits import check_draft_size, check_withdrawal_reason
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.client_fields import check_client_fields, with_server_fields
from services.intake.domain.nomination import Action, check_edit, FieldLocked, NominationState, state_term, transition
from services.intake.field_messages import field_problem
from services.intake.schemas import nomination_schema
from services.intake.schemas.labels import FIELD_LABELS
from services.intake.schemas.problems import flatten_errors, named_rows, started_honour_problems
from services.intake.service_layer import snapshots
from services.intake.service_layer.contacts import after_draft_saved
from services.intake.service_layer.rows import locked, organisation_of
from services.intake.service_layer.errors import FormInvalid, WrongOrganisation
from shared.events import new_event
from shared.i18n.messages import term
from shared.messaging.outbox import add_to_outbox

EDITABLE_STATES = (NominationState.DRAFT, NominationState.RETURNED)


def start_nomination(intake: Intake, *, channel: str, nominee_kind: str, organisation_id: str | None = None) -> str:
    with intake.sessions.begin() as session:
        return _insert_draft(session, intake, channel, nominee_kind, organisation_id)


def start_with_form(intake: Intake, form: dict, *, channel: str, nominee_kind: str,
                    organisation_id: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """start_nomination and save_draft in one request and one transaction (the API's start with its `form`):
    the draft and its problems; refused, no draft is left behind."""
    check_client_fields(form, FIELD_LABELS)
    with intake.sessions.begin() as session:
        nomination_id = _insert_draft(session, intake, channel, nominee_kind, organisation_id)
        data = _save_changes(session, intake, nomination_id, form)
    return nomination_id, draft_problems(intake, data)


def _insert_draft(session, intake: Intake, channel: str, nominee_kind: str, organisation_id: str | None) -> str:
    campaign = intake.campaign
    deadlines.ensure_submission_open(campaign, intake.clock())
    chosen = campaign.channel(channel)
    if nominee_kind not in campaign.nominee_kind_codes:
        raise FormInvalid([("nominee_kind", field_problem("nominee_kind", "intake.hint.nominee_kind"))])
    recommender = None
    if not chosen.is_self_nomination:
        organisation = organisation_of(session, organisation_id)
        if organisation is None or organisation.type != channel:
            raise WrongOrganisation("intake.wrong_organisation", channel=term(f"intake.channel.{chosen.code}", chosen.name))
        recommender = organisation.name
    nomination_id = str(uuid.uuid4())
    data = {"campaign_id": campaign.id, "channel": channel, "nominee_kind": nominee_kind}
    if recommender:
        data["recommender"] = recommender
    session.execute(sa.insert(nominations).values(
        id=nomination_id, campaign_id=campaign.id, channel=channel, organisation_id=organisation_id,
        nominee_kind=nominee_kind, state=NominationState.DRAFT, data=data,
    ))
    return nomination_id


def save_draft(intake: Intake, nomination_id: str, changes: dict) -> list[tuple[str, str]]:
    """Keeps what was typed (even with mistakes, so nothing is lost) and returns the problems in it.
    Only the sections the applicant fills in may change (the channel, the recommender, the kind of
    nominee are the server's)."""
    check_client_fields(changes, FIELD_LABELS)
    with intake.sessions.begin() as session:
        data = _save_changes(session, intake, nomination_id, changes)
    return draft_problems(intake, data)


def _save_changes(session, intake: Intake, nomination_id: str, changes: dict) -> dict:
    row = locked(session, nomination_id)
    data = with_server_fields(_edited(intake, row, changes), campaign_id=row.campaign_id, channel=row.channel,
                              nominee_kind=row.nominee_kind)
    check_draft_size(data)
    contact_values, events = after_draft_saved(intake, row, data)
    session.execute(sa.update(nominations).where(nominations.c.id == row.id)
                    .values(data=data, updated_at=sa.func.now(), **contact_values))
    for event in events:
        add_to_outbox(session, event)
    return data


def draft_problems(intake: Intake, data: dict) -> list[tuple[str, str]]:
    try:
        nomination_schema(intake.campaign, draft=True).load(_fixed_fields(data))
        problems = []
    except ValidationError as error:
        problems = flatten_errors(error.messages)
    known = {path for path, _ in problems}
    problems += [p for p in started_honour_problems(intake.campaign, data.get("media_honours")) if p[0] not in known]
    return named_rows(problems)


def printable_data(intake: Intake, data: dict) -> dict:
    """The draft's data as its printed form shows it: what its checks refuse is left blank."""
    return without_refused_values(data, [path for path, _ in draft_problems(intake, data)])


def form_problems(intake: Intake, data: dict) -> list[tuple[str, str]]:
    try:
        nomination_schema(intake.campaign).load(_fixed_fields(data))
        return []
    except ValidationError as error:
        return named_rows(flatten_errors(error.messages))


def withdraw(intake: Intake, nomination_id: str, *, by: str, reason: str = "") -> None:
    reason = check_withdrawal_reason(reason)
    with intake.sessions.begin() as session:
        row = locked(session, nomination_id)
        transition(row.state, Action.WITHDRAW)
        if row.holds_quota:
            session.execute(sa.update(organisations).where(organisations.c.id == row.organisation_id)
                            .values(used=organisations.c.used - 1))
        session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
            state=NominationState.WITHDRAWN, holds_quota=False, updated_at=sa.func.now()))
        # Published for drafts too: notify stops reminding the contact of an abandoned draft.
        add_to_outbox(session, new_event("nomination.withdrawn", row.id, {
            "nomination_id": row.id, "reference": snapshots.reference_of(intake.campaign, row),
            "campaign_id": row.campaign_id, "by": by, "reason": reason,
        }, producer="intake"))


def merge(data: dict, changes: dict) -> dict:
    """The draft with `changes` laid over it: sections merge field by field, lists are replaced."""
    merged = deepcopy(data)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = deepcopy(value)
    return merged


def _edited(intake: Intake, row, changes: dict) -> dict:
    """The draft with `changes` laid over it. A returned nomination takes only the real changes, and only in
    the fields the review opened: the rest stays as it was submitted (an answer posted back as the page shows
    it, `"45"` or 中共党员, is not a change)."""
    if row.state not in EDITABLE_STATES:
        raise IntakeRefusal("intake.no_longer_editable", state=state_term(row.state))
    edited = merge(row.data, changes)
    if row.state == NominationState.DRAFT:
        deadlines.ensure_submission_open(intake.campaign, intake.clock())
        return edited
    deadlines.ensure_correction_open(row.correction_deadline, intake.clock(), intake.campaign.time_zone)
    changed = changed_form_fields(intake.campaign, row.data, edited)
    check_edit(row.state, changed, row.open_fields, FIELD_LABELS)
    return with_values_at(row.data, edited, changed)




def _fixed_fields(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {}) or key == "media_honours"}


def validated_form(intake: Intake, row) -> dict:
    """The form as the schema loads it, with the server's own fields, or FormInvalid naming every problem
    (loaded once: the problems are those of form_problems)."""
    schema = nomination_schema(intake.campaign)
    try:
        return schema.dump(schema.load(_fixed_fields(form_of(row))))
    except ValidationError as error:
        raise FormInvalid(named_rows(flatten_errors(error.messages))) from None


def form_of(row) -> dict:
    return with_server_fields(row.data, campaign_id=row.campaign_id, channel=row.channel,
                              nominee_kind=row.nominee_kind)


__all__ = [
    "start_nomination", "start_with_form", "save_draft", "withdraw", "merge", "draft_problems", "printable_data",
    "form_problems", "validated_form",
    "FieldLocked",
]


def submission_is_open(intake: Intake) -> bool:
    return deadlines.submission_open(intake.campaign, intake.clock())
