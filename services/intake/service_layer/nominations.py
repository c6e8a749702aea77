"""The applicant's use cases: start a nomination, save the draft, submit, withdraw, resubmit.

Each runs in one database transaction: the state change, the quota place and the event (outbox) are
committed together or not at all."""
from __future__ import annotations

import uuid
from copy import deepcopy

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from services.intake.adapters.orm import flags, honourees, nomination_versions, nominations, organisations, uploads
from services.intake.bootstrap import Intake
from services.intake.domain import deadlines, eligibility, quotas
from services.intake.domain.limits import check_draft_size, check_withdrawal_reason
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.nomination import (
    Action, FieldLocked, NominationState, check_client_fields, check_edit, check_uploads_complete,
    transition, with_server_fields,
)
from services.intake.schemas import FIELD_LABELS, flatten_errors, nomination_schema
from services.intake.service_layer import snapshots
from services.intake.service_layer.errors import FormInvalid, Ineligible, NotFound, WrongOrganisation
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox

EDITABLE_STATES = (NominationState.DRAFT, NominationState.RETURNED)


def start_nomination(intake: Intake, *, channel: str, nominee_kind: str, organisation_id: str | None = None) -> str:
    campaign = intake.campaign
    deadlines.ensure_submission_open(campaign, intake.clock())
    chosen = campaign.channel(channel)
    if nominee_kind not in campaign.nominee_kind_codes:
        raise FormInvalid([("nominee_kind", "推荐对象类型：请选择 个人 或 团队")])
    with intake.sessions.begin() as session:
        recommender = None
        if not chosen.is_self_nomination:
            organisation = _organisation(session, organisation_id)
            if organisation is None or organisation.type != channel:
                raise WrongOrganisation(f"“{chosen.name}”须由推荐单位登录后填报")
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
        row = _locked(session, nomination_id)
        _ensure_editable(intake, row, changes)
        data = with_server_fields(merge(row.data, changes), campaign_id=row.campaign_id, channel=row.channel,
                                  nominee_kind=row.nominee_kind)
        check_draft_size(data)
        session.execute(sa.update(nominations).where(nominations.c.id == row.id)
                        .values(data=data, updated_at=sa.func.now()))
        if row.state == NominationState.DRAFT:
            event = _draft_saved_event(intake, row.id, row.data, data)
            if event is not None:
                add_to_outbox(session, event)
    return draft_problems(intake, data)


def _draft_saved_event(intake: Intake, nomination_id: str, before: dict, after: dict):
    """`nomination.draft_saved` (for notify's reminders) when the draft's contact e-mail is valid and it,
    or the nominee's name, differs from the saved draft's; None otherwise, so autosaves of the same
    draft do not repeat it."""
    from services.intake.schemas import EmailAddress

    def contact_email(data: dict) -> str | None:
        try:
            return EmailAddress("联系人邮箱").deserialize((data.get("contact") or {}).get("email")).lower()
        except (ValidationError, AttributeError):
            return None

    email, name = contact_email(after), snapshots.nominee_name(after)
    if email is None or (email, name) == (contact_email(before), snapshots.nominee_name(before)):
        return None
    contact = after.get("contact") or {}
    return new_event("nomination.draft_saved", nomination_id, {
        "nomination_id": nomination_id, "campaign_id": intake.campaign.id, "campaign_name": intake.campaign.name,
        "is_demo": intake.campaign.is_demo, "nominee_name": str(name or ""),
        "contact": {"name": str(contact.get("name") or ""), "email": email,
                    "phone": str(contact["phone"]) if contact.get("phone") else None},
        "edit_url": intake.status_url(nomination_id),
    }, producer="intake")


def draft_problems(intake: Intake, data: dict) -> list[tuple[str, str]]:
    try:
        nomination_schema(intake.campaign, draft=True).load(_fixed_fields(data))
        return []
    except ValidationError as error:
        return flatten_errors(error.messages)


def form_problems(intake: Intake, data: dict) -> list[tuple[str, str]]:
    try:
        nomination_schema(intake.campaign).load(_fixed_fields(data))
        return []
    except ValidationError as error:
        return flatten_errors(error.messages)


def submit(intake: Intake, nomination_id: str, submit_key: str) -> str:
    """Submits a draft. Submitting again with the same key (a double click, a retry) changes nothing."""
    campaign, now = intake.campaign, intake.clock()
    with intake.sessions.begin() as session:
        row = _locked(session, nomination_id)
        if row.submit_key == submit_key:
            return row.state
        transition(row.state, Action.SUBMIT)
        deadlines.ensure_submission_open(campaign, now)
        data = _complete_form(session, intake, row)
        organisation = _organisation(session, row.organisation_id)
        _check_eligible(session, intake, row, data)
        if organisation is not None:
            _check_branch_member(campaign, organisation, row, data)
            _take_quota_place(session, organisation)
        nominee_key = _nominee_key(row.nominee_kind, data)
        session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
            state=NominationState.SUBMITTED, data=data, version=1, submit_key=submit_key,
            holds_quota=organisation is not None, nominee_key=nominee_key, submitted_at=now,
            updated_at=sa.func.now(),
        ))
        _flag_same_nominee_elsewhere(session, row.id, campaign.id, nominee_key)
        _publish_snapshot(session, intake, row.id, "nomination.submitted")
    return NominationState.SUBMITTED


def resubmit(intake: Intake, nomination_id: str, submit_key: str) -> str:
    """Sends the corrections the review asked for; every earlier version stays on record."""
    campaign, now = intake.campaign, intake.clock()
    with intake.sessions.begin() as session:
        row = _locked(session, nomination_id)
        if row.submit_key == submit_key:
            return row.state
        transition(row.state, Action.RESUBMIT)
        deadlines.ensure_correction_open(row.correction_deadline, now, campaign.time_zone)
        data = _complete_form(session, intake, row)
        previous = session.execute(sa.select(nomination_versions.c.snapshot)
                                   .where(nomination_versions.c.nomination_id == row.id)
                                   .order_by(nomination_versions.c.version.desc()).limit(1)).scalar_one()
        session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
            state=NominationState.RESUBMITTED, data=data, version=row.version + 1, submit_key=submit_key,
            open_fields=[], open_files=[], updated_at=sa.func.now(),
        ))
        _publish_snapshot(session, intake, row.id, "nomination.resubmitted", previous=previous)
    return NominationState.RESUBMITTED


def withdraw(intake: Intake, nomination_id: str, *, by: str, reason: str = "") -> None:
    reason = check_withdrawal_reason(reason)
    with intake.sessions.begin() as session:
        row = _locked(session, nomination_id)
        transition(row.state, Action.WITHDRAW)
        if row.holds_quota:
            session.execute(sa.update(organisations).where(organisations.c.id == row.organisation_id)
                            .values(used=organisations.c.used - 1))
        session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(
            state=NominationState.WITHDRAWN, holds_quota=False, updated_at=sa.func.now()))
        # Published for drafts too: notify stops reminding the contact of an abandoned draft.
        add_to_outbox(session, new_event("nomination.withdrawn", row.id, {
            "nomination_id": row.id, "campaign_id": row.campaign_id, "by": by, "reason": reason,
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


def current_uploads(session: Session, nomination_id: str) -> list:
    return session.execute(sa.select(uploads).where(uploads.c.nomination_id == nomination_id,
                                                    uploads.c.replaced.is_(False))
                           .order_by(uploads.c.created_at)).all()


def get_nomination(session: Session, nomination_id: str):
    row = session.execute(sa.select(nominations).where(nominations.c.id == nomination_id)).first()
    if row is None:
        raise NotFound()
    return row


def _locked(session: Session, nomination_id: str):
    row = session.execute(sa.select(nominations).where(nominations.c.id == nomination_id).with_for_update()).first()
    if row is None:
        raise NotFound()
    return row


def _organisation(session: Session, organisation_id: str | None):
    if organisation_id is None:
        return None
    return session.execute(sa.select(organisations).where(organisations.c.id == organisation_id)).first()


def _ensure_editable(intake: Intake, row, changes: dict) -> None:
    if row.state not in EDITABLE_STATES:
        raise IntakeRefusal(f"申报{_state_name(row.state)}，不能再修改")
    if row.state == NominationState.DRAFT:
        deadlines.ensure_submission_open(intake.campaign, intake.clock())
        return
    deadlines.ensure_correction_open(row.correction_deadline, intake.clock(), intake.campaign.time_zone)
    check_edit(row.state, changed_fields(row.data, merge(row.data, changes)), row.open_fields, FIELD_LABELS)


def changed_fields(before: dict, after: dict) -> list[str]:
    return snapshots.changed_fields(before, after)


def _state_name(state: str) -> str:
    from services.intake.domain.nomination import STATE_NAMES

    return STATE_NAMES.get(NominationState(state), state)


def _fixed_fields(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {}) or key == "media_honours"}


def _complete_form(session: Session, intake: Intake, row) -> dict:
    """The form as the schema loads it, refusing (FormInvalid, UploadsIncomplete) what is not ready to send."""
    data = _validated(intake, row.data)
    files = current_uploads(session, row.id)
    check_uploads_complete(intake.campaign, row.channel, [f.kind for f in files], nominee_kind=row.nominee_kind)
    return data


def _validated(intake: Intake, data: dict) -> dict:
    problems = form_problems(intake, data)
    if problems:
        raise FormInvalid(problems)
    return nomination_schema(intake.campaign).dump(nomination_schema(intake.campaign).load(_fixed_fields(data)))


def _nominee(kind: str, data: dict) -> eligibility.Nominee:
    if kind == "team":
        team = data["team"]
        return eligibility.Nominee("team", team["name"], team.get("unit", ""), (team.get("leader") or {}).get("phone"))
    person = data["person"]
    return eligibility.Nominee("person", person["name"], person.get("unit", ""), person.get("phone"))


def _nominee_key(kind: str, data: dict) -> str:
    nominee = _nominee(kind, data)
    return f"{kind}:{eligibility.person_key(nominee.name, nominee.unit)}"


def _check_eligible(session: Session, intake: Intake, row, data: dict) -> None:
    """R9: past honourees of the excluded campaigns are refused with the reason; a weak match (the name
    and a unit that only shares a prefix) is flagged to the secretariat instead."""
    nominee = _nominee(row.nominee_kind, data)
    known = [eligibility.Honouree(kind=h.kind, name=h.name, unit=h.unit, campaign_year=h.campaign_year,
                                  campaign_name=h.campaign_name, phone_hash=h.phone_hash)
             for h in session.execute(sa.select(honourees).where(honourees.c.kind == nominee.kind))]
    match = eligibility.match_past_honouree(nominee, known, intake.campaign.excluded_campaigns)
    if match is None:
        return
    if match.basis == eligibility.BASIS_NAME_UNIT_PREFIX:
        _flag(session, row.id, "possible_past_honouree", {"reason": match.reason, "unit": match.honouree.unit})
        return
    raise Ineligible(match.reason)


def _check_branch_member(campaign, organisation, row, data: dict) -> None:
    if campaign.channel(organisation.type).nominees_from_member_units:
        quotas.check_branch_member(organisation.member_units, _nominee(row.nominee_kind, data).unit)


def _take_quota_place(session: Session, organisation) -> None:
    """Atomic: the row's own lock orders concurrent submissions, and the WHERE refuses the one too many."""
    taken = session.execute(sa.update(organisations)
                            .where(organisations.c.id == organisation.id, organisations.c.used < organisations.c.quota)
                            .values(used=organisations.c.used + 1).returning(organisations.c.used)).first()
    if taken is None:
        used = session.execute(sa.select(organisations.c.used).where(organisations.c.id == organisation.id)).scalar()
        raise quotas.QuotaExceeded(organisation.quota, used)


def _flag_same_nominee_elsewhere(session: Session, nomination_id: str, campaign_id: str, nominee_key: str) -> None:
    others = session.execute(sa.select(nominations.c.id).where(
        nominations.c.campaign_id == campaign_id, nominations.c.nominee_key == nominee_key,
        nominations.c.id != nomination_id,
        nominations.c.state.notin_([NominationState.DRAFT, NominationState.WITHDRAWN]))).scalars().all()
    for other in others:
        _flag(session, nomination_id, "same_nominee_twice", {"other_nomination_id": other})
        _flag(session, other, "same_nominee_twice", {"other_nomination_id": nomination_id})


def _flag(session: Session, nomination_id: str, kind: str, detail: dict) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    session.execute(pg_insert(flags).values(nomination_id=nomination_id, kind=kind, detail=detail)
                    .on_conflict_do_nothing())


def _publish_snapshot(session: Session, intake: Intake, nomination_id: str, event_type: str,
                      previous: dict | None = None) -> None:
    row = get_nomination(session, nomination_id)
    files = current_uploads(session, nomination_id)
    payload = snapshots.snapshot(nomination=row, organisation=_organisation(session, row.organisation_id),
                                 campaign=intake.campaign, files=files, status_url=intake.status_url(row.id))
    if previous is not None:
        payload["changed_fields"] = _changed_form_fields(previous, payload)
        payload["changed_files"] = sorted({f["file_id"] for f in payload["files"]}
                                          ^ {f["file_id"] for f in previous["files"]})
    session.execute(sa.insert(nomination_versions).values(nomination_id=row.id, version=row.version, snapshot=payload))
    add_to_outbox(session, new_event(event_type, row.id, payload, producer="intake"))


def _changed_form_fields(previous: dict, current: dict) -> list[str]:
    form_keys = ("person", "team", "domain", "deeds", "media_honours", "contact")
    return changed_fields({k: previous.get(k) for k in form_keys}, {k: current.get(k) for k in form_keys})


__all__ = [
    "start_nomination", "save_draft", "submit", "resubmit", "withdraw", "merge", "draft_problems",
    "form_problems", "current_uploads", "get_nomination", "FieldLocked",
]


def submission_is_open(intake: Intake) -> bool:
    return deadlines.submission_open(intake.campaign, intake.clock())
