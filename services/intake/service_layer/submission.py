"""Sending a nomination: a draft is submitted, a returned nomination resubmitted, as its locked row says.

One forward trip in one transaction: the state change, the quota place, the version on record, the flags
for the secretariat and the event (outbox) are committed together or not at all."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.intake.adapters.orm import flags, honourees, nomination_versions, nominations, organisations
from services.intake.bootstrap import Intake
from services.intake.domain import deadlines, eligibility, quotas
from services.intake.domain.nomination import Action, NominationState, transition
from services.intake.domain.upload_rules import allowed_uploads, check_uploads_complete
from services.intake.domain.submission import ScannedFile, check_files_ready, waits_for_scans
from services.intake.service_layer import snapshots
from services.intake.service_layer.errors import Ineligible
from services.intake.service_layer.nominations import validated_form
from services.intake.service_layer.rows import current_uploads, locked, organisation_of, scan_lag_seconds
from services.intake.service_layer.view_rows import read_view_rows
from services.intake.service_layer.views import NominationView, view_of
from shared.campaign.parts import ONE_SECOND
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox


@dataclass(frozen=True)
class Sent:
    state: str  # the nomination's new state
    files: list | None = None  # the current files the send read (None: the same submit key again, none read)


def send(intake: Intake, nomination_id: str, submit_key: str, *, seal_confirmed: bool = False) -> str:
    """Sends the nomination in a transaction of its own and returns its new state (send_in)."""
    with intake.sessions.begin() as session:
        return send_in(session, intake, nomination_id, submit_key, seal_confirmed=seal_confirmed).state


def send_and_view(intake: Intake, nomination_id: str, submit_key: str, *,
                  seal_confirmed: bool = False) -> NominationView:
    """Sends the nomination (send_in) and reads its status view in the same transaction, with the files the
    send read: the API's answer to a submit, without a transaction, a token and a query of its own."""
    with intake.sessions.begin() as session:
        sent = send_in(session, intake, nomination_id, submit_key, seal_confirmed=seal_confirmed)
        rows = read_view_rows(session, intake, nomination_id, files=sent.files)
    return view_of(intake, rows)


def send_in(session: Session, intake: Intake, nomination_id: str, submit_key: str, *,
            seal_confirmed: bool = False) -> Sent:
    """Sends the nomination in the caller's transaction:
    1. locks the row; the same submit key again (a double click, a retry) changes nothing;
    2. a draft is submitted, a returned nomination resubmitted, before its deadline; anything else is refused;
    3. validates the form once; counts the files and checks their scans (none refused; none pending unless
       the deadline is near or the scans lag behind, see domain/submission.py; the seal detected or
       confirmed by the applicant);
    4. a first submission checks eligibility (R9), a branch's member units (R2d) and takes a quota place;
    5. writes the row, its version and the secretariat's flags, and publishes the snapshot it holds."""
    row = locked(session, nomination_id)
    if row.submit_key == submit_key:
        return Sent(row.state)
    first = row.state != NominationState.RETURNED
    state = transition(row.state, Action.SUBMIT if first else Action.RESUBMIT)
    now = intake.clock()
    _ensure_open(intake, row, first, now)
    data = validated_form(intake, row)
    files = current_uploads(session, row.id)
    check_uploads_complete(intake.campaign, row.channel, [f.kind for f in files], nominee_kind=row.nominee_kind)
    scanned = _scanned(intake, row, files)
    material_flags = check_files_ready(scanned, seal_confirmed=seal_confirmed,
                                       wait_for_scans=_may_wait(session, intake, row, first, now, scanned))
    organisation = organisation_of(session, row.organisation_id)
    nominee = _nominee(row.nominee_kind, data)
    if first:
        _check_first_submission(session, intake, row, nominee, organisation)
    version = row.version + 1
    submitted_at = now if first else row.submitted_at
    _write(session, row, state, data, version, submit_key, first, organisation, nominee, now)
    for flag in material_flags:
        _flag(session, row.id, flag, {"confirmed_by_applicant": True})
    if first:
        _flag_same_nominee_elsewhere(session, row, nominee)
    payload = snapshots.snapshot(
        nomination_id=row.id, reference=snapshots.reference_of(intake.campaign, row), version=version,
        channel=row.channel, nominee_kind=row.nominee_kind, data=data,
        organisation=organisation, campaign=intake.campaign, files=files, status_url=intake.status_url(row.id),
        submitted_at=submitted_at, seal_confirmed=seal_confirmed and bool(material_flags))
    _publish(session, row.id, version, payload, previous=None if first else _latest_snapshot(session, row.id))
    return Sent(state, files)


def _ensure_open(intake: Intake, row, first: bool, now) -> None:
    if first:
        deadlines.ensure_submission_open(intake.campaign, now)
    else:
        deadlines.ensure_correction_open(row.correction_deadline, now, intake.campaign.time_zone)


def _may_wait(session: Session, intake: Intake, row, first: bool, now, files: list[ScannedFile]) -> bool:
    """Whether this submission may be held back by a file still being checked (waits_for_scans decides;
    the scans' lag is read only when a file is pending)."""
    if all(f.verdict is not None for f in files):
        return True
    deadline = intake.campaign.submission.ends_before if first else row.correction_deadline + ONE_SECOND
    return waits_for_scans(intake.campaign.scan_wait, now, deadline, scan_lag_seconds(session, now))


def _scanned(intake: Intake, row, files) -> list[ScannedFile]:
    names = {u.kind: u.name for u in allowed_uploads(intake.campaign, row.nominee_kind)}
    return [ScannedFile(kind=f.kind, name=names.get(f.kind, f.kind), filename=f.filename, verdict=f.verdict,
                        codes=tuple((f.findings or {}).get("codes", ()))) for f in files]


def _nominee(kind: str, data: dict) -> eligibility.Nominee:
    if kind == "team":
        team = data["team"]
        return eligibility.Nominee("team", team["name"], team.get("unit", ""), (team.get("leader") or {}).get("phone"))
    person = data["person"]
    return eligibility.Nominee("person", person["name"], person.get("unit", ""), person.get("phone"))


def _check_first_submission(session: Session, intake: Intake, row, nominee, organisation) -> None:
    _check_eligible(session, intake, row, nominee)
    if organisation is not None:
        if intake.campaign.channel(organisation.type).nominees_from_member_units:
            quotas.check_branch_member(organisation.member_units, nominee.unit)
        _take_quota_place(session, organisation)


def _check_eligible(session: Session, intake: Intake, row, nominee: eligibility.Nominee) -> None:
    """R9: past honourees of the excluded campaigns are refused with the reason; a weak match (the name
    and a unit that only shares a prefix) is flagged to the secretariat instead."""
    known = [eligibility.Honouree(kind=h.kind, name=h.name, unit=h.unit, campaign_year=h.campaign_year,
                                  campaign_name=h.campaign_name, phone_hash=h.phone_hash)
             for h in session.execute(sa.select(honourees).where(honourees.c.kind == nominee.kind))]
    match = eligibility.match_past_honouree(nominee, known, intake.campaign.excluded_campaigns,
                                            phone_secret=intake.settings.phone_hash_secret)
    if match is None:
        return
    if match.basis == eligibility.BASIS_NAME_UNIT_PREFIX:
        _flag(session, row.id, "possible_past_honouree", {"reason": match.reason, "unit": match.honouree.unit})
        return
    raise Ineligible(match.refusal)


def _take_quota_place(session: Session, organisation) -> None:
    """Atomic: the row's own lock orders concurrent submissions, and the WHERE refuses the one too many."""
    taken = session.execute(sa.update(organisations)
                            .where(organisations.c.id == organisation.id, organisations.c.used < organisations.c.quota)
                            .values(used=organisations.c.used + 1).returning(organisations.c.used)).first()
    if taken is None:
        used = session.execute(sa.select(organisations.c.used).where(organisations.c.id == organisation.id)).scalar()
        raise quotas.QuotaExceeded(organisation.quota, used)


def _write(session: Session, row, state, data, version, submit_key, first, organisation, nominee, now) -> None:
    values = dict(state=state, data=data, version=version, submit_key=submit_key, updated_at=sa.func.now())
    if first:
        values.update(holds_quota=organisation is not None, submitted_at=now,
                      nominee_key=eligibility.nominee_key(nominee.kind, nominee.name))
    else:
        values.update(open_fields=[], open_files=[])
    session.execute(sa.update(nominations).where(nominations.c.id == row.id).values(**values))


def _flag_same_nominee_elsewhere(session: Session, row, nominee: eligibility.Nominee) -> None:
    """The same nominee put forward through another channel (eligibility.find_duplicate_nominees decides:
    the name, and the unit or the phone): both nominations are flagged to the secretariat."""
    candidates = session.execute(sa.select(nominations.c.id, nominations.c.nominee_kind, nominations.c.data).where(
        nominations.c.campaign_id == row.campaign_id, nominations.c.id != row.id,
        nominations.c.nominee_key == eligibility.nominee_key(nominee.kind, nominee.name),
        nominations.c.state.notin_([NominationState.DRAFT, NominationState.WITHDRAWN]))).all()
    others = [(other.id, _nominee(other.nominee_kind, other.data)) for other in candidates]
    for other in eligibility.same_nominee_as(row.id, nominee, others):
        _flag(session, row.id, "same_nominee_twice", {"other_nomination_id": other})
        _flag(session, other, "same_nominee_twice", {"other_nomination_id": row.id})


def _flag(session: Session, nomination_id: str, kind: str, detail: dict) -> None:
    session.execute(pg_insert(flags).values(nomination_id=nomination_id, kind=kind, detail=detail)
                    .on_conflict_do_nothing())


def _latest_snapshot(session: Session, nomination_id: str) -> dict:
    return session.execute(sa.select(nomination_versions.c.snapshot)
                           .where(nomination_versions.c.nomination_id == nomination_id)
                           .order_by(nomination_versions.c.version.desc()).limit(1)).scalar_one()


def _publish(session: Session, nomination_id: str, version: int, payload: dict, previous: dict | None) -> None:
    event_type = "nomination.submitted" if previous is None else "nomination.resubmitted"
    if previous is not None:
        payload["changed_fields"] = snapshots.changed_fields({k: previous.get(k) for k in snapshots.FORM_KEYS},
                                                             {k: payload.get(k) for k in snapshots.FORM_KEYS})
        payload["changed_files"] = sorted({f["file_id"] for f in payload["files"]}
                                          ^ {f["file_id"] for f in previous["files"]})
    session.execute(sa.insert(nomination_versions).values(nomination_id=nomination_id, version=version,
                                                          snapshot=payload))
    add_to_outbox(session, new_event(event_type, nomination_id, payload, producer="intake"))
