"""What the secretariat reads of the nominations: the list (searched, filtered, paged), every nomination
of a list for the export, one nomination read-only, and the flags grouped. Nothing here changes a
nomination, and nothing gives out the applicant's private link."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.intake.adapters.orm import flags, nominations, organisations, uploads
from services.intake.bootstrap import Intake
from services.intake.domain.flags import FileMatch, Flag, FlagGroup, file_match_text, group_flags
from services.intake.domain.flagged_files import SENT_STATES
from services.intake.domain.nomination import STATE_NAMES
from services.intake.domain.upload_rules import allowed_uploads
from services.intake.service_layer.duplicates import find_duplicates
from services.intake.service_layer.rows import current_uploads
from services.intake.domain.staff_list import NO_DOMAIN, PAGE_SIZE, ListQuery, name_label, page_count
from services.intake.service_layer.views import NominationView, nomination_view
from shared.db import reading
from shared.reference_numbers import format_reference, parse_reference

EXPORT_BATCH = 500
FLAG_GROUPS_SHOWN = 200


@dataclass(frozen=True)
class ListedNomination:
    id: str
    reference: str
    name: str
    nominee_kind: str
    unit: str
    domain: str | None
    channel: str
    organisation: str | None
    state: str
    submitted_at: datetime | None
    created_at: datetime
    flag_count: int


@dataclass(frozen=True)
class NominationPage:
    rows: list[ListedNomination]
    total: int
    page: int
    pages: int


def find_nominations(intake: Intake, query: ListQuery) -> NominationPage:
    where = _conditions(intake, query)
    with reading(intake.sessions) as session:
        total = session.execute(sa.select(sa.func.count()).select_from(nominations).where(*where)).scalar_one()
        pages = page_count(total)
        page = min(query.page, pages)
        rows = session.execute(_listed(where, query).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return NominationPage([_row(intake, row) for row in rows], total, page, pages)


def export_nominations(intake: Intake, query: ListQuery) -> Iterator[tuple]:
    """(listed row, its whole form, version, the kinds of its flags) of every nomination the list shows, in
    its order, read in batches."""
    flag_kinds = (sa.select(sa.func.array_agg(flags.c.kind)).where(flags.c.nomination_id == nominations.c.id)
                  .scalar_subquery().label("flag_kinds"))
    statement = _listed(_conditions(intake, query), query).add_columns(nominations.c.data, nominations.c.version,
                                                                       flag_kinds)
    with intake.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=EXPORT_BATCH).execute(statement)
        for row in result:
            yield _row(intake, row), row.data, row.version, sorted(row.flag_kinds or [])


def _listed(where: list, query: ListQuery) -> sa.Select:
    flag_counts = (sa.select(flags.c.nomination_id, sa.func.count().label("flag_count"))
                   .group_by(flags.c.nomination_id).subquery())
    order = ([nominations.c.reference_number.desc()] if query.order == "reference" else
             [nominations.c.submitted_at.desc().nulls_last(), nominations.c.reference_number.desc()])
    joined = (nominations.outerjoin(organisations, organisations.c.id == nominations.c.organisation_id)
              .outerjoin(flag_counts, flag_counts.c.nomination_id == nominations.c.id))
    return (sa.select(nominations.c.id, nominations.c.reference_number, nominations.c.listed_name,
                      nominations.c.nominee_kind, nominations.c.listed_unit, nominations.c.listed_domain,
                      nominations.c.channel, organisations.c.name.label("organisation"), nominations.c.state,
                      nominations.c.submitted_at, nominations.c.created_at,
                      sa.func.coalesce(flag_counts.c.flag_count, 0).label("flag_count"))
            .select_from(joined).where(*where).order_by(*order))


def _conditions(intake: Intake, query: ListQuery) -> list:
    conditions = [nominations.c.campaign_id == intake.campaign.id]
    exact = {"state": nominations.c.state, "channel": nominations.c.channel, "kind": nominations.c.nominee_kind,
             "organisation": nominations.c.organisation_id}
    conditions += [column == getattr(query, name) for name, column in exact.items() if getattr(query, name)]
    if query.domain == NO_DOMAIN:
        conditions.append(sa.func.coalesce(nominations.c.listed_domain, "") == "")
    elif query.domain:
        conditions.append(nominations.c.listed_domain == query.domain)
    if query.flagged:
        conditions.append(sa.exists().where(flags.c.nomination_id == nominations.c.id))
    if query.q:
        conditions.append(_matching(intake, query.q))
    return conditions


def _matching(intake: Intake, text: str):
    """A reference (whole or its number) or any part of a name, unit, department, phone or e-mail."""
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = nominations.c.search_text.like(pattern, escape="\\")
    number = parse_reference(text, intake.campaign.year)
    return sa.or_(found, nominations.c.reference_number == number) if number is not None else found


def _row(intake: Intake, row) -> ListedNomination:
    return ListedNomination(
        id=row.id, reference=format_reference(intake.campaign.year, row.reference_number),
        name=name_label(row.listed_name), nominee_kind=row.nominee_kind, unit=row.listed_unit or "",
        domain=row.listed_domain or None, channel=row.channel, organisation=row.organisation, state=row.state,
        submitted_at=row.submitted_at, created_at=row.created_at, flag_count=row.flag_count)


def organisation_choices(intake: Intake) -> list:
    """(id, name) of the campaign's recommending organisations, for the list's filter."""
    with reading(intake.sessions) as session:
        return session.execute(sa.select(organisations.c.id, organisations.c.name)
                               .where(organisations.c.campaign_id == intake.campaign.id)
                               .order_by(organisations.c.name)).all()


def nomination_for_staff(intake: Intake, reference: str) -> NominationView | None:
    """The nomination a reference names, as its pages show it (read-only here), or None."""
    number = parse_reference(reference, intake.campaign.year)
    if number is None:
        return None
    with reading(intake.sessions) as session:
        nomination_id = session.execute(sa.select(nominations.c.id).where(
            nominations.c.reference_number == number, nominations.c.campaign_id == intake.campaign.id)).scalar()
    return nomination_view(intake, nomination_id) if nomination_id else None


def file_matches(intake: Intake, nomination_id: str) -> dict[str, list[str]]:
    """For each current file of the nomination, which other nominations' files it repeats, said file by
    file (`与 2022-00001 的一寸免冠照完全相同`): the same searches as the scan's, read now, so a file
    uploaded later elsewhere is named too."""
    with reading(intake.sessions) as session:
        found = {upload.id: find_duplicates(session, upload, upload.phash)
                 for upload in current_uploads(session, nomination_id)}
        others = _matched_files(session, intake, {d["file_id"] for matches in found.values() for d in matches})
    return {upload_id: [file_match_text(_file_match(others[d["file_id"]], d)) for d in matches if d["file_id"] in others]
            for upload_id, matches in found.items()}


def _matched_files(session: Session, intake: Intake, file_ids: set[str]) -> dict:
    if not file_ids:
        return {}
    names = {u.kind: u.name for kind in intake.campaign.nominee_kind_codes
             for u in allowed_uploads(intake.campaign, kind)}
    rows = session.execute(sa.select(uploads.c.id, uploads.c.kind, nominations.c.reference_number, nominations.c.state)
                           .join(nominations, nominations.c.id == uploads.c.nomination_id)
                           .where(uploads.c.id.in_(file_ids), uploads.c.replaced.is_(False))).all()
    return {row.id: (format_reference(intake.campaign.year, row.reference_number), names.get(row.kind, row.kind),
                     "" if row.state in SENT_STATES else STATE_NAMES.get(row.state, row.state)) for row in rows}


def _file_match(other: tuple, duplicate: dict) -> FileMatch:
    reference, kind_name, state_name = other
    return FileMatch(reference, kind_name, duplicate["match"] == "identical", duplicate["distance"], state_name)


def staff_file(intake: Intake, nomination_id: str, upload_id: str):
    """An upload of the nomination (its row), or None."""
    with reading(intake.sessions) as session:
        return session.execute(sa.select(uploads).where(uploads.c.id == upload_id,
                                                        uploads.c.nomination_id == nomination_id)).first()


@dataclass(frozen=True)
class FlaggedNomination:
    id: str
    reference: str
    name: str
    state: str

    @property
    def state_note(self) -> str:
        """草稿, 已撤回…: said beside a nomination of a group that is not (or no longer) sent (tester's A-1)."""
        return "" if self.state in SENT_STATES else STATE_NAMES.get(self.state, self.state)


def flag_groups(intake: Intake, nomination_id: str | None = None) -> tuple[list[FlagGroup], dict]:
    """The flag groups (newest first; those of one nomination when named), and each nomination they name
    by id: its reference, name (never blank) and state."""
    with reading(intake.sessions) as session:
        stored = session.execute(sa.select(flags).order_by(flags.c.created_at)).all()
        groups = group_flags(Flag(f.nomination_id, f.kind, f.detail or {}, f.created_at) for f in stored)
        if nomination_id is not None:
            groups = [group for group in groups if nomination_id in group.nomination_ids]
        groups = groups[:FLAG_GROUPS_SHOWN]
        named = {nid for group in groups for nid in group.nomination_ids}
        return groups, _flagged(session, intake, named)


def _flagged(session: Session, intake: Intake, ids: set[str]) -> dict[str, FlaggedNomination]:
    if not ids:
        return {}
    rows = session.execute(sa.select(nominations.c.id, nominations.c.reference_number, nominations.c.listed_name,
                                     nominations.c.state).where(nominations.c.id.in_(ids))).all()
    return {row.id: FlaggedNomination(row.id, format_reference(intake.campaign.year, row.reference_number),
                                      name_label(row.listed_name), row.state) for row in rows}
