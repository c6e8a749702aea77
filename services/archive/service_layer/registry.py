"""The honouree registry across years: each campaign's honourees recorded from `honourees.confirmed`, the
earlier campaigns' lists imported, and every new record published as `honouree.recorded` v2 (through the
outbox, in the same transaction) for intake's eligibility check (R9)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from services.archive.adapters.orm import event_log, honourees
from services.archive.bootstrap import Archive
from services.archive.domain.honouree_import import ImportCheck, check_rows
from services.archive.domain.honourees import CampaignInfo, HonoureeRecord, campaign_year_in, record_of_confirmed
from shared.events import Event, new_event
from shared.messaging.consumer import PermanentFailure
from shared.messaging.outbox import add_to_outbox
from shared.nominees import phone_hmac

SNAPSHOT_TYPES = ("nomination.submitted", "nomination.resubmitted")
# v1 (a bare SHA-256 of the phone) is not published: intake reads v2 since the registry was built.
PUBLISHED_VERSION = 2


@dataclass
class ImportPreview:
    check: ImportCheck
    already_recorded: list[HonoureeRecord]

    @property
    def new_records(self) -> list[HonoureeRecord]:
        return [r for r in self.check.records if r not in self.already_recorded]


def honourees_confirmed(archive: Archive, session: Session, event: Event) -> None:
    """Each confirmed honouree, completed from its nomination's last snapshot, recorded once and published."""
    campaign = _campaign_info(archive, session, event)
    hash_phone = _phone_hasher(archive)
    for honouree in event.payload["honourees"]:
        snapshot = last_snapshot(session, honouree["nomination_id"])
        _record(session, record_of_confirmed(honouree, snapshot, campaign, hash_phone), caused_by=event)


def preview_import(archive: Archive, rows: list[dict]) -> ImportPreview:
    check = check_rows(rows, domains=archive.campaign.domains, this_year=datetime.now(timezone.utc).year + 1,
                       hash_phone=_phone_hasher(archive))
    with archive.engine.connect() as conn:
        known = {(row.person_key, row.campaign_name) for row in conn.execute(
            sa.select(honourees.c.person_key, honourees.c.campaign_name))}
    return ImportPreview(check, [r for r in check.records if (r.person_key, r.campaign_name) in known])


def import_honourees(archive: Archive, rows: list[dict]) -> int:
    """All rows or none: a file with any problem records nothing. Returns how many were new."""
    preview = preview_import(archive, rows)
    if preview.check.problems:
        raise ValueError("；".join(preview.check.problems[:20]))
    with archive.sessions.begin() as session:
        return sum(_record(session, record) for record in preview.check.records)


def last_snapshot(session: Session, nomination_id: str) -> dict | None:
    envelopes = session.execute(sa.select(event_log.c.envelope).where(
        event_log.c.key == nomination_id, event_log.c.event_type.in_(SNAPSHOT_TYPES))).scalars().all()
    snapshots = [envelope["payload"] for envelope in envelopes]
    return max(snapshots, key=lambda snapshot: snapshot.get("version", 0), default=None)


def _record(session: Session, record: HonoureeRecord, caused_by: Event | None = None) -> bool:
    inserted = session.execute(pg_insert(honourees).values(**record.as_row()).on_conflict_do_nothing()
                               .returning(honourees.c.id)).first()
    if inserted is not None:
        add_to_outbox(session, new_event("honouree.recorded", record.person_key, record.event_payload(),
                                         producer="archive", version=PUBLISHED_VERSION, caused_by=caused_by))
    return inserted is not None


def _campaign_info(archive: Archive, session: Session, event: Event) -> CampaignInfo:
    campaign_id = event.payload["campaign_id"]
    if campaign_id == archive.campaign.id:
        return CampaignInfo(campaign_id, archive.campaign.year, archive.campaign.name)
    names = [s.get("campaign_name") for h in event.payload["honourees"]
             if (s := last_snapshot(session, h["nomination_id"]))]
    name = next((n for n in names if n), None)
    year = campaign_year_in(name or "")
    if name is None or year is None:
        raise PermanentFailure(f"campaign {campaign_id}: neither this deployment's nor named by its nominations")
    return CampaignInfo(campaign_id, year, name)


def _phone_hasher(archive: Archive):
    secret = archive.settings.phone_hash_secret
    return lambda phone: phone_hmac(secret, phone)
