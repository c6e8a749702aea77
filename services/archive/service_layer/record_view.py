"""One nomination as the archive keeps it, for the staff page: where it stood, its dossier (and whether it
can still be opened), the public-record part of an honouree, the honouree record, its events, and its
campaign's purge — what remains after the purge, and what went; and its history (the steps with their
reasons) and the files of its latest submission (domain/history.py)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from services.archive.adapters.orm import campaign_keys, dossiers, event_log, honourees, nominations, public_records, purges
from services.archive.bootstrap import Archive
from services.archive.domain.history import STEP_NAMES, FiledFile, LoggedEvent, Step, history, latest_files
from services.archive.domain.nominations import STAGE_LABELS


MAX_STEPS = 200


@dataclass(frozen=True)
class NominationRecord:
    nomination: dict
    dossier: dict | None
    dossier_openable: bool
    public_record: dict | None
    honouree: dict | None
    events: int
    purge: dict | None  # requested_at, purged_at, fields, confirmations
    steps: tuple[Step, ...] = ()
    files: tuple[FiledFile, ...] = ()

    @property
    def purged(self) -> bool:
        return bool(self.purge and self.purge["purged_at"])


def nomination_record(archive: Archive, nomination_id: str) -> NominationRecord | None:
    with archive.engine.connect() as conn:
        nomination = _one(conn, nominations, nominations.c.nomination_id == nomination_id)
        if nomination is None:
            return None
        dossier = _one(conn, dossiers, dossiers.c.nomination_id == nomination_id)
        openable = dossier is not None and conn.execute(sa.select(sa.func.count()).select_from(campaign_keys).where(
            sa.cast(campaign_keys.c.key_id, sa.String) == dossier["key_id"])).scalar() > 0
        logged = _logged_events(conn, nomination_id)
        return NominationRecord(
            nomination=nomination, dossier=dossier, dossier_openable=openable,
            public_record=_one(conn, public_records, public_records.c.nomination_id == nomination_id),
            honouree=_one(conn, honourees, honourees.c.nomination_id == nomination_id),
            events=conn.execute(sa.select(sa.func.count()).select_from(event_log)
                                .where(event_log.c.key == nomination_id)).scalar(),
            purge=_one(conn, purges, purges.c.campaign_id == nomination["campaign_id"]),
            steps=tuple(history(logged, STAGE_LABELS)),
            files=tuple(latest_files(logged, {u.kind: u.name for u in archive.campaign.uploads})))


def _logged_events(conn, nomination_id: str) -> list[LoggedEvent]:
    """The nomination's events the page tells of, the latest MAX_STEPS (a page, not the whole log: that is
    the JSON's)."""
    rows = conn.execute(sa.select(event_log.c.event_type, event_log.c.occurred_at,
                                  event_log.c.envelope["payload"].label("payload"))
                        .where(event_log.c.key == nomination_id, event_log.c.event_type.in_(STEP_NAMES))
                        .order_by(event_log.c.seq.desc()).limit(MAX_STEPS))
    return [LoggedEvent(row.event_type, row.occurred_at, row.payload or {}) for row in rows][::-1]  # log order


def purges_of_campaigns(archive: Archive) -> list[dict]:
    with archive.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.select(purges).order_by(purges.c.requested_at.desc()))]


def _one(conn, table: sa.Table, where) -> dict | None:
    row = conn.execute(sa.select(table).where(where)).first()
    return dict(row._mapping) if row else None
