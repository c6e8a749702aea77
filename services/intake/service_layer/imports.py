"""The secretariat's import of recommending organisations, in two steps: the file is read and checked and a preview shows every row and every problem (nothing is imported); the
file waits in intake's bucket under a random name; the confirmation reads it again and imports every row,
or none when a problem remains. Any web process can confirm a preview; the file then goes.
(Past honourees are imported once, into the archive's honouree registry, which intake learns from its
`honouree.recorded` events.)"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from minio.error import S3Error

from services.intake.adapters import spreadsheets
from services.intake.adapters.orm import organisations
from services.intake.bootstrap import Intake
from services.intake.domain import organisations as organisation_rules
from services.intake.domain.errors import IntakeRefusal
from services.intake.domain.imports import ImportResult
from services.intake.service_layer.organisations import create_organisation
from shared.db import reading
from shared.i18n import message

MAX_BYTES = 5 * 1024 * 1024
HELD = "imports/"
PREVIEW_KEPT_FOR = timedelta(days=1)
KINDS = ("organisations",)


def parse_organisations(filename: str, data: bytes, campaign) -> ImportResult:
    try:
        rows = spreadsheets.table_rows(filename, data, organisation_rules.COLUMNS, organisation_rules.MAX_ROWS)
    except spreadsheets.UnreadableFile as error:
        return ImportResult(problems=[error.said])
    return organisation_rules.check_organisations(rows, campaign)


def organisations_template_xlsx(campaign=None) -> bytes:
    return spreadsheets.template_xlsx(organisation_rules.template(campaign))


@dataclass(frozen=True)
class Preview:
    kind: str
    token: str | None  # set when the file can be imported as it is
    result: ImportResult
    known_emails: frozenset[str] = frozenset()  # organisations already on record: updated, not invited again


def preview(intake: Intake, kind: str, filename: str, data: bytes) -> Preview:
    """Read and check the file; keep it for the confirmation when it has no problem."""
    if len(data) > MAX_BYTES:
        return Preview(kind, None, ImportResult(problems=[message("intake.import.file_too_large", max=MAX_BYTES // (1024 * 1024))]))
    result = _parse(intake, kind, filename, data)
    token = None
    if result.ok:
        token = f"{kind}-{secrets.token_hex(16)}-{'xlsx' if _is_xlsx(filename, data) else 'csv'}"
        intake.store.put_bytes(HELD + token, data, content_type="application/octet-stream")
    known = _known_emails(intake, result) if kind == "organisations" else frozenset()
    return Preview(kind, token, result, known)


def forget_stale_previews(intake: Intake, kept_for: timedelta = PREVIEW_KEPT_FOR) -> int:
    """Held files never confirmed, removed once `kept_for` has passed (the scan worker's beat); how many went.
    Confirming one after that says the preview has gone, as for one confirmed already."""
    stale = list(intake.store.keys_stored_before(HELD, intake.clock() - kept_for))
    for key in stale:
        intake.store.remove(key)
    return len(stale)


def confirm(intake: Intake, token: str) -> tuple[str, int, int]:
    """Import the held file of `token`: (kind, rows imported, rows new). IntakeRefusal when the preview has
    gone (confirmed already, or never made) or the file no longer passes its check."""
    kind = _kind_of(token)
    try:
        data = intake.store.get_bytes(HELD + token, max_size=MAX_BYTES)
    except S3Error:
        raise IntakeRefusal("intake.import.preview_gone") from None
    result = _parse(intake, kind, f"held.{token.rsplit('-', 1)[1]}", data)
    if not result.ok:
        raise IntakeRefusal("intake.import.not_passed")
    intake.store.remove(HELD + token)
    created = 0
    for row in result.rows:
        _, is_new = create_organisation(intake, name=row.name, type=row.type, email=row.email,
                                        contact_name=row.contact_name, phone=row.phone, member_units=row.member_units)
        created += is_new
    return kind, len(result.rows), created


def _parse(intake: Intake, kind: str, filename: str, data: bytes) -> ImportResult:
    return parse_organisations(filename, data, intake.campaign)


def _kind_of(token: str) -> str:
    kind, _, rest = token.partition("-")
    if kind not in KINDS or len(token) > 80 or not rest.replace("-", "").isalnum():
        raise IntakeRefusal("intake.import.request_invalid")
    return kind


def _is_xlsx(filename: str, data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm"))


def _known_emails(intake: Intake, result: ImportResult) -> frozenset[str]:
    emails = [row.email for row in result.rows]
    if not emails:
        return frozenset()
    with reading(intake.sessions) as session:
        return frozenset(session.execute(sa.select(organisations.c.email).where(
            organisations.c.campaign_id == intake.campaign.id, organisations.c.email.in_(emails))).scalars())
