"""Objections to the public notice.

Filing (anyone, during the notice): the form's checks; the attachment through the same checks as
intake's uploads (shared/scans: type by its bytes, size, safe decode, PDF active content, pages), the
original and its clean preview stored; the objection, its reference number and `objection.filed` (notify
confirms receipt to an e-mail contact) in one transaction.

Resolving (the secretariat): the outcome with its reasons; an upheld objection disqualifies the candidate
(R11, through the same decision as on the nomination page: decision row, audit, `nomination.disqualified`
naming the replacement) and the next of the reserve takes the place; `objection.resolved` tells the
objector and the nominee."""
from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.review.adapters.orm import objections, reviews
from services.review.domain.candidates import notice_is_open
from services.review.domain.objections import (
    UPHELD, ObjectionDraft, check_objection, check_outcome, reference,
)
from services.review.domain.people import StaffMember
from services.review.domain.states import Action, State
from services.review.domain.transitions import Request
from services.review.service_layer import audit
from services.review.service_layer.ranking import confirmed_ranking, list_row, list_state
from shared.campaign import Refusal
from shared.db import reading
from shared.events import new_event
from shared.messaging.outbox import add_to_outbox
from shared.scans.limits import ScanLimits

if TYPE_CHECKING:
    from services.review.bootstrap import Review

ATTACHMENT_LIMITS = ScanLimits(max_bytes=10 * 1024 * 1024, max_pdf_pages=10)
ATTACHMENT_KIND = "objection_evidence"


class ObjectionProblems(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def file_objection(review: "Review", form: dict, upload: Upload | None, client_address: str) -> str:
    """Returns the objection's reference number; ObjectionProblems by field, or Refusal when the notice is
    not open."""
    now, campaign = review.clock(), review.campaign
    with reading(review.sessions) as session:
        candidates = _open_candidates(session, review, now)
    draft, errors = check_objection(form, candidates)
    attachment = _attachment(review, upload, draft, errors) if upload is not None else None
    if errors:
        raise ObjectionProblems(errors)
    try:
        with review.sessions.begin() as session:
            number = session.execute(sa.insert(objections).values(
                reference=f"-{uuid.uuid4().hex[:24]}", campaign_id=campaign.id, nomination_id=draft.nomination_id,
                objector_name=draft.name, objector_contact=draft.contact, objector_email=draft.email,
                text=draft.text, attachment=attachment, client=_client_hash(review, client_address), filed_at=now,
            ).returning(objections.c.number)).scalar_one()
            ref = reference(campaign.year, number)
            session.execute(sa.update(objections).where(objections.c.number == number).values(reference=ref))
            add_to_outbox(session, new_event("objection.filed", draft.nomination_id, _payload(draft, ref),
                                             producer="review"))
            audit.record(session, actor="public", actor_role="public", action="objection.filed",
                         target=draft.nomination_id, details={"objection": ref}, at=now)
    except BaseException:
        for key in (attachment or {}).get("keys", []):
            review.store.remove(key)
        raise
    return ref


def _open_candidates(session: Session, review: "Review", now) -> set[str]:
    row = list_row(session, review.campaign.id)
    state = list_state(row)
    if not notice_is_open(state, now):
        raise Refusal("公示期已结束，不再受理异议" if state.published_at else "候选人名单尚未公示")
    return {r.nomination_id for r in confirmed_ranking(session, review.campaign, row).candidates}


def _attachment(review: "Review", upload: Upload, draft: ObjectionDraft | None, errors: dict) -> dict | None:
    """The upload checked as intake checks uploads; stored (original and clean preview) when accepted."""
    from shared.scans.pipeline import scan_upload  # OpenCV and PDFium loaded by the first objection's file only

    result = scan_upload(upload.data, ATTACHMENT_KIND, draft.nomination_id if draft else "", ATTACHMENT_LIMITS)
    findings = result.findings
    if findings.refused:
        errors["attachment"] = "附件：" + "；".join(findings.reasons)
        return None
    if errors:
        return None
    folder = f"objections/{uuid.uuid4()}"
    keys = [f"{folder}/original"]
    review.store.put_bytes(keys[0], upload.data, content_type=upload.content_type)
    for derivative in result.derivatives:
        keys.append(f"{folder}/{derivative.name}")
        review.store.put_bytes(keys[-1], derivative.data, content_type=derivative.content_type)
    return {"filename": upload.filename[:200], "content_type": upload.content_type, "size": findings.size,
            "sha256": findings.sha256, "verdict": findings.verdict, "reasons": findings.reasons,
            "pages": findings.pages or 1, "folder": folder, "keys": keys}


def _client_hash(review: "Review", address: str) -> str:
    """A keyed hash of the client's address: repeated filings can be told apart without keeping the address."""
    return hmac.new(review.settings.secret_key.encode(), (address or "").encode(), hashlib.sha256).hexdigest()[:32]


def _payload(draft: ObjectionDraft, ref: str) -> dict:
    return {"nomination_id": draft.nomination_id, "objection_id": ref, "objector_email": draft.email,
            "summary": draft.text[:200]}


def resolve_objection(review: "Review", ref: str, actor: StaffMember, outcome: str, reason: str) -> str | None:
    """Record the outcome; returns who took the place when an upheld objection disqualified a candidate."""
    from services.review.service_layer.decisions import decide_in_session

    with review.sessions.begin() as session:
        row = session.execute(sa.select(objections).where(objections.c.reference == ref).with_for_update()).first()
        if row is None or row.campaign_id != review.campaign.id:
            raise Refusal(f"没有编号为 {ref} 的异议")
        state = session.execute(sa.select(reviews.c.state).where(reviews.c.nomination_id == row.nomination_id)).scalar()
        decided = check_outcome(actor, row.state, outcome, reason, candidate=state == State.CANDIDATE)
        now = review.clock()
        session.execute(sa.update(objections).where(objections.c.number == row.number).values(
            state=decided.outcome, outcome_reason=decided.reason, resolved_by=actor.subject,
            resolved_by_name=actor.name, resolved_at=now))
        replacement = None
        if decided.outcome == UPHELD:
            request = Request(Action.DISQUALIFY, reason=f"公示期间异议（{ref}）经核查成立：{decided.reason}",
                              evidence=(f"异议 {ref}：{row.text[:500]}", f"核查结论：{decided.reason[:1000]}"),
                              override_reason=f"公示期间异议 {ref} 经核查成立")
            replacement = decide_in_session(session, review, row.nomination_id, actor, request, objection_id=ref)
        add_to_outbox(session, new_event("objection.resolved", row.nomination_id, {
            "nomination_id": row.nomination_id, "objection_id": ref, "objector_email": row.objector_email,
            "summary": row.text[:200], "outcome": decided.outcome, "reason": decided.reason}, producer="review"))
        audit.record(session, actor=actor.subject, actor_role=actor.role.value, action="objection.resolved",
                     target=row.nomination_id, details={"objection": ref, "outcome": decided.outcome,
                                                        "replacement": replacement}, at=now)
        return replacement


def objections_of(session: Session, campaign_id: str, state: str = "", nomination_id: str = "") -> list:
    """The campaign's objections (newest first), with each candidate's name."""
    from services.review.adapters.orm import nominations

    query = (sa.select(objections, nominations.c.nominee_name, nominations.c.unit)
             .join(nominations, nominations.c.nomination_id == objections.c.nomination_id)
             .where(objections.c.campaign_id == campaign_id).order_by(objections.c.number.desc()))
    if state:
        query = query.where(objections.c.state == state)
    if nomination_id:
        query = query.where(objections.c.nomination_id == nomination_id)
    return session.execute(query).all()


def objection_of(session: Session, campaign_id: str, ref: str):
    from services.review.adapters.orm import nominations

    return session.execute(sa.select(objections, nominations.c.nominee_name, nominations.c.unit)
                           .join(nominations, nominations.c.nomination_id == objections.c.nomination_id)
                           .where(objections.c.campaign_id == campaign_id, objections.c.reference == ref)).first()
